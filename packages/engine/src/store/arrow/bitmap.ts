/**
 * Validity bitmaps. DuckDB and Arrow agree on the layout: bit `i % 8` of byte `i >> 3` is set when
 * row `i` holds a value (least-significant bit first), so a bitmap moves between them by byte copy
 * when both sides start on a byte boundary and by bit shifting otherwise.
 */

/**
 * Copies `count` bits from `src` starting at bit `srcBit` into `dst` starting at bit `dstBit`.
 * Bits of `dst` outside the range are left alone. Cost: O(count / 8) when both offsets are
 * byte-aligned, O(count) otherwise.
 */
export function copyBits(
  src: Uint8Array,
  srcBit: number,
  dst: Uint8Array,
  dstBit: number,
  count: number,
): void {
  if (count <= 0) return;
  if ((srcBit & 7) === 0 && (dstBit & 7) === 0) {
    const whole = count >> 3;
    dst.set(src.subarray(srcBit >> 3, (srcBit >> 3) + whole), dstBit >> 3);
    const rest = count & 7;
    if (rest > 0) {
      const mask = (1 << rest) - 1;
      const at = (dstBit >> 3) + whole;
      dst[at] = ((dst[at] ?? 0) & ~mask) | ((src[(srcBit >> 3) + whole] ?? 0) & mask);
    }
    return;
  }
  for (let i = 0; i < count; i++) {
    const s = srcBit + i;
    const d = dstBit + i;
    if (((src[s >> 3] ?? 0) >> (s & 7)) & 1) dst[d >> 3] = (dst[d >> 3] ?? 0) | (1 << (d & 7));
    else dst[d >> 3] = (dst[d >> 3] ?? 0) & ~(1 << (d & 7));
  }
}

/** Sets bits `[from, from + count)` of `bits` to 1. */
export function setBits(bits: Uint8Array, from: number, count: number): void {
  let i = from;
  const end = from + count;
  while (i < end && (i & 7) !== 0) {
    bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
    i++;
  }
  const wholeEnd = end & ~7;
  if (i < wholeEnd) {
    bits.fill(0xff, i >> 3, wholeEnd >> 3);
    i = wholeEnd;
  }
  for (; i < end; i++) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
}

const popcount8 = new Uint8Array(256);
for (let i = 1; i < 256; i++) popcount8[i] = (i & 1) + (popcount8[i >> 1] ?? 0);

/** Number of clear bits (nulls) among bits `[from, from + count)`. */
export function countUnset(bits: Uint8Array, from: number, count: number): number {
  let set = 0;
  let i = from;
  const end = from + count;
  while (i < end && (i & 7) !== 0) {
    set += ((bits[i >> 3] ?? 0) >> (i & 7)) & 1;
    i++;
  }
  const wholeEnd = end & ~7;
  for (; i < wholeEnd; i += 8) set += popcount8[bits[i >> 3] ?? 0] ?? 0;
  for (; i < end; i++) set += ((bits[i >> 3] ?? 0) >> (i & 7)) & 1;
  return count - set;
}

/** True when bit `i` is set. */
export function bitIsSet(bits: Uint8Array, i: number): boolean {
  return (((bits[i >> 3] ?? 0) >> (i & 7)) & 1) === 1;
}
