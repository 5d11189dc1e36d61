/** The user's analyses, newest first: filters (served by analysis.list), a page of rows with live progress, paging. */
import { useState } from 'preact/hooks';
import { INTERVALS } from '../../analysis/intervals.js';
import type { Api, ListInput } from './api';
import { AnalysisRow } from './AnalysisRow';
import { DataTable } from './DataTable';
import { ErrorNote } from './ErrorNote';
import { ChoiceFilter, FilterButtons, formText, SymbolFilter } from './FilterFields';
import { STATUSES, type Status } from './format';
import { usePolled } from './hooks';
import { Pager } from './Pager';
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
  const text = formText(form);
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
          <SymbolFilter />
          <ChoiceFilter label="Interval" name="interval" choices={INTERVALS} />
          <ChoiceFilter label="Status" name="status" choices={STATUSES} />
          <label>
            From
            <input name="from" type="date" />
          </label>
          <label>
            To
            <input name="to" type="date" />
          </label>
          <FilterButtons />
        </form>
        <ErrorNote error={list.error} />
        <DataTable kind="analyses" columns={['Symbol', 'Interval · timeframe', 'Status', 'Progress', 'Created']}>
          {result?.analyses.map((job) => (
            <AnalysisRow key={job.analysis_id} api={api} job={job} onFinished={list.reload} />
          ))}
        </DataTable>
        {result && result.analyses.length === 0 && (
          <p class="muted empty">No analyses yet{Object.keys(filters).length > 0 ? ' match these filters' : ''}.</p>
        )}
        <Pager
          page={page}
          pageCount={result && nextCursor === undefined ? Math.ceil(result.total / PAGE_SIZE) : undefined}
          total={result?.total}
          hasNext={hasNext}
          onNewer={() => setPage(page - 1)}
          onOlder={goNext}
        />
      </section>
    </>
  );
}
