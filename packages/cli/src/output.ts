// Terminal output: JSON for --json, aligned tables otherwise, colours only on a TTY without NO_COLOR, and the usage
// chart. Results go to stdout; notes and errors to stderr.

// Whether a stream gets ANSI colours: a terminal, NO_COLOR unset, TERM not dumb.
export function colours(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR && process.env.TERM !== "dumb";
}

function paint(code: string, stream: NodeJS.WriteStream) {
  return (text: string) => (colours(stream) ? `\u001b[${code}m${text}\u001b[0m` : text);
}

export const style = {
  bold: paint("1", process.stdout),
  dim: paint("2", process.stdout),
  green: paint("32", process.stdout),
  red: paint("31", process.stdout),
  yellow: paint("33", process.stdout),
  errRed: paint("31", process.stderr),
  errDim: paint("2", process.stderr),
};

// Visible width of a string (ANSI colour codes take no room).
const width = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "").length;

// Writes one line to stdout.
export function out(line = "") {
  process.stdout.write(line + "\n");
}

// Writes one note line to stderr.
export function note(line: string) {
  process.stderr.write(line + "\n");
}

// A value as JSON on stdout (the --json output of every command).
export function printJson(value: unknown) {
  out(JSON.stringify(value, null, 2));
}

// Rows under a header, columns padded to their widest cell.
export function table(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i] - width(c))))
      .join("  ")
      .trimEnd();
  out(style.bold(line(header)));
  for (const row of rows) out(line(row));
}

// Label/value pairs, one per line, labels aligned.
export function fields(pairs: [string, string][]) {
  const w = Math.max(...pairs.map(([k]) => k.length));
  for (const [k, v] of pairs) out(`${style.dim(k.padEnd(w))}  ${v}`);
}

const BLOCKS = " ▁▂▃▄▅▆▇█";

// A bar per value (at most `maxBars`, buckets merged by summing), scaled to the largest, 8 levels tall.
export function sparkline(values: number[], maxBars = 60): string {
  if (values.length === 0) return "";
  const per = Math.ceil(values.length / maxBars);
  const bars: number[] = [];
  for (let i = 0; i < values.length; i += per) bars.push(values.slice(i, i + per).reduce((a, b) => a + b, 0));
  const max = Math.max(...bars);
  return bars
    .map((v) => (max === 0 ? BLOCKS[0] : BLOCKS[v === 0 ? 0 : Math.max(1, Math.round((v / max) * 8))]))
    .join("");
}

// A date-time for tables: ISO without milliseconds, or "-" for none.
export function when(iso: string | null | undefined): string {
  return iso ? iso.replace(/\.\d{3}Z$/, "Z") : "-";
}
