// Plain-text tables laid out like mqadmin's (`#Header` columns, left-aligned names, right-aligned
// numbers, two spaces between columns) that fit a given width. When the natural layout is too
// wide, the widest shrinkable columns give up room first, down to their minimum; a cell longer
// than its column is then wrapped onto more lines (`overflow: 'wrap'`) or cut and marked with
// `…` (`overflow: 'cut'`, the default). Columns marked `hideable` are dropped, last first, when
// even the minimums do not fit, and a footnote names them.

export type Align = 'left' | 'right';

export interface Column {
  readonly header: string;
  readonly align?: Align;
  /** narrowest the column may become when the table must shrink (default: header length, at most 12) */
  readonly widthMin?: number;
  readonly overflow?: 'wrap' | 'cut';
  /** may be left out entirely on a narrow terminal */
  readonly hideable?: boolean;
}

export interface Table {
  readonly columns: readonly Column[];
  readonly rows: ReadonlyArray<ReadonlyArray<string | number | boolean | undefined>>;
}

export const ELLIPSIS = '…';
const GAP = '  ';

/** Renders `table` in at most `widthMax` columns (Infinity: natural widths). Ends with a newline. */
export function renderTable(table: Table, widthMax: number): string {
  const cells = table.rows.map((row) => table.columns.map((_, i) => cellText(row[i])));
  const visible = chooseVisibleColumns(table.columns, cells, widthMax);
  const columns = visible.map((i) => table.columns[i]!);
  const rows = cells.map((row) => visible.map((i) => row[i]!));
  const widths = fitWidths(columns, rows, widthMax);
  const lines: string[] = [formatLine(columns, columns.map((c, i) => splitCell(c.header, widths[i]!, 'cut')[0]!), widths)];
  for (const row of rows) lines.push(...formatRow(columns, row, widths));
  const hidden = table.columns.filter((_, i) => !visible.includes(i)).map((c) => c.header);
  if (hidden.length > 0) lines.push(...wrapWords(`(${hidden.join(', ')} hidden to fit ${widthMax} columns; use --json or a wider terminal)`, widthMax));
  return lines.map((l) => l.trimEnd()).join('\n') + '\n';
}

function cellText(value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return String(value).replace(/[\r\n\t]+/g, ' ');
}

function naturalWidth(column: Column, cells: readonly string[][], index: number): number {
  let width = column.header.length;
  for (const row of cells) width = Math.max(width, row[index]!.length);
  return width;
}

function minWidth(column: Column, natural: number): number {
  return Math.min(natural, column.widthMin ?? Math.min(column.header.length, 12));
}

function totalWidth(widths: readonly number[]): number {
  return widths.reduce((sum, w) => sum + w, 0) + GAP.length * Math.max(0, widths.length - 1);
}

function chooseVisibleColumns(columns: readonly Column[], cells: readonly string[][], widthMax: number): number[] {
  const visible = columns.map((_, i) => i);
  const minimum = (): number => totalWidth(visible.map((i) => minWidth(columns[i]!, naturalWidth(columns[i]!, cells, i))));
  for (let i = columns.length - 1; i >= 0 && minimum() > widthMax; i--) {
    if (columns[i]!.hideable === true) visible.splice(visible.indexOf(i), 1);
  }
  return visible;
}

function fitWidths(columns: readonly Column[], rows: readonly string[][], widthMax: number): number[] {
  const natural = columns.map((c, i) => naturalWidth(c, rows, i));
  const widths = [...natural];
  const floor = columns.map((c, i) => minWidth(c, natural[i]!));
  let excess = totalWidth(widths) - widthMax;
  while (excess > 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (widths[i]! > floor[i]! && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    }
    if (widest < 0) break;
    widths[widest]!--;
    excess--;
  }
  return widths;
}

function formatRow(columns: readonly Column[], row: readonly string[], widths: readonly number[]): string[] {
  const pieces = row.map((text, i) => splitCell(text, widths[i]!, columns[i]!.overflow ?? 'cut'));
  const height = Math.max(1, ...pieces.map((p) => p.length));
  const lines: string[] = [];
  for (let line = 0; line < height; line++) lines.push(formatLine(columns, pieces.map((p) => p[line] ?? ''), widths));
  return lines;
}

function splitCell(text: string, width: number, overflow: 'wrap' | 'cut'): string[] {
  if (text.length <= width) return [text];
  if (overflow === 'cut' || width < 2) return [text.slice(0, Math.max(0, width - 1)) + ELLIPSIS];
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += width) parts.push(text.slice(start, start + width));
  return parts;
}

function formatLine(columns: readonly Column[], texts: readonly string[], widths: readonly number[]): string {
  return texts.map((text, i) => (columns[i]!.align === 'right' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!))).join(GAP);
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
