/** A list page's table: a scrolling wrapper, column headings, the rows the page renders. */
import type { ComponentChildren } from 'preact';

interface Props {
  /** The table's class, which the stylesheet and the browser tests select by. */
  kind: string;
  columns: readonly string[];
  children: ComponentChildren;
}

export function DataTable({ kind, columns, children }: Props) {
  return (
    <div class="table-wrap">
      <table class={kind}>
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
