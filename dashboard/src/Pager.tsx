/** Newer / older buttons under a list, with where the reader is: "Page 2 of 5 · 43 in all". */
interface Props {
  page: number;
  /** Unknown while the API pages by cursor and the last page has not been reached. */
  pageCount: number | undefined;
  total: number | undefined;
  hasNext: boolean;
  onNewer: () => void;
  onOlder: () => void;
}

export function Pager({ page, pageCount, total, hasNext, onNewer, onOlder }: Props) {
  return (
    <nav class="pager" aria-label="Pages">
      <button type="button" class="secondary" disabled={page === 0} onClick={onNewer}>
        ← Newer
      </button>
      <span class="muted">
        Page {page + 1}
        {pageCount !== undefined && ` of ${Math.max(1, pageCount)}`}
        {total !== undefined && ` · ${total} in all`}
      </span>
      <button type="button" class="secondary" disabled={!hasNext} onClick={onOlder}>
        Older →
      </button>
    </nav>
  );
}

interface OffsetPagerProps {
  page: number;
  pageSize: number;
  /** The page the API answered: where it starts, how many rows it holds, how many there are in all. */
  answered: { offset: number; shown: number; total: number } | undefined;
  onPage: (page: number) => void;
}

/** The pager of a list the API pages by offset, where the number of pages is always known. */
export function OffsetPager({ page, pageSize, answered, onPage }: OffsetPagerProps) {
  return (
    <Pager
      page={page}
      pageCount={answered && Math.ceil(answered.total / pageSize)}
      total={answered?.total}
      hasNext={answered ? answered.offset + answered.shown < answered.total : false}
      onNewer={() => onPage(page - 1)}
      onOlder={() => onPage(page + 1)}
    />
  );
}
