import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { end, handIncidents, loadHandIncidents } from '../../../../test/support/kpi-fixtures.ts';
import { type Engine, EngineError, openEngine } from '../../src/index.ts';
import { internalContext } from '../../src/internal.ts';
import { parseFormula } from '../../src/kpi/formula/parser.ts';

let engine: Engine;

beforeAll(async () => {
  engine = await openEngine({ path: ':memory:', now: () => new Date('2024-01-02T00:00:00Z') });
  await loadHandIncidents(engine);
});
afterAll(() => engine.close());

function problem(formula: string): { position: number; problem: string } {
  try {
    parseFormula(formula);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('VALIDATION_ERROR');
    return (error as EngineError).details as { position: number; problem: string };
  }
  throw new Error(`${formula} was accepted`);
}

async function value(formula: string): Promise<string | null> {
  const metric = await engine.kpis.create({
    name: formula,
    metric_type: 'CUSTOM',
    calculation_formula: formula,
  });
  return (await engine.kpis.calculate(metric.id, { end })).measurement.value;
}

describe('CUSTOM formulas are checked when the metric is created', () => {
  it.each([
    ['MTTR / ', 7, 'expected a number'],
    ['MTTR ; DROP TABLE incidents', 5, 'unexpected character ";"'],
    ['avg(resolved_at)', 4, 'of a timestamp has no meaning'],
    ['avg(resolved_at + created_at)', 16, 'timestamps may only be subtracted'],
    ['avg(title)', 4, 'unknown column title'],
    ['sqrt(MTTA)', 0, 'unknown name sqrt'],
    ['avg(count(*))', 4, 'aggregates cannot be nested'],
    ['avg(MTTR)', 4, 'metric MTTR cannot appear inside an aggregate'],
    ['resolved_at - created_at', 0, 'may only appear inside an aggregate'],
    ['(MTTA', 5, 'expected ")"'],
    ['MTTA)', 4, 'unexpected ")"'],
    ['MTTA(1)', 4, 'MTTA is a metric, not a function'],
    ["count('x')", 6, 'unexpected character'],
    ['', 0, 'formula is empty'],
  ])('%s → position %i: %s', (formula, position, text) => {
    const details = problem(formula);
    expect(details.position).toBe(position);
    expect(details.problem).toContain(text);
  });

  it('refuses deep nesting and long formulas with a clear problem instead of a stack overflow', () => {
    expect(problem(`${'('.repeat(200)}1${')'.repeat(200)}`).problem).toContain('nests deeper');
    expect(problem(`1${'+1'.repeat(600)}`).problem).toContain('longer than');
  });

  it('answers create with VALIDATION_ERROR naming the position, and stores nothing', async () => {
    const before = (await engine.kpis.list({ pageSize: 100 })).count;
    await expect(
      engine.kpis.create({ name: 'bad', metric_type: 'CUSTOM', calculation_formula: 'MTTR * nope' }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { field: 'calculation_formula', position: 7 },
    });
    expect((await engine.kpis.list({ pageSize: 100 })).count).toBe(before);
  });

  it('requires a formula for CUSTOM and refuses one for other types', async () => {
    await expect(engine.kpis.create({ name: 'x', metric_type: 'CUSTOM' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(
      engine.kpis.create({ name: 'x', metric_type: 'MTTA', calculation_formula: 'MTTA' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});

describe('CUSTOM formulas are evaluated without eval and without SQL text from the user', () => {
  // Worked by hand from fixtures.ts (durations in seconds inside formulas).
  it.each([
    // MTTR mean 6000 s (2 h, 2 h, 1 h) over MTTA mean 1500 s (10, 20, 30, 40 min).
    ['MTTR / MTTA', '4'],
    // resolved − acknowledged: A 110 min, B 100 min, C 30 min → mean 80 min = 4800 s.
    ['avg(resolved_at - acknowledged_at)', '4800'],
    ['avg(resolved_at - acknowledged_at) / 60', '80'],
    ['count(*)', '5'],
    ['count(resolved_at)', '3'],
    // acknowledgement minutes 10, 20, 30, 40 → p95 = 38.5 (quantile_cont).
    ['p95(acknowledged_at - created_at) / 60', '38.5'],
    ['p99((acknowledged_at - created_at) / 60)', '39.7'],
    ['median(escalation_level)', '0'],
    ['sum(escalation_level) + max(escalation_level) * 10', '23'],
    ['-min(reopen_count) + 2 * (3 - 1)', '4'],
    ['RESOLUTION_RATE - ESCALATION_RATE', '20'],
    ['INCIDENT_COUNT / 24', '0.2083'],
    ['MTBF / 3600', '4.5'],
  ])('%s = %s', async (formula, expected) => {
    expect(await value(formula)).toBe(expected);
  });

  it('gives no value (null) for a division by zero', async () => {
    expect(await value('MTTA / (count(*) - 5)')).toBeNull();
    expect(await value('avg(escalation_level / 0)')).toBeNull();
  });
});

const names = [
  'MTTA',
  'MTTR',
  'MTBF',
  'AVAILABILITY',
  'INCIDENT_COUNT',
  'avg',
  'p95',
  'count',
  'resolved_at',
  'created_at',
  'escalation_level',
  'incidents',
  'DROP',
  'TABLE',
  'SELECT',
  'pg_sleep',
  'read_csv',
];
const hostile = [
  "'",
  '"',
  ';',
  '--',
  '/*',
  '*/',
  '$1',
  '$start',
  '::',
  '\\',
  '`',
  '\u0000',
  ' OR 1=1',
  "'); DROP TABLE incidents; --",
  'UNION SELECT',
  '1e999',
  '.5',
  '(',
  ')',
  '*',
  '/',
  '-',
  '+',
  ',',
  ' ',
];
const formulaPiece = fc.oneof(
  fc.constantFrom(...names),
  fc.constantFrom(...hostile),
  fc.integer({ min: 0, max: 1000 }).map(String),
  fc.string({ maxLength: 4 }),
);
const formulas = fc.array(formulaPiece, { maxLength: 25 }).map((parts) => parts.join(''));

describe('random and hostile formulas (fast-check)', () => {
  it('never crash the parser: a formula is accepted or refused with VALIDATION_ERROR and a position', () => {
    fc.assert(
      fc.property(formulas, (formula) => {
        try {
          parseFormula(formula);
        } catch (error) {
          if (!(error instanceof EngineError) || error.code !== 'VALIDATION_ERROR') throw error;
          const { position } = error.details as { position: number };
          if (!(Number.isInteger(position) && position >= 0 && position <= Math.max(formula.length, 1000))) {
            throw new Error(`bad position ${position} for ${JSON.stringify(formula)}`);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never reach SQL as text: accepted formulas evaluate and leave the incidents table intact', async () => {
    const accepted = fc.array(
      fc.oneof(
        fc.constantFrom('MTTA', 'MTTR', 'INCIDENT_COUNT', 'ESCALATION_RATE'),
        fc.constantFrom(
          'avg(resolved_at - created_at)',
          'count(*)',
          'p95(acknowledged_at - created_at)',
          'max(reassignment_count * 2 - 1)',
        ),
        fc.integer({ min: 0, max: 99 }).map(String),
      ),
      { minLength: 1, maxLength: 6 },
    );
    const ops = fc.array(fc.constantFrom('+', '-', '*', '/'), { minLength: 5, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(accepted, ops, async (terms, operators) => {
        const formula = terms.map((t, i) => (i === 0 ? t : `${operators[i % 5]} ${t}`)).join(' ');
        const metric = await engine.kpis.create({
          name: 'p',
          metric_type: 'CUSTOM',
          calculation_formula: formula,
        });
        const { measurement } = await engine.kpis.calculate(metric.id, { end });
        if (measurement.value !== null && !Number.isFinite(Number(measurement.value))) {
          throw new Error(`${formula} gave ${measurement.value}`);
        }
        await engine.kpis.delete(metric.id);
      }),
      { numRuns: 40 },
    );
    // Hostile text is refused at creation, so none of it is stored or run.
    await fc.assert(
      fc.asyncProperty(formulas, async (formula) => {
        try {
          const metric = await engine.kpis.create({
            name: 'h',
            metric_type: 'CUSTOM',
            calculation_formula: formula,
          });
          await engine.kpis.calculate(metric.id, { end });
          await engine.kpis.delete(metric.id);
        } catch (error) {
          if (!(error instanceof EngineError) || error.code !== 'VALIDATION_ERROR') throw error;
        }
      }),
      { numRuns: 150 },
    );
    const row = await internalContext(engine).db.one<{ n: bigint }>('SELECT count(*) AS n FROM incidents');
    expect(Number(row?.n)).toBe(handIncidents.length);
  });
});
