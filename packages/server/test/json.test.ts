import { describe, expect, it } from 'vitest';
import { toJson } from '../src/json.ts';

describe('toJson', () => {
  it('turns every bigint into a number, however deep, and leaves the input as it was', () => {
    const at = new Date('2026-01-02T03:04:05Z');
    const input = {
      count: 3n,
      results: [
        { id: 'a', n: 1n, at, tags: ['x'] },
        { id: 'b', nested: { deeper: [5n, null] } },
      ],
      bytes: new Uint8Array([1, 2]),
    };
    const before = structuredClone(input);
    const output = toJson(input);
    expect(JSON.stringify(output)).toBe(
      '{"count":3,"results":[{"id":"a","n":1,"at":"2026-01-02T03:04:05.000Z","tags":["x"]},{"id":"b","nested":{"deeper":[5,null]}}],"bytes":{"0":1,"1":2}}',
    );
    expect(input).toStrictEqual(before);
  });

  it('copies only what holds a bigint: a value without one is given back as it is', () => {
    const plain = { results: [{ id: 'a', at: new Date(0) }], count: 1 };
    expect(toJson(plain)).toBe(plain);
    const mixed = { count: 2n, results: plain.results };
    const output = toJson(mixed);
    expect(output).not.toBe(mixed);
    expect(output.results).toBe(plain.results);
  });
});
