/** What a record's page shows until its record arrives: the failure with a way back, or "Loading…". */
import { ErrorNote } from './ErrorNote';

interface Props {
  error: unknown;
  backHref: string;
  backText: string;
}

export function NotLoaded({ error, backHref, backText }: Props) {
  if (error === undefined) return <p class="muted">Loading…</p>;
  return (
    <section class="card">
      <ErrorNote error={error} />
      <a href={backHref}>{backText}</a>
    </section>
  );
}
