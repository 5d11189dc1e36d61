/** Create a schedule: the page stays (the new schedule joins the list), so the symbols are cleared for the next one. */
import type { Api } from './api';
import { WatchlistForm } from './WatchlistForm';

interface Props {
  api: Api;
  onCreated: (scheduleId: string) => void;
  onAuthError: (error: unknown) => void;
}

export function ScheduleForm({ api, onCreated, onAuthError }: Props) {
  return (
    <WatchlistForm
      idPrefix="schedule"
      title="New schedule"
      description={
        <p class="muted small">A schedule starts a scan of these symbols each time a candle of its intervals closes.</p>
      }
      submitLabel="Create schedule"
      busyLabel="Creating…"
      create={async (input) => onCreated((await api.schedules.create.mutate(input)).schedule_id)}
      clearSymbols
      onAuthError={onAuthError}
    />
  );
}
