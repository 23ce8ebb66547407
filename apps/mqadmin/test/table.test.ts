import { describe, expect, it } from 'vitest';
import { ELLIPSIS, fitLines, renderTable, type Table } from '../src/index.js';

const table: Table = {
  columns: [{ header: '#Name' }, { header: '#Addr', overflow: 'wrap', widthMin: 10 }, { header: '#Count', align: 'right' }],
  rows: [['broker-a', '127.0.0.1:10911', 5], ['a-much-longer-broker-name-than-usual', '[::1]:10911', 12345]],
};

describe('renderTable', () => {
  it('lays columns out at natural width with two-space gaps, numbers right-aligned', () => {
    const text = renderTable(table, Number.POSITIVE_INFINITY);
    expect(text).toBe(
      '#Name                                 #Addr            #Count\n' +
      'broker-a                              127.0.0.1:10911       5\n' +
      'a-much-longer-broker-name-than-usual  [::1]:10911       12345\n',
    );
  });

  it('fits a narrow width: the widest column shrinks, cut cells end with an ellipsis, wrap cells continue on the next line', () => {
    const text = renderTable(table, 40);
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(text).toContain(ELLIPSIS);
    expect(text).toContain('a-much-longer');
    // the 15-character address wraps into its 10..15-wide column without loss
    expect(lines.join('').replace(/\s+/g, '')).toContain('127.0.0.1');
  });

  it('drops hideable columns (last first) when even minimum widths do not fit, and says so', () => {
    const wide: Table = {
      columns: [{ header: '#A' }, { header: '#Extra1', hideable: true, widthMin: 30 }, { header: '#B' }, { header: '#Extra2', hideable: true, widthMin: 30 }],
      rows: [['a', 'x'.repeat(40), 'b', 'y'.repeat(40)]],
    };
    const text = renderTable(wide, 50);
    const [header, row, ...note] = text.trimEnd().split('\n');
    expect(header).toMatch(/^#A +#Extra1 +#B$/);
    expect(row).toContain('x'.repeat(40));
    expect(row).not.toContain('y');
    expect(note.join(' ')).toBe('(#Extra2 hidden to fit 50 columns; use --json or a wider terminal)');
    for (const line of text.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(50);
  });

  it('keeps newlines and tabs in cells from breaking the layout', () => {
    const text = renderTable({ columns: [{ header: '#K' }, { header: '#V' }], rows: [['k', 'line1\nline2\tx']] }, 80);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain('line1 line2 x');
  });
});

describe('fitLines', () => {
  it('leaves short lines and unlimited widths alone', () => {
    expect(fitLines('a\nb', 80)).toBe('a\nb');
    expect(fitLines('x'.repeat(200), Number.POSITIVE_INFINITY)).toBe('x'.repeat(200));
  });

  it('breaks a long `Label:   value` line after ", " and indents the rest under the value', () => {
    const line = `Properties:          {${Array.from({ length: 12 }, (_, i) => `KEY${i}=value-${i}`).join(', ')}}`;
    const lines = fitLines(line, 60).split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(60);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {21}\S/);
    expect(lines.map((l) => l.trim()).join(' ')).toBe(line);
  });

  it('cuts a line without spaces at the width, losing nothing', () => {
    const lines = fitLines('y'.repeat(130), 50).split('\n');
    expect(lines.map((l) => l.length)).toEqual([50, 50, 30]);
  });
});
