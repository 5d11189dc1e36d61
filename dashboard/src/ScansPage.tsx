/** A form to start a scan, and the user's scans, newest first, each with its children's progress; a row opens its children table. */
import { useState } from 'preact/hooks';
import type { Api } from './api';
import { ProgressBar, StatusBadge } from './AnalysisRow';
import { DataTable } from './DataTable';
import { ErrorNote } from './ErrorNote';
import { formatTime } from './format';
import { usePolled } from './hooks';
import { OffsetPager } from './Pager';
import { ScanForm } from './ScanForm';

interface Props {
  api: Api;
  onAuthError: (error: unknown) => void;
}

export const SCAN_PAGE_SIZE = 20;

/** The first few symbols and how many more, so a 200-symbol scan fits a phone's row. */
export function symbolList(symbols: readonly string[], shown = 4): string {
  const head = symbols.slice(0, shown).join(', ');
  return symbols.length > shown ? `${head} +${symbols.length - shown}` : head;
}

export function ScansPage({ api, onAuthError }: Props) {
  const [page, setPage] = useState(0);
  const list = usePolled(
    () =>
      api.scans.list.query({ limit: SCAN_PAGE_SIZE, offset: page * SCAN_PAGE_SIZE }).catch((error: unknown) => {
        onAuthError(error);
        throw error;
      }),
    [api, page],
    // Faster while a scan on this page is still running.
    3000,
  );
  const result = list.data;

  return (
    <>
      <ScanForm api={api} onAuthError={onAuthError} onCreated={(scanId) => (location.hash = `#/scan/${scanId}`)} />
      <section class="card" aria-labelledby="scans-title">
        <h2 id="scans-title">Your scans</h2>
        <p class="muted small">
          A scan runs one analysis per symbol × interval: start one above, or with <code>scans.create</code> or{' '}
          <code>POST /scans</code>.
        </p>
        <ErrorNote error={list.error} />
        <DataTable kind="scans" columns={['Symbols', 'Intervals · timeframe', 'Status', 'Children', 'Created']}>
          {result?.scans.map((scan) => (
            <tr key={scan.scan_id} data-scan-id={scan.scan_id} data-status={scan.status}>
              <td>
                <a href={`#/scan/${scan.scan_id}`} class="symbol">
                  {symbolList(scan.symbols)}
                </a>
                <span class="muted small block">{scan.scan_id}</span>
              </td>
              <td>
                {scan.intervals.join(', ')} · {scan.timeframe}
              </td>
              <td>
                <StatusBadge status={scan.status} />
              </td>
              <td class="progress-cell">
                <ProgressBar fraction={scan.progress} label={`Children of scan ${scan.scan_id} done`} />
                <span class="muted small block">
                  {scan.done} of {scan.total} done
                  {scan.failed > 0 && ` · ${scan.failed} failed`}
                  {scan.cancelled > 0 && ` · ${scan.cancelled} cancelled`}
                </span>
              </td>
              <td class="nowrap">{formatTime(scan.created_at)}</td>
            </tr>
          ))}
        </DataTable>
        {result && result.scans.length === 0 && <p class="muted empty">No scans yet.</p>}
        <OffsetPager
          page={page}
          pageSize={SCAN_PAGE_SIZE}
          answered={result && { offset: result.offset, shown: result.scans.length, total: result.total }}
          onPage={setPage}
        />
      </section>
    </>
  );
}
