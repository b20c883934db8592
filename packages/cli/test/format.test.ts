import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { printable, printJson, renderTable } from '../src/format.ts';
import { progressLine } from '../src/progress.ts';

interface Row {
  readonly title: string;
  readonly count: number;
}

const columns = [
  { header: 'title', value: (r: Row) => r.title },
  { header: 'count', value: (r: Row) => r.count, right: true },
];

/** What must never reach a terminal raw within a line: C0, DEL, C1, line separators, bidi overrides. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const rawControl = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** One unit of any text: a grapheme of any script, any code point, or a known terminal hazard. */
const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  fc.constantFrom('\u001b[2J', '\r', '\n', '\u009b', '\u2028', '\u202e', '\u2066', '\u0000'),
);

describe('renderTable', () => {
  it('aligns columns by display width: CJK and emoji take two columns, a combining accent none', () => {
    // Widths worked by hand: 日本語 is 3 wide characters (6 columns); 🔥 is 2 columns, so
    // "🔥 fire" is 7, the widest title; "café" written with e + U+0301 is 5 code units, 4 columns.
    const table = renderTable(
      [
        { title: '日本語', count: 1 },
        { title: '🔥 fire', count: 22 },
        { title: 'cafe\u0301', count: 333 },
        { title: 'plain', count: 4 },
      ],
      columns,
    );
    expect(table.split('\n')).toEqual([
      'title    count',
      '-------  -----',
      '日本語       1',
      '🔥 fire     22',
      'cafe\u0301       333',
      'plain        4',
    ]);
  });

  it('aligns a header wider than its cells and a ZWJ emoji sequence (one glyph, two columns)', () => {
    // 👩‍💻 is woman + ZWJ + laptop: 5 code units, one glyph two columns wide; 名前 is 4 columns.
    const table = renderTable([{ name: '👩‍💻' }, { name: 'ab' }], [{ header: '名前', value: (r) => r.name }]);
    expect(table.split('\n')).toEqual(['名前', '----', '👩‍💻', 'ab']);
  });

  it('escapes control characters in cells and headers, and pads by the escaped text', () => {
    const table = renderTable(
      [
        { title: 'a\u001b[2Jb', count: 1 },
        { title: 'x\ry', count: 2 },
        { title: '\u202eevil', count: 3 },
      ],
      [{ header: 'ti\u0007tle', value: (r: Row) => r.title }, columns[1]!],
    );
    expect(table.split('\n').filter((line) => rawControl.test(line))).toEqual([]);
    expect(table.split('\n')).toEqual([
      'ti\\x07tle   count',
      '----------  -----',
      'a\\x1b[2Jb       1',
      'x\\ry            2',
      '\\u202eevil      3',
    ]);
  });

  it('keeps one line a row and no raw control character, whatever the cells hold', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: anyText }), { maxLength: 6 }), (titles) => {
        const rows = titles.map((title, count) => ({ title, count }));
        const table = renderTable(rows, columns);
        const lines = table.split('\n');
        expect(lines).toHaveLength(rows.length + 2);
        expect(lines.filter((line) => rawControl.test(line))).toEqual([]);
      }),
      { seed: 16, numRuns: 300 },
    );
  });
});

describe('single-line messages', () => {
  it('keep CJK and emoji as they are and escape control characters', () => {
    expect(printable('サービス 🔥 👩‍💻 down')).toBe('サービス 🔥 👩‍💻 down');
    expect(printable('db\u001b[2J\r\u0007 日本\u202e')).toBe('db\\x1b[2J\\r\\x07 日本\\u202e');
  });

  it('a progress line carries a wide message as it is, and a control character escaped', () => {
    expect(progressLine('ingest', { done: 1, total: 4, message: '東京 🔥\u001b[2J' }, 0)).toBe(
      'ingest: 25% (1/4) 東京 🔥\\x1b[2J',
    );
  });
});

describe('printJson', () => {
  it('escapes every control character the JSON way and keeps wide text, still valid JSON', () => {
    const written: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const value = { title: 'a\u001b[2J\u009b\u2028\u202e 日本 🔥' };
    try {
      printJson(value);
    } finally {
      write.mockRestore();
    }
    const text = written.join('');
    expect(text).toBe('{\n  "title": "a\\u001b[2J\\u009b\\u2028\\u202e 日本 🔥"\n}\n');
    expect(JSON.parse(text)).toEqual(value);
  });
});
