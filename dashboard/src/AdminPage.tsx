/** Admin views: queue figures, live workers, stalled-job counters and the dead-letter stream with Replay. */
import { useState } from 'preact/hooks';
import { errorMessage, type Api, type DeadLetter, type Worker } from './api';
import { formatAge, formatNumber, formatTime } from './format';
import { usePolled } from './hooks';

interface Props {
  api: Api;
  onAuthError: (error: unknown) => void;
}

const REFRESH_MS = 2000;

/** Per-worker counts over the last hour; servers that do not report them yet leave them out. */
const COUNTERS = [
  ['reclaims', 'Reclaims'],
  ['poison_messages', 'Poison messages'],
  ['takeovers', 'Takeovers'],
] as const;

const countOf = (worker: Worker, field: (typeof COUNTERS)[number][0]): number | undefined => {
  const value = (worker as Worker & Partial<Record<typeof field, unknown>>)[field];
  return typeof value === 'number' ? value : undefined;
};

function Figure({ label, value, name }: { label: string; value: string | number; name: string }) {
  return (
    <div class="figure" data-figure={name}>
      <span class="figure-value">{value}</span>
      <span class="figure-label">{label}</span>
    </div>
  );
}

function WorkersTable({ workers }: { workers: Worker[] }) {
  if (workers.length === 0) return <p class="muted">No live workers.</p>;
  return (
    <div class="table-wrap">
      <table class="data workers">
        <thead>
          <tr>
            <th scope="col">Worker</th>
            <th scope="col">Heartbeat</th>
            <th scope="col">Processed</th>
            <th scope="col">Per minute</th>
            <th scope="col">Avg time</th>
            <th scope="col">Errors</th>
            <th scope="col">Circuits</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => {
            const metrics = worker.metrics;
            const perMinute = metrics && metrics.uptime > 0 ? (metrics.analyses_processed / metrics.uptime) * 60 : null;
            const circuits = worker.circuits ?? { all: worker.circuit_breaker_state };
            return (
              <tr data-worker-id={worker.worker_id}>
                <td>
                  {worker.worker_id}
                  <span class="muted small block">
                    {worker.host} pid {worker.pid} · {worker.consumers.length} consumers
                  </span>
                </td>
                <td class="nowrap">{formatAge(Date.now() - new Date(worker.last_seen).getTime())}</td>
                <td>{metrics ? metrics.analyses_processed : '—'}</td>
                <td>{formatNumber(perMinute, 1)}</td>
                <td class="nowrap">{metrics ? `${formatNumber(metrics.avg_processing_time, 0)} ms` : '—'}</td>
                <td>{metrics ? metrics.errors_total : '—'}</td>
                <td>
                  {Object.entries(circuits).map(([dependency, state]) => (
                    <span class={`circuit circuit-${state}`}>
                      {dependency}: {state}
                    </span>
                  ))}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function DeadLetterRow({ letter, onReplay }: { letter: DeadLetter; onReplay: (id: string) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <tr data-dead-letter-id={letter.dead_letter_id} data-analysis-id={letter.analysis_id}>
      <td>
        {letter.job ? `${letter.job.symbol} ${letter.job.interval} · ${letter.job.timeframe}` : '—'}
        <span class="muted small block">
          {letter.analysis_id}
          {letter.job && ` · user ${letter.job.user_id}`}
        </span>
      </td>
      <td>
        {letter.error}
        <details>
          <summary>
            History ({letter.history.length} {letter.history.length === 1 ? 'attempt' : 'attempts'})
          </summary>
          <ol class="history">
            {letter.history.map((attempt) => (
              <li>
                {formatTime(attempt.at)} · attempt {attempt.attempt} on {attempt.node}: {attempt.error}
              </li>
            ))}
          </ol>
        </details>
      </td>
      <td class="nowrap">{formatTime(letter.at)}</td>
      <td>
        <button
          type="button"
          disabled={busy}
          onClick={() => {
            setBusy(true);
            void onReplay(letter.analysis_id).finally(() => setBusy(false));
          }}
        >
          Replay
        </button>
      </td>
    </tr>
  );
}

export function AdminPage({ api, onAuthError }: Props) {
  const guard = <T,>(promise: Promise<T>) =>
    promise.catch((error: unknown) => {
      onAuthError(error);
      throw error;
    });
  const stats = usePolled(() => guard(api.queue.stats.query()), [api], REFRESH_MS);
  const workers = usePolled(() => guard(api.workers.list.query()), [api], REFRESH_MS);
  const letters = usePolled(() => guard(api.queue.deadLetters.query({ limit: 100 })), [api], REFRESH_MS);
  const [notice, setNotice] = useState<{ text: string; failed?: boolean } | undefined>(undefined);

  const replay = async (input: { analysis_id: string } | { all: true }) => {
    try {
      const results = await api.queue.replay.mutate(input);
      const replayed = results.filter((result) => result.replayed).length;
      setNotice({ text: `${replayed} of ${results.length} dead letters queued again` });
    } catch (error) {
      onAuthError(error);
      setNotice({ text: errorMessage(error), failed: true });
    }
    letters.reload();
  };

  const live = workers.data?.workers ?? [];
  const reported = live.some((worker) => COUNTERS.some(([field]) => countOf(worker, field) !== undefined));
  const error = stats.error ?? workers.error ?? letters.error;
  return (
    <>
      {error !== undefined && (
        <p class="error" role="alert">
          {errorMessage(error)}
        </p>
      )}
      <section class="card" aria-labelledby="queue-figures">
        <h2 id="queue-figures">Queue</h2>
        {stats.data ? (
          <div class="figures">
            <Figure name="stream" label="In the stream" value={stats.data.total_jobs_in_stream} />
            <Figure name="pending" label="Pending (delivered, not done)" value={stats.data.pending_jobs} />
            <Figure name="waiting" label="Waiting (not yet delivered)" value={stats.data.waiting_jobs} />
            <Figure name="consumers" label="Active consumers" value={stats.data.active_consumers} />
            <Figure name="dead-letters" label="Dead letters" value={letters.data?.length ?? '—'} />
          </div>
        ) : (
          <p class="muted">Loading…</p>
        )}
        <h3>Stalled jobs, last hour</h3>
        {reported ? (
          <div class="figures">
            {COUNTERS.map(([field, label]) => (
              <Figure
                name={field}
                label={label}
                value={live.reduce((sum, worker) => sum + (countOf(worker, field) ?? 0), 0)}
              />
            ))}
          </div>
        ) : (
          <p class="muted small">Reclaim, poison-message and takeover counts are not reported by these workers.</p>
        )}
      </section>
      <section class="card" aria-labelledby="workers-title">
        <h2 id="workers-title">Workers</h2>
        {workers.data ? <WorkersTable workers={live} /> : <p class="muted">Loading…</p>}
      </section>
      <section class="card" aria-labelledby="dead-title">
        <div class="section-head">
          <h2 id="dead-title">Dead letters</h2>
          {letters.data && letters.data.length > 1 && (
            <button type="button" class="secondary" onClick={() => void replay({ all: true })}>
              Replay all
            </button>
          )}
        </div>
        {notice && (
          <p class={notice.failed ? 'error' : 'notice'} role="status">
            {notice.text}
          </p>
        )}
        {letters.data && letters.data.length === 0 && <p class="muted">No dead letters.</p>}
        {letters.data && letters.data.length > 0 && (
          <div class="table-wrap">
            <table class="data dead-letters">
              <thead>
                <tr>
                  <th scope="col">Analysis</th>
                  <th scope="col">Error and history</th>
                  <th scope="col">Dead-lettered</th>
                  <th scope="col">
                    <span class="sr-only">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {letters.data.map((letter) => (
                  <DeadLetterRow
                    key={letter.dead_letter_id}
                    letter={letter}
                    onReplay={(id) => replay({ analysis_id: id })}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}
