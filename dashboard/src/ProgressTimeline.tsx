/**
 * A job's whole progress log as a timeline, grouped by attempt: each `started` event opens an
 * attempt (naming the worker that ran it); retries and takeovers (a job reclaimed from a
 * stalled worker) are marked as such.
 */
import { formatTime, percent } from './format';
import type { ProgressEntry } from './hooks';

interface Attempt {
  number: number;
  worker: string | undefined;
  events: ProgressEntry[];
}

const workerIn = (message: string): string | undefined => /\bworker (\S+)/.exec(message)?.[1];

function kindOf(event: ProgressEntry): string {
  if (/\b(reclaimed|taken over|takeover)\b/i.test(event.message)) return 'takeover';
  if (event.stage === 'retrying') return 'retry';
  if (event.stage === 'finished') return `final final-${event.status}`;
  return 'step';
}

export function groupAttempts(events: ProgressEntry[]): Attempt[] {
  const attempts: Attempt[] = [];
  let current: Omit<Attempt, 'number'> = { worker: undefined, events: [] };
  for (const event of events) {
    if (event.stage === 'started') {
      if (current.events.length > 0) attempts.push({ ...current, number: attempts.length });
      current = { worker: workerIn(event.message), events: [] };
    }
    current.events.push(event);
  }
  if (current.events.length > 0) attempts.push({ ...current, number: attempts.length });
  return attempts;
}

export function ProgressTimeline({ events }: { events: ProgressEntry[] }) {
  if (events.length === 0) return <p class="muted">No progress events yet.</p>;
  return (
    <ol class="timeline" aria-label="Progress events">
      {groupAttempts(events).map((attempt) => (
        <li class="attempt" data-attempt={attempt.number}>
          <h4>
            {attempt.worker === undefined && attempt.number === 0
              ? 'Queued'
              : `Attempt ${attempt.number}${attempt.worker ? ` — worker ${attempt.worker}` : ''}`}
          </h4>
          <ol>
            {attempt.events.map((event) => (
              <li class={`event ${kindOf(event)}`} data-stage={event.stage} data-event-id={event.id}>
                <time dateTime={new Date(event.at).toISOString()}>{formatTime(event.at)}</time>
                <span class="stage">{event.stage}</span>
                <span class="pct">{percent(event.progress)}%</span>
                <span class="message">{event.message}</span>
              </li>
            ))}
          </ol>
        </li>
      ))}
    </ol>
  );
}
