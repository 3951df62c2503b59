// Table primitives with the dashboard's one look: bordered scroll container, caption, header band, divided rows.
import type { ReactNode, TdHTMLAttributes, ThHTMLAttributes } from "react";

const CELL = "px-4 py-2";
const NUMERIC = "text-right tabular-nums";

// A scrollable bordered table; the caption names it for screen readers and is shown only when `showCaption`.
export function Table({
  caption,
  showCaption = false,
  children,
}: {
  caption: ReactNode;
  showCaption?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="relative overflow-x-auto rounded-xl border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className={showCaption ? "border-b border-slate-200 px-4 py-3 text-left font-medium" : "sr-only"}>
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}

// The header band: one row of column headers (TH).
export function THead({ children }: { children: ReactNode }) {
  return (
    <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase tracking-wide text-slate-600">
      <tr>{children}</tr>
    </thead>
  );
}

// Column headers from plain labels; those also in `numeric` head columns of numbers.
export function THeadLabels({ labels, numeric = [] }: { labels: string[]; numeric?: string[] }) {
  return (
    <THead>
      {labels.map((label) => (
        <TH key={label} numeric={numeric.includes(label)}>
          {label}
        </TH>
      ))}
    </THead>
  );
}

// The body, rows divided by a hairline.
export function TBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100">{children}</tbody>;
}

// A totals footer row.
export function TFoot({ children }: { children: ReactNode }) {
  return (
    <tfoot className="border-t border-slate-200 bg-slate-50 font-medium">
      <tr>{children}</tr>
    </tfoot>
  );
}

// A header cell: a column header by default, a row header with scope="row"; `numeric` right-aligns it over numbers.
export function TH({
  numeric = false,
  scope = "col",
  className = "",
  ...props
}: ThHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return (
    <th scope={scope} className={`${CELL} font-medium ${numeric ? NUMERIC : "text-left"} ${className}`} {...props} />
  );
}

// A data cell; `numeric` right-aligns with tabular figures.
export function TD({
  numeric = false,
  className = "",
  ...props
}: TdHTMLAttributes<HTMLTableCellElement> & { numeric?: boolean }) {
  return <td className={`${CELL} ${numeric ? NUMERIC : ""} ${className}`} {...props} />;
}

// What stands in for a table with no rows.
export function EmptyTable({ title, hint }: { title: string; hint?: string }) {
  return (
    <div className="rounded-xl border border-dashed border-slate-300 bg-white p-8 text-center">
      <p className="font-medium">{title}</p>
      {hint ? <p className="mt-1 text-sm text-slate-600">{hint}</p> : null}
    </div>
  );
}
