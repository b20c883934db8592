import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  EngineError,
  formatFromFileName,
  instantOption,
  parseInstant,
  parseWindowHours,
  windowHoursOption,
  zodIssuesToFieldErrors,
} from '../src/index.ts';

describe('instants', () => {
  it('read a time without a zone as UTC, whatever process.env.TZ says', () => {
    const previous = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      expect(instantOption('--end', '2024-01-01T02:00').toISOString()).toBe('2024-01-01T02:00:00.000Z');
      expect(instantOption('--end', '2024-01-01').toISOString()).toBe('2024-01-01T00:00:00.000Z');
      expect(instantOption('--end', '2024-01-01T02:00-05:00').toISOString()).toBe('2024-01-01T07:00:00.000Z');
    } finally {
      if (previous === undefined) delete process.env['TZ'];
      else process.env['TZ'] = previous;
    }
  });

  it('refuse what is not ISO 8601 or not on the calendar, naming the option and the text', () => {
    expect(() => instantOption('--end', 'tomorrow')).toThrow(
      '--end must be an ISO 8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM[:SS][Z|±HH:MM]), not tomorrow',
    );
    expect(() => instantOption('--end', '2023-02-29')).toThrow(
      '--end 2023-02-29 has day 29, but 2023-02 has days 01 to 28',
    );
    expect(parseInstant('2024-01-01T24:00')).toEqual({
      ok: false,
      message: 'has hour 24, which is not 00 to 23',
    });
  });
});

describe('window hours', () => {
  it('are whole hours from 1 to 87600 by default', () => {
    expect(parseWindowHours(' 24 ')).toEqual({ ok: true, hours: 24 });
    expect(parseWindowHours('87600')).toEqual({ ok: true, hours: 87_600 });
    for (const bad of ['0', '1.5', '-3', '1e3', '24h', '', 'soon']) {
      expect(parseWindowHours(bad), bad).toEqual({
        ok: false,
        message: 'must be a whole number of hours from 1',
      });
    }
    expect(parseWindowHours('87601')).toEqual({
      ok: false,
      message: 'must be at most 87600 hours (10 years)',
    });
  });

  it('may be a fraction of an hour where the rule allows it', () => {
    expect(parseWindowHours('0.5', { whole: false })).toEqual({ ok: true, hours: 0.5 });
    expect(parseWindowHours('0', { whole: false })).toEqual({
      ok: false,
      message: 'must be a positive number of hours',
    });
  });

  it('are refused as VALIDATION_ERROR naming the option and the text', () => {
    let error: unknown;
    try {
      windowHoursOption('--time-window', '1.5');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: '--time-window must be a whole number of hours from 1, not 1.5',
      details: { field: '--time-window', value: '1.5' },
    });
  });
});

describe('file formats from a name', () => {
  it('follow the extension, case-insensitively, with or without a directory', () => {
    const cases: [string, string | undefined][] = [
      ['a.json', 'json'],
      ['a.NDJSON', 'ndjson'],
      ['a.jsonl', 'ndjson'],
      ['dir/a.csv', 'csv'],
      ['a.tsv', 'tsv'],
      ['C:\\data\\a.tab', 'tsv'],
      ['a.parquet', 'parquet'],
      ['a.pq', 'parquet'],
      ['a.arrow', 'arrow'],
      ['a.arrows', 'arrow'],
      ['a.ipc', 'arrow'],
      ['a.feather', 'arrow'],
      ['incident_event_log.zip', 'servicenow'],
      ['a.txt', undefined],
      ['csv', undefined],
      ['.csv', undefined],
      ['dir.csv/file', undefined],
    ];
    for (const [name, format] of cases) expect(formatFromFileName(name), name).toBe(format);
  });
});

describe('zod issues as field errors', () => {
  const schema = z.strictObject({ name: z.string(), window: z.object({ hours: z.number().int() }) });

  it('name each field by its dotted path and each unknown key on its own', () => {
    const parsed = schema.safeParse({ name: 3, window: { hours: 1.5 }, colour: 'red', size: 2 });
    expect(parsed.success).toBe(false);
    const errors = zodIssuesToFieldErrors(parsed.error!.issues);
    expect(errors).toEqual([
      { field: 'name', message: expect.stringMatching(/expected string/) },
      { field: 'window.hours', message: expect.stringMatching(/expected int/) },
      { field: 'colour', message: 'unknown field' },
      { field: 'size', message: 'unknown field' },
    ]);
  });

  it('word the whole input and unknown keys as the caller asks', () => {
    const parsed = z.strictObject({ a: z.number() }).safeParse('x');
    const unknown = z.strictObject({}).safeParse({ b: 1 });
    expect(zodIssuesToFieldErrors(parsed.error!.issues, { wholeInput: 'json' })[0]?.field).toBe('json');
    expect(zodIssuesToFieldErrors(unknown.error!.issues, { unknownKey: 'unknown query parameter' })).toEqual([
      { field: 'b', message: 'unknown query parameter' },
    ]);
  });
});
