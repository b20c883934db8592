import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPlainQuoting } from '../../src/ingest/csv-quoting.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'insights-csv-quoting-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function write(text: string): string {
  const file = path.join(dir, `q${files++}.csv`);
  writeFileSync(file, text);
  return file;
}

/** The rule written plainly over the whole text (the reference for the chunked scan). */
function plainQuotingReference(text: string): boolean {
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  let inQuote = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\r' && body[i + 1] !== '\n') return false;
    if (c !== '"') continue;
    if (!inQuote) {
      if (i > 0 && body[i - 1] !== ',' && body[i - 1] !== '\n') return false;
      inQuote = true;
    } else if (body[i + 1] === '"') {
      i++;
    } else {
      const next = body[i + 1];
      if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') return false;
      inQuote = false;
    }
  }
  return !inQuote;
}

describe('hasPlainQuoting', () => {
  it('accepts RFC 4180 quoting and refuses what DuckDB and the splitter read differently', async () => {
    const cases: [string, boolean][] = [
      ['a,"b, c"\n"d ""e"""\r\n', true],
      ['\ufeff"a",b\n', true],
      ['a, "b"\n', false], // space before an opening quote: DuckDB trims it, the splitter refuses
      ['"a" ,b\n', false], // space after a closing quote
      ['a,b"c\n', false], // a quote inside an unquoted field
      ['a\rb\n', false], // a lone carriage return: a line break for DuckDB only
      ['"a\n', false], // never closed
    ];
    for (const [text, plain] of cases)
      expect([text, await hasPlainQuoting(write(text), ',')]).toEqual([text, plain]);
  });

  it('gives the same answer whatever the chunk size, as the plain rule over the whole text', async () => {
    const text = fc
      .array(fc.constantFrom('"', ',', '\n', '\r', 'a', ' ', '""', '"a"', ',"a,b"', '\r\n'), {
        maxLength: 30,
      })
      .map((parts) => parts.join(''));
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), fc.integer({ min: 3, max: 9 }), async (body, bom, chunk) => {
        const content = `${bom ? '\ufeff' : ''}${body}`;
        const file = write(content);
        expect(await hasPlainQuoting(file, ',', chunk)).toBe(plainQuotingReference(content));
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
