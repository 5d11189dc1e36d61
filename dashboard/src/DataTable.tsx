/** A table of the dashboard's: a scrolling wrapper, an optional caption, column headings, the rows given. */
import type { ComponentChildren } from 'preact';

interface Props {
  /** The table's class, which the stylesheet and the browser tests select by. */
  kind: string;
  columns: readonly string[];
  caption?: string;
  children: ComponentChildren;
}

export function DataTable({ kind, columns, caption, children }: Props) {
  return (
    <div class="table-wrap">
      <table class={kind}>
        {caption !== undefined && <caption>{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col">{column}</th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
