import * as arrow from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { findRecurrences, type RecurrenceInput } from '../../src/recurrence/kernels/find-recurrences.ts';
import { findRecurrencesPayload, findRecurrencesTask } from '../../src/recurrence/recurrence-task.ts';

/**
 * Six incidents: two families of reworded texts on one service each (three and two incidents)
 * and one that stands alone; one title and several descriptions, services and categories missing.
 */
const input: RecurrenceInput = {
  titles: [
    'Payment gateway timeout during card authorisation',
    'Disk full on reporting database server',
    'Payment gateway timeouts on card authorisation',
    'Disk full on the reporting database server',
    'Payment gateway timeout on card authorisation',
    '',
  ],
  descriptions: ['card auth times out', null, 'card auth timed out', null, null, 'printer jam'],
  services: ['payments', 'reporting', 'payments', 'reporting', 'payments', null],
  categories: ['network', 'storage', 'network', null, 'network', null],
  createdAtMs: Float64Array.of(0, 3_600_000, 86_400_000, 90_000_000, 172_800_000, 200_000_000),
};

/** The window as the service reads it: an `id` column, text columns (one dictionary-encoded), `t`. */
function windowTable(): arrow.Table {
  const text = (values: readonly (string | null)[]) => arrow.vectorFromArray(values, new arrow.Utf8());
  return new arrow.Table({
    id: text(input.titles.map((_, i) => `incident-${i}`)),
    title: text([...input.titles.slice(0, 5), null]),
    description: text(input.descriptions),
    service: arrow.vectorFromArray(input.services, new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())),
    category: text(input.categories),
    t: arrow.vectorFromArray(input.createdAtMs),
  });
}

describe('the recurrence worker task', () => {
  it('finds from the Arrow columns exactly what the kernel finds from JS arrays', () => {
    const options = { similarityThreshold: 0.4 };
    const expected = findRecurrences(input, options);
    // The texts were written as two families of rewordings: incidents 0, 2, 4 and 1, 3.
    expect(expected.map((group) => group.members)).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    const payload = findRecurrencesPayload(windowTable(), options);
    expect(findRecurrencesTask(payload)).toEqual(expected);
  });

  it('sends only the columns the kernel reads, as bytes the pool can move', () => {
    const payload = findRecurrencesPayload(windowTable(), {});
    expect(payload.incidents.byteOffset).toBe(0);
    expect(payload.incidents.byteLength).toBe(payload.incidents.buffer.byteLength);
    const sent = arrow.tableFromIPC(payload.incidents);
    expect(sent.schema.fields.map((f) => f.name)).toEqual([
      'title',
      'description',
      'service',
      'category',
      't',
    ]);
    expect(sent.numRows).toBe(6);
  });
});
