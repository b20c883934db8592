import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { textHashBucketCount } from '../../../src/models/features/index.ts';
import {
  fnv1a32,
  textHashBucketsSql,
  textHashCounts,
  textTokens,
} from '../../../src/models/features/text-hash.ts';
import { mulberry32 } from '../../../src/random/mulberry32.ts';
import { Database } from '../../../src/store/database.ts';

let db: Database;
beforeAll(async () => {
  db = await Database.open(':memory:');
});
afterAll(() => db.close());

describe('hashed text features', () => {
  it('hashes with FNV-1a 32-bit: the published test vectors', () => {
    // Fowler/Noll/Vo reference vectors for FNV-1a 32: "" → 0x811c9dc5, "a" → 0xe40c292c, "foobar" → 0xbf9cf968.
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('splits on everything but ASCII letters and digits and lower-cases', () => {
    expect(textTokens('Disk FULL on db-01, café_2 (95%)')).toEqual([
      'disk',
      'full',
      'on',
      'db',
      '01',
      'caf',
      '2',
      '95',
    ]);
    expect(textTokens(null)).toEqual([]);
    // "Disk full on db-01": disk → 4, full → 28, on → 16, db → 3, 01 → 26 (Python, same hash).
    const counts = textHashCounts('Disk full on db-01 DISK');
    expect(counts.length).toBe(textHashBucketCount);
    expect(textHashBucketCount).toBe(32);
    expect(Object.fromEntries(counts.flatMap((n, k) => (n > 0 ? [[k, n]] : [])))).toEqual({
      3: 1,
      4: 2,
      16: 1,
      26: 1,
      28: 1,
    });
  });

  it('gives the same buckets and lengths in DuckDB as in JavaScript on 2,000 random texts', async () => {
    const random = mulberry32(11);
    // Letters, digits, separators, accented and non-Latin letters, a combining accent, an emoji
    // and a flag (two code points).
    const alphabet = 'abcXYZ019 -_/.:%éÉßİЖ\u0301😀🇫🇷\t\n';
    const chars = [...alphabet];
    const texts = Array.from({ length: 2000 }, () =>
      Array.from(
        { length: Math.floor(random() * 40) },
        () => chars[Math.floor(random() * chars.length)],
      ).join(''),
    );
    const rows = await db.all<{ i: bigint; n: bigint; b: bigint[] }>(
      `SELECT i, length(t) AS n, ${textHashBucketsSql('t')} AS b FROM (SELECT unnest($texts) AS t, generate_subscripts($texts, 1) AS i)`,
      { texts },
    );
    expect(rows.length).toBe(texts.length);
    for (const row of rows) {
      const text = texts[Number(row.i) - 1];
      const fromSql = new Array<number>(32).fill(0);
      for (const bucket of row.b) fromSql[Number(bucket)] = (fromSql[Number(bucket)] ?? 0) + 1;
      expect(fromSql, JSON.stringify(text)).toEqual(textHashCounts(text));
      // title_length and description_length: DuckDB's length() counts code points, as [...text] does.
      expect(Number(row.n), JSON.stringify(text)).toBe([...(text ?? '')].length);
    }
  });
});
