import type { SqlValue } from '../../store/database.ts';
import {
  type FormulaColumn,
  type FormulaFunction,
  type FormulaMetric,
  type FormulaNode,
  formulaColumns,
  type RowExpr,
} from './parser.ts';

/** An aggregate leaf of a formula compiled to SQL: fixed fragments only, numbers bound as parameters. */
interface CompiledAggregate {
  readonly fn: FormulaFunction;
  /** SQL of the per-incident value (DOUBLE, seconds for timestamp differences); `null` for `count(*)`. */
  readonly valueSql: string | null;
}

/** The leaves a formula needs values for, in a fixed order (aggregates first, then metrics). */
export interface FormulaLeaves {
  readonly aggregates: readonly CompiledAggregate[];
  readonly metrics: readonly FormulaMetric[];
  /** Bound values of the numbers inside aggregates, by parameter name. */
  readonly params: Readonly<Record<string, SqlValue>>;
}

/**
 * Compiles the leaves of a checked formula. Column names come from the whitelist's own keys and
 * numbers become `$fN` parameters, so no text of the formula reaches SQL.
 */
export function compileLeaves(node: FormulaNode, paramPrefix = 'fx'): FormulaLeaves {
  const aggregates: CompiledAggregate[] = [];
  const metrics: FormulaMetric[] = [];
  const params: Record<string, SqlValue> = {};
  const visit = (n: FormulaNode): void => {
    switch (n.kind) {
      case 'number':
        return;
      case 'metric':
        if (!metrics.includes(n.metric)) metrics.push(n.metric);
        return;
      case 'aggregate':
        aggregates.push({ fn: n.fn, valueSql: n.arg ? rowSql(n.arg, params, paramPrefix) : null });
        return;
      case 'negate':
        visit(n.operand);
        return;
      case 'binary':
        visit(n.left);
        visit(n.right);
        return;
    }
  };
  visit(node);
  return { aggregates, metrics, params };
}

const columnSql: Readonly<Record<FormulaColumn, string>> = Object.fromEntries(
  Object.entries(formulaColumns).map(([name, kind]) => [
    name,
    kind === 'timestamp' ? `epoch(${name})` : `CAST(${name} AS DOUBLE)`,
  ]),
) as Record<FormulaColumn, string>;

function rowSql(expr: RowExpr, params: Record<string, SqlValue>, prefix: string): string {
  switch (expr.kind) {
    case 'number': {
      const name = `${prefix}${Object.keys(params).length}`;
      params[name] = expr.value;
      return `CAST($${name} AS DOUBLE)`;
    }
    case 'column':
      return columnSql[expr.column];
    case 'negate':
      return `(-${rowSql(expr.operand, params, prefix)})`;
    case 'binary': {
      const left = rowSql(expr.left, params, prefix);
      const right = rowSql(expr.right, params, prefix);
      return expr.op === '/' ? `(${left} / nullif(${right}, 0))` : `(${left} ${expr.op} ${right})`;
    }
  }
}

/** The SQL aggregate of a formula function over `value` (a fixed fragment). */
export function aggregateFunctionSql(fn: FormulaFunction, value: string | null): string {
  if (value === null) return 'count(*)';
  switch (fn) {
    case 'avg':
      return `avg(${value})`;
    case 'median':
      return `median(${value})`;
    case 'min':
      return `min(${value})`;
    case 'max':
      return `max(${value})`;
    case 'sum':
      return `sum(${value})`;
    case 'count':
      return `count(${value})`;
    case 'p95':
      return `quantile_cont(${value}, 0.95)`;
    case 'p99':
      return `quantile_cont(${value}, 0.99)`;
  }
}

/**
 * Evaluates a formula tree over the values of its leaves (in {@link compileLeaves} order), in plain
 * arithmetic: no `eval`. A missing leaf value, a division by zero or a non-finite result gives `null`.
 */
export function evaluateFormula(
  node: FormulaNode,
  aggregateValues: readonly (number | null)[],
  metricValues: ReadonlyMap<FormulaMetric, number | null>,
): number | null {
  let next = 0;
  const walk = (n: FormulaNode): number | null => {
    switch (n.kind) {
      case 'number':
        return n.value;
      case 'metric':
        return metricValues.get(n.metric) ?? null;
      case 'aggregate':
        return aggregateValues[next++] ?? null;
      case 'negate': {
        const v = walk(n.operand);
        return v === null ? null : -v;
      }
      case 'binary': {
        const left = walk(n.left);
        const right = walk(n.right);
        if (left === null || right === null) return null;
        let v: number;
        if (n.op === '+') v = left + right;
        else if (n.op === '-') v = left - right;
        else if (n.op === '*') v = left * right;
        else {
          if (right === 0) return null;
          v = left / right;
        }
        return Number.isFinite(v) ? v : null;
      }
    }
  };
  return walk(node);
}
