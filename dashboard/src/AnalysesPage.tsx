/** The user's analyses, newest first: filters (served by analysis.list), a page of rows with live progress, paging. */
import { useState } from 'preact/hooks';
import { INTERVALS } from '../../analysis/intervals.js';
import { errorMessage, type Api, type ListInput } from './api';
import { AnalysisRow } from './AnalysisRow';
import { STATUSES, type Status } from './format';
import { usePolled } from './hooks';
import { QueueForm } from './QueueForm';

interface Props {
  api: Api;
  onAuthError: (error: unknown) => void;
}

/** Small enough that every active row's progress feed fits one connection's subscription limit. */
export const PAGE_SIZE = 10;

interface Filters {
  symbol?: string;
  interval?: (typeof INTERVALS)[number];
  status?: Status;
  created_after?: string;
  created_before?: string;
}

/** A date input's day as the start of that day (local time), in ISO-8601. */
const dayStart = (day: string, plusDays = 0): string | undefined => {
  if (!day) return undefined;
  const date = new Date(`${day}T00:00:00`);
  date.setDate(date.getDate() + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
};

function readFilters(form: HTMLFormElement): Filters {
  const data = new FormData(form);
  const text = (name: string) => {
    const entry = data.get(name);
    return typeof entry === 'string' ? entry.trim() : '';
  };
  const filters: Filters = {};
  if (text('symbol')) filters.symbol = text('symbol').toUpperCase();
  if (text('interval')) filters.interval = text('interval') as Filters['interval'];
  if (text('status')) filters.status = text('status') as Status;
  const after = dayStart(text('from'));
  const before = dayStart(text('to'), 1);
  if (after) filters.created_after = after;
  if (before) filters.created_before = before;
  return filters;
}

export function AnalysesPage({ api, onAuthError }: Props) {
  const [filters, setFilters] = useState<Filters>({});
  // Page n starts at offset n × PAGE_SIZE, or at the cursor page n-1 handed back when the API pages by cursor.
  const [page, setPage] = useState(0);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const cursor = cursors[page] ?? null;

  const list = usePolled(
    async () => {
      const input = {
        limit: PAGE_SIZE,
        ...filters,
        ...(cursor ? { cursor } : { offset: page * PAGE_SIZE }),
      } as ListInput;
      try {
        return await api.analysis.list.query(input);
      } catch (error) {
        onAuthError(error);
        throw error;
      }
    },
    [api, filters, page, cursor],
    5000,
  );

  const result = list.data;
  const nextCursor = result && 'next_cursor' in result ? result.next_cursor : undefined;
  const hasNext = result
    ? nextCursor !== undefined
      ? nextCursor !== null
      : result.offset + result.analyses.length < result.total
    : false;

  const goNext = () => {
    if (nextCursor) setCursors((known) => [...known.slice(0, page + 1), nextCursor]);
    setPage(page + 1);
  };
  const applyFilters = (event: Event) => {
    event.preventDefault();
    setFilters(readFilters(event.currentTarget as HTMLFormElement));
    setPage(0);
    setCursors([null]);
  };
  const clearFilters = (event: Event) => {
    (event.currentTarget as HTMLFormElement).reset();
    setFilters({});
    setPage(0);
    setCursors([null]);
  };

  return (
    <>
      <QueueForm
        api={api}
        onAuthError={onAuthError}
        onQueued={() => {
          setPage(0);
          list.reload();
        }}
      />
      <section class="card" aria-labelledby="analyses-title">
        <h2 id="analyses-title">Your analyses</h2>
        <form class="filters" onSubmit={applyFilters} onReset={clearFilters} aria-label="Filter analyses">
          <label>
            Symbol
            <input name="symbol" placeholder="any" spellcheck={false} />
          </label>
          <label>
            Interval
            <select name="interval">
              <option value="">any</option>
              {INTERVALS.map((interval) => (
                <option value={interval}>{interval}</option>
              ))}
            </select>
          </label>
          <label>
            Status
            <select name="status">
              <option value="">any</option>
              {STATUSES.map((status) => (
                <option value={status}>{status}</option>
              ))}
            </select>
          </label>
          <label>
            From
            <input name="from" type="date" />
          </label>
          <label>
            To
            <input name="to" type="date" />
          </label>
          <div class="buttons">
            <button type="submit">Filter</button>
            <button type="reset" class="secondary">
              Clear
            </button>
          </div>
        </form>
        {list.error !== undefined && (
          <p class="error" role="alert">
            {errorMessage(list.error)}
          </p>
        )}
        <div class="table-wrap">
          <table class="analyses">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Interval · timeframe</th>
                <th scope="col">Status</th>
                <th scope="col">Progress</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {result?.analyses.map((job) => (
                <AnalysisRow key={job.analysis_id} api={api} job={job} onFinished={list.reload} />
              ))}
            </tbody>
          </table>
        </div>
        {result && result.analyses.length === 0 && (
          <p class="muted empty">No analyses yet{Object.keys(filters).length > 0 ? ' match these filters' : ''}.</p>
        )}
        <nav class="pager" aria-label="Pages">
          <button type="button" class="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
            ← Newer
          </button>
          <span class="muted">
            Page {page + 1}
            {result && nextCursor === undefined && ` of ${Math.max(1, Math.ceil(result.total / PAGE_SIZE))}`}
            {result && ` · ${result.total} in all`}
          </span>
          <button type="button" class="secondary" disabled={!hasNext} onClick={goNext}>
            Older →
          </button>
        </nav>
      </section>
    </>
  );
}
