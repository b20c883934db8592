/**
 * Hashed text features ("the hashing trick", Weinberger et al. 2009): the words of a title or a
 * description counted into a fixed number of buckets, so free text becomes a fixed set of numeric
 * columns without a vocabulary fitted on the training rows.
 *
 * One definition, written twice: {@link textHashBucketsSql} computes it in DuckDB for stored
 * incidents, {@link textHashCounts} in JavaScript for the fields sent to predict; the tests check
 * that both give the same counts.
 *
 * - tokens: maximal runs of ASCII letters and digits (`[A-Za-z0-9]+`), lower-cased; everything
 *   else (spaces, punctuation, accented and other non-ASCII letters) separates tokens;
 * - hash: FNV-1a 32-bit (Fowler, Noll, Vo; offset basis 2166136261, prime 16777619) of the
 *   token's ASCII bytes;
 * - bucket: hash mod {@link textHashBucketCount}; a column `<field>_hash_<k>` counts the tokens
 *   of bucket k (a repeated word counts each time).
 *
 * Cost: linear in the text's length.
 */

/** Buckets of each hashed text field: `title_hash_0` … `title_hash_31`. */
export const textHashBucketCount = 32;

const fnvOffsetBasis = 2166136261;
const fnvPrime = 16777619;

/** The tokens of `text` as defined above (lower-cased ASCII letter and digit runs). */
export function textTokens(text: string | null | undefined): string[] {
  if (!text) return [];
  return (text.match(/[A-Za-z0-9]+/g) ?? []).map((token) => token.toLowerCase());
}

/** FNV-1a 32-bit hash of an ASCII token (its UTF-16 code units are its bytes). */
export function fnv1a32(token: string): number {
  let hash = fnvOffsetBasis;
  for (let i = 0; i < token.length; i++) {
    hash = Math.imul(hash ^ token.charCodeAt(i), fnvPrime) >>> 0;
  }
  return hash;
}

/** Token counts per bucket of `text`: an array of {@link textHashBucketCount} counts. */
export function textHashCounts(text: string | null | undefined): number[] {
  const counts = new Array<number>(textHashBucketCount).fill(0);
  for (const token of textTokens(text)) {
    const bucket = fnv1a32(token) % textHashBucketCount;
    counts[bucket] = (counts[bucket] ?? 0) + 1;
  }
  return counts;
}

/**
 * A DuckDB expression giving the list of bucket numbers of the tokens of the text expression
 * `column` (a column reference of our own SQL, never user input). Products stay below 2^56, so
 * BIGINT arithmetic is exact.
 */
export function textHashBucketsSql(column: string): string {
  const fnv = `list_reduce(list_transform(string_split(lower(tok), ''), lambda ch: ord(ch)::BIGINT), lambda acc, code: (xor(acc, code) * ${fnvPrime}) % 4294967296, ${fnvOffsetBasis}::BIGINT)`;
  return `list_transform(regexp_extract_all(coalesce(${column}, ''), '[A-Za-z0-9]+'), lambda tok: ${fnv} % ${textHashBucketCount})`;
}
