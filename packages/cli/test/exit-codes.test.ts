import { EngineError, errorCodes } from '@incident-insights/engine';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exitCodes, reportError } from '../src/exit-codes.ts';

describe('the exit-code table', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives every engine error code an exit code, and only those', () => {
    expect(Object.keys(exitCodes).sort()).toEqual([...errorCodes].sort());
    for (const code of errorCodes) expect(Number.isInteger(exitCodes[code])).toBe(true);
  });

  it('keeps 1 for what nobody planned for: INTERNAL and errors that are not engine errors', () => {
    const planned = errorCodes.filter((code) => code !== 'INTERNAL');
    for (const code of planned) expect(exitCodes[code], code).toBeGreaterThan(1);
    expect(exitCodes.INTERNAL).toBe(1);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(reportError(new Error('boom'))).toBe(1);
  });

  it('ends a run with the code of its error, e.g. WORKER_FAILED 11, which used to fall back to 1', () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(reportError(new EngineError('WORKER_FAILED', 'a worker crashed'))).toBe(11);
    expect(reportError(new EngineError('VALIDATION_ERROR', 'bad'))).toBe(2);
  });

  it('prints the first field error of the details after the message, row or line first when there is one', () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => lines.push(String(chunk)) > 0);
    reportError(
      new EngineError('VALIDATION_ERROR', 'invalid KPI metric', {
        errors: [
          { field: 'name', message: 'must not be empty' },
          { field: 'metric_type', message: 'unknown type' },
        ],
      }),
    );
    reportError(
      new EngineError('VALIDATION_ERROR', '1 invalid row, nothing was written', {
        errors: [{ row: 1, line: 2, field: 'severity', message: 'unknown severity' }],
      }),
    );
    expect(lines).toEqual([
      'insights: invalid KPI metric: name: must not be empty (and 1 more)\n',
      'insights: 1 invalid row, nothing was written: line 2 severity: unknown severity\n',
    ]);
  });
});
