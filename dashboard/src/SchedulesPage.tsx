/**
 * The user's schedules (scans that run on every candle close): a form to create one, and a row
 * per schedule with its state, the next candle close, its runs (each a link to the scan it
 * started), and Pause/Resume and Delete.
 */
import { useState } from 'preact/hooks';
import { nextDueAt } from '../../analysis/barSchedule.js';
import { errorMessage, type Api, type Schedule } from './api';
import { DataTable } from './DataTable';
import { ErrorNote } from './ErrorNote';
import { formatTime } from './format';
import { usePolled } from './hooks';
import { OffsetPager } from './Pager';
import { ScheduleForm } from './ScheduleForm';
import { symbolList } from './ScansPage';

interface Props {
  api: Api;
  onAuthError: (error: unknown) => void;
}

export const SCHEDULE_PAGE_SIZE = 20;
/** Runs only happen on candle closes (a minute apart at the least), so a slow re-read is enough. */
const LIST_REFRESH_MS = 5000;
const RUNS_REFRESH_MS = 10_000;

/**
 * The earliest next close among the schedule's intervals. The run itself follows a few seconds
 * later (the API's settle delay, which the browser does not know), so this is labelled a close.
 */
function nextClose(schedule: Schedule, now: number): number | undefined {
  if (schedule.status !== 'active' || schedule.intervals.length === 0) return undefined;
  return Math.min(...schedule.intervals.map((interval) => nextDueAt(interval, now, 0)));
}

function RecentRuns({
  api,
  scheduleId,
  onAuthError,
}: {
  api: Api;
  scheduleId: string;
  onAuthError: (error: unknown) => void;
}) {
  const detail = usePolled(
    () =>
      api.schedules.get.query({ schedule_id: scheduleId }).catch((error: unknown) => {
        onAuthError(error);
        throw error;
      }),
    [api, scheduleId],
    RUNS_REFRESH_MS,
  );
  if (detail.error !== undefined)
    return (
      <p class="error small" role="alert">
        {errorMessage(detail.error)}
      </p>
    );
  const runs = detail.data?.recent_runs;
  if (!runs) return <p class="muted small">Loading…</p>;
  if (runs.length === 0) return <p class="muted small">No runs yet: the first is at the next close.</p>;
  return (
    <ol class="history schedule-runs" data-runs-of={scheduleId}>
      {runs.map((run) => (
        <li key={run.scan_id} data-run-scan-id={run.scan_id}>
          <a href={`#/scan/${run.scan_id}`}>{run.scan_id}</a>{' '}
          <span class="muted small">candle closed {formatTime(run.closed_at)}</span>
        </li>
      ))}
    </ol>
  );
}

const ACTION_LABELS = { pause: 'Pause', resume: 'Resume', delete: 'Delete' } as const;

export function SchedulesPage({ api, onAuthError }: Props) {
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const list = usePolled(
    () =>
      api.schedules.list
        .query({ limit: SCHEDULE_PAGE_SIZE, offset: page * SCHEDULE_PAGE_SIZE })
        .catch((error: unknown) => {
          onAuthError(error);
          throw error;
        }),
    [api, page],
    LIST_REFRESH_MS,
  );
  const result = list.data;
  const now = Date.now();

  const act = async (scheduleId: string, action: 'pause' | 'resume' | 'delete') => {
    setBusy(scheduleId);
    setProblem(undefined);
    try {
      await api.schedules[action].mutate({ schedule_id: scheduleId });
    } catch (error) {
      onAuthError(error);
      setProblem(errorMessage(error));
    } finally {
      setBusy(undefined);
      list.reload();
    }
  };
  const actionButton = (scheduleId: string, action: 'pause' | 'resume' | 'delete') => (
    <button
      type="button"
      class={action === 'delete' ? 'danger' : 'secondary'}
      disabled={busy === scheduleId}
      aria-label={`${ACTION_LABELS[action]} schedule ${scheduleId}`}
      onClick={() => void act(scheduleId, action)}
    >
      {ACTION_LABELS[action]}
    </button>
  );

  const toggleRuns = (scheduleId: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(scheduleId)) next.delete(scheduleId);
      else next.add(scheduleId);
      return next;
    });

  return (
    <>
      <ScheduleForm api={api} onAuthError={onAuthError} onCreated={() => list.reload()} />
      <section class="card" aria-labelledby="schedules-title">
        <h2 id="schedules-title">Your schedules</h2>
        <p class="muted small">
          Each run is a scan of closed candles: create a schedule above, or with <code>schedules.create</code>.
        </p>
        <ErrorNote error={list.error} />
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <DataTable
          kind="schedules"
          columns={['Symbols', 'Intervals · timeframe', 'State', 'Next close', 'Runs', 'Actions']}
        >
          {result?.schedules.map((schedule) => {
            const id = schedule.schedule_id;
            const next = nextClose(schedule, now);
            const expanded = open.has(id);
            return (
              <tr key={id} data-schedule-id={id} data-state={schedule.status}>
                <td>
                  <span class="symbol">{symbolList(schedule.symbols)}</span>
                  <span class="muted small block">{id}</span>
                </td>
                <td>
                  {schedule.intervals.join(', ')} · {schedule.timeframe}
                </td>
                <td>
                  <span class={`status schedule-${schedule.status}`}>{schedule.status}</span>
                </td>
                <td class="nowrap">
                  <span class="muted small">next close </span>
                  {next === undefined ? <span class="muted">— (paused)</span> : formatTime(next)}
                </td>
                <td class="runs-cell">
                  <span class="small">
                    {schedule.runs} run{schedule.runs === 1 ? '' : 's'}
                    {schedule.skipped_runs > 0 && ` · ${schedule.skipped_runs} skipped`}
                  </span>
                  {schedule.last_scan_id && (
                    <span class="small block">
                      last <a href={`#/scan/${schedule.last_scan_id}`}>{formatTime(schedule.last_run_at)}</a>
                    </span>
                  )}
                  <button
                    type="button"
                    class="secondary small"
                    aria-expanded={expanded}
                    aria-controls={`runs-${id}`}
                    onClick={() => toggleRuns(id)}
                  >
                    {expanded ? 'Hide runs' : 'Recent runs'}
                  </button>
                  {expanded && (
                    <div id={`runs-${id}`}>
                      <RecentRuns api={api} scheduleId={id} onAuthError={onAuthError} />
                    </div>
                  )}
                </td>
                <td class="actions">
                  {schedule.status === 'active' ? actionButton(id, 'pause') : actionButton(id, 'resume')}
                  {actionButton(id, 'delete')}
                </td>
              </tr>
            );
          })}
        </DataTable>
        {result && result.schedules.length === 0 && <p class="muted empty">No schedules yet.</p>}
        <OffsetPager
          page={page}
          pageSize={SCHEDULE_PAGE_SIZE}
          answered={result && { offset: result.offset, shown: result.schedules.length, total: result.total }}
          onPage={setPage}
        />
      </section>
    </>
  );
}
