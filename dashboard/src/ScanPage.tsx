/**
 * One scan: its status and counts, and the children table (status, and for completed children
 * the patterns of the last bars, trend and nearest levels). scans.progress says when a child
 * ended; the table is then re-read, at most once a second, and every few seconds for children
 * that only moved from queued to processing (which the scan's feed does not announce).
 */
import type { Api, ScanChild } from './api';
import { ProgressBar, StatusBadge } from './AnalysisRow';
import { formatNumber, formatTime, isActive } from './format';
import { useCancelAction, usePolled, useReloadOnEvents } from './hooks';
import { NotLoaded } from './NotLoaded';

interface Props {
  api: Api;
  scanId: string;
  onAuthError: (error: unknown) => void;
}

const ACTIVE_REFRESH_MS = 3000;

function Signals({ child }: { child: ScanChild }) {
  const result = child.result;
  if (!result) return <span class="muted">{child.error ?? '—'}</span>;
  return (
    <>
      {result.patterns.length === 0 ? (
        <span class="muted">no pattern in the last bars</span>
      ) : (
        result.patterns.map((hit) => (
          <span class={`pattern pattern-${hit.direction}`} data-pattern={hit.pattern}>
            {hit.pattern.replaceAll('_', ' ')}
          </span>
        ))
      )}
    </>
  );
}

function Levels({ child }: { child: ScanChild }) {
  const result = child.result;
  if (!result) return <span class="muted">—</span>;
  if (!result.support && !result.resistance) return <span class="muted small">none near</span>;
  return (
    <span class="small">
      S {formatNumber(result.support?.price)} · R {formatNumber(result.resistance?.price)}
    </span>
  );
}

export function ScanPage({ api, scanId, onAuthError }: Props) {
  const cancel = useCancelAction(
    () => api.scans.cancel.mutate({ scan_id: scanId }),
    onAuthError,
    () => record.reload(),
  );
  const record = usePolled(
    () =>
      api.scans.status.query({ scan_id: scanId }).catch((error: unknown) => {
        onAuthError(error);
        throw error;
      }),
    [api, scanId],
    ACTIVE_REFRESH_MS,
  );
  useReloadOnEvents(
    (changed) => api.scans.progress.subscribe({ scan_id: scanId, lastEventId: null }, { onData: changed }),
    record.reload,
    [api, scanId],
  );

  const scan = record.data;
  if (!scan) return <NotLoaded error={record.error} backHref="#/scans" backText="← Back to your scans" />;

  return (
    <article class="scan" data-scan-id={scan.scan_id} data-status={scan.status}>
      <a href="#/scans" class="back">
        ← Your scans
      </a>
      <header class="card analysis-head">
        <div>
          <h1>
            Scan of {scan.symbols.length} symbol{scan.symbols.length === 1 ? '' : 's'} × {scan.intervals.join(', ')}{' '}
            <span class="muted">· {scan.timeframe}</span>
          </h1>
          <p class="muted small">
            {scan.scan_id} · created {formatTime(scan.created_at)}
            {scan.finished_at && ` · finished ${formatTime(scan.finished_at)}`}
          </p>
        </div>
        <div class="head-side">
          <StatusBadge status={scan.status} />
          {isActive(scan.status) && (
            <button type="button" class="danger" onClick={() => void cancel.run()} disabled={cancel.busy}>
              {cancel.busy ? 'Cancelling…' : 'Cancel scan'}
            </button>
          )}
        </div>
        <ProgressBar fraction={scan.progress} label="Children done" />
        <p class="muted small" data-scan-counts>
          {scan.done} of {scan.total} done · {scan.completed} completed · {scan.failed} failed · {scan.cancelled}{' '}
          cancelled
        </p>
        {cancel.text && (
          <p class={cancel.failed ? 'error' : 'notice'} role="status">
            {cancel.text}
          </p>
        )}
      </header>

      <section class="card" aria-labelledby="children-title">
        <h2 id="children-title">Children</h2>
        <div class="table-wrap">
          <table class="data children">
            <thead>
              <tr>
                <th scope="col">Symbol · interval</th>
                <th scope="col">Status</th>
                <th scope="col">Patterns (last bars)</th>
                <th scope="col">Trend</th>
                <th scope="col">Nearest levels</th>
              </tr>
            </thead>
            <tbody>
              {scan.children.map((child) => (
                <tr key={child.analysis_id} data-analysis-id={child.analysis_id} data-status={child.status}>
                  <td>
                    <a href={`#/analysis/${child.analysis_id}`} class="symbol">
                      {child.symbol}
                    </a>{' '}
                    {child.interval}
                  </td>
                  <td>
                    <StatusBadge status={child.status} />
                  </td>
                  <td class="patterns">
                    <Signals child={child} />
                  </td>
                  <td>{child.result ? child.result.trend.direction : <span class="muted">—</span>}</td>
                  <td class="nowrap">
                    <Levels child={child} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </article>
  );
}
