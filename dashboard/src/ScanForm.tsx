/** Start a scan; its page opens once it is created. */
import type { Api } from './api';
import { WatchlistForm } from './WatchlistForm';

interface Props {
  api: Api;
  onCreated: (scanId: string) => void;
  onAuthError: (error: unknown) => void;
}

export function ScanForm({ api, onCreated, onAuthError }: Props) {
  return (
    <WatchlistForm
      idPrefix="scan"
      title="Start a scan"
      submitLabel="Start scan"
      busyLabel="Starting…"
      create={async (input) => onCreated((await api.scans.create.mutate(input)).scan_id)}
      onAuthError={onAuthError}
    />
  );
}
