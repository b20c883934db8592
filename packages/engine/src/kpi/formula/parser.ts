import { type MetricType, metricTypes } from '../../schema/enums.ts';
import { formulaError, type Token, tokenize } from './lexer.ts';

/** Aggregate functions a formula may apply to incident columns. */
const formulaFunctions = ['avg', 'median', 'min', 'max', 'sum', 'count', 'p95', 'p99'] as const;
export type FormulaFunction = (typeof formulaFunctions)[number];

/** Metric types a formula may refer to (every type but CUSTOM, so formulas never recurse). */
export const formulaMetrics = metricTypes.filter(
  (type): type is Exclude<MetricType, 'CUSTOM'> => type !== 'CUSTOM',
);
export type FormulaMetric = (typeof formulaMetrics)[number];

/** Incident columns an aggregate may read, with their kind. Timestamps only make sense as differences. */
export const formulaColumns = {
  created_at: 'timestamp',
  acknowledged_at: 'timestamp',
  resolved_at: 'timestamp',
  closed_at: 'timestamp',
  escalation_level: 'number',
  reopen_count: 'number',
  reassignment_count: 'number',
  affected_users: 'number',
} as const;
export type FormulaColumn = keyof typeof formulaColumns;

type BinaryOp = '+' | '-' | '*' | '/';

/** An expression over one incident's columns, the argument of an aggregate. */
export type RowExpr =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'column'; readonly column: FormulaColumn }
  | { readonly kind: 'negate'; readonly operand: RowExpr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: RowExpr; readonly right: RowExpr };

/** A parsed and checked formula: numbers, metric references and aggregates joined by arithmetic. */
export type FormulaNode =
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'metric'; readonly metric: FormulaMetric }
  | { readonly kind: 'aggregate'; readonly fn: FormulaFunction; readonly arg: RowExpr | null }
  | { readonly kind: 'negate'; readonly operand: FormulaNode }
  | {
      readonly kind: 'binary';
      readonly op: BinaryOp;
      readonly left: FormulaNode;
      readonly right: FormulaNode;
    };

/** Deepest nesting accepted; keeps hostile input like `((((...` from exhausting the stack. */
const maxFormulaDepth = 40;

type RowType = 'number' | 'timestamp';

/**
 * Parses a CUSTOM metric's `calculation_formula` by recursive descent and checks it against the
 * whitelist: names are metric types (outside aggregates) or incident columns (inside), functions
 * are {@link formulaFunctions}, timestamps appear only as `timestamp - timestamp` (seconds) or as
 * the argument of `count` (incidents where it is set).
 * Linear in the formula's length; nothing is evaluated.
 *
 * Grammar: `expr := term (('+'|'-') term)*`, `term := unary (('*'|'/') unary)*`,
 * `unary := '-' unary | primary`, `primary := number | METRIC | fn '(' (row-expr | '*') ')' | '(' expr ')'`.
 *
 * @throws EngineError VALIDATION_ERROR with `details.position` (0-based) and `details.problem`.
 */
export function parseFormula(formula: string): FormulaNode {
  if (formula.trim() === '') throw formulaError(0, 'formula is empty');
  const parser = new Parser(tokenize(formula));
  const node = parser.expression(0);
  parser.expectEnd();
  return node;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  private peek(): Token {
    return this.tokens[this.index] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  private isOp(text: string): boolean {
    const token = this.peek();
    return token.kind === 'op' && token.text === text;
  }

  private expect(text: string): void {
    const token = this.peek();
    if (token.kind === 'op' && token.text === text) {
      this.next();
      return;
    }
    throw formulaError(token.position, `expected "${text}" but found ${describe(token)}`);
  }

  expectEnd(): void {
    const token = this.peek();
    if (token.kind !== 'end') throw formulaError(token.position, `unexpected ${describe(token)}`);
  }

  private guard(depth: number): void {
    if (depth > maxFormulaDepth) {
      throw formulaError(this.peek().position, `formula nests deeper than ${maxFormulaDepth} levels`);
    }
  }

  expression(depth: number): FormulaNode {
    this.guard(depth);
    let left = this.term(depth + 1);
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as BinaryOp;
      left = { kind: 'binary', op, left, right: this.term(depth + 1) };
    }
    return left;
  }

  private term(depth: number): FormulaNode {
    this.guard(depth);
    let left = this.unary(depth + 1);
    while (this.isOp('*') || this.isOp('/')) {
      const op = this.next().text as BinaryOp;
      left = { kind: 'binary', op, left, right: this.unary(depth + 1) };
    }
    return left;
  }

  private unary(depth: number): FormulaNode {
    this.guard(depth);
    if (this.isOp('-')) {
      this.next();
      return { kind: 'negate', operand: this.unary(depth + 1) };
    }
    return this.primary(depth + 1);
  }

  private primary(depth: number): FormulaNode {
    this.guard(depth);
    const token = this.next();
    if (token.kind === 'number') return { kind: 'number', value: token.value };
    if (token.kind === 'op' && token.text === '(') {
      const inner = this.expression(depth + 1);
      this.expect(')');
      return inner;
    }
    if (token.kind === 'name') {
      const upper = token.text.toUpperCase();
      const lower = token.text.toLowerCase();
      if ((formulaMetrics as readonly string[]).includes(upper)) {
        if (this.isOp('(')) throw formulaError(this.peek().position, `${upper} is a metric, not a function`);
        return { kind: 'metric', metric: upper as FormulaMetric };
      }
      if ((formulaFunctions as readonly string[]).includes(lower)) {
        return this.aggregate(lower as FormulaFunction, depth + 1);
      }
      if (lower in formulaColumns) {
        throw formulaError(
          token.position,
          `column ${lower} may only appear inside an aggregate such as avg(...) or count(...)`,
        );
      }
      throw formulaError(
        token.position,
        `unknown name ${token.text}; allowed are the metric types ${formulaMetrics.join(', ')} and the functions ${formulaFunctions.join(', ')}`,
      );
    }
    throw formulaError(
      token.position,
      `expected a number, a metric, a function or "(" but found ${describe(token)}`,
    );
  }

  private aggregate(fn: FormulaFunction, depth: number): FormulaNode {
    this.expect('(');
    if (fn === 'count' && this.isOp('*')) {
      this.next();
      this.expect(')');
      return { kind: 'aggregate', fn, arg: null };
    }
    if (this.isOp(')')) throw formulaError(this.peek().position, `${fn}() needs an argument`);
    const start = this.peek().position;
    const { expr, type } = this.rowExpression(depth + 1);
    // count() of a timestamp counts the incidents where it is set; other aggregates need numbers.
    if (type !== 'number' && fn !== 'count') {
      throw formulaError(
        start,
        `${fn}() of a timestamp has no meaning; subtract two timestamps to get seconds, e.g. ${fn}(resolved_at - created_at)`,
      );
    }
    this.expect(')');
    return { kind: 'aggregate', fn, arg: expr };
  }

  private rowExpression(depth: number): { expr: RowExpr; type: RowType } {
    this.guard(depth);
    let left = this.rowTerm(depth + 1);
    while (this.isOp('+') || this.isOp('-')) {
      const opToken = this.next();
      const op = opToken.text as BinaryOp;
      const right = this.rowTerm(depth + 1);
      let type: RowType;
      if (left.type === 'timestamp' && right.type === 'timestamp' && op === '-') type = 'number';
      else if (left.type === 'number' && right.type === 'number') type = 'number';
      else {
        throw formulaError(
          opToken.position,
          'timestamps may only be subtracted from each other (the difference is in seconds)',
        );
      }
      left = { expr: { kind: 'binary', op, left: left.expr, right: right.expr }, type };
    }
    return left;
  }

  private rowTerm(depth: number): { expr: RowExpr; type: RowType } {
    this.guard(depth);
    let left = this.rowUnary(depth + 1);
    while (this.isOp('*') || this.isOp('/')) {
      const opToken = this.next();
      const right = this.rowUnary(depth + 1);
      if (left.type !== 'number' || right.type !== 'number') {
        throw formulaError(opToken.position, 'timestamps cannot be multiplied or divided');
      }
      left = {
        expr: { kind: 'binary', op: opToken.text as BinaryOp, left: left.expr, right: right.expr },
        type: 'number',
      };
    }
    return left;
  }

  private rowUnary(depth: number): { expr: RowExpr; type: RowType } {
    this.guard(depth);
    if (this.isOp('-')) {
      const position = this.next().position;
      const operand = this.rowUnary(depth + 1);
      if (operand.type !== 'number') throw formulaError(position, 'a timestamp cannot be negated');
      return { expr: { kind: 'negate', operand: operand.expr }, type: 'number' };
    }
    return this.rowPrimary(depth + 1);
  }

  private rowPrimary(depth: number): { expr: RowExpr; type: RowType } {
    this.guard(depth);
    const token = this.next();
    if (token.kind === 'number') return { expr: { kind: 'number', value: token.value }, type: 'number' };
    if (token.kind === 'op' && token.text === '(') {
      const inner = this.rowExpression(depth + 1);
      this.expect(')');
      return inner;
    }
    if (token.kind === 'name') {
      const lower = token.text.toLowerCase();
      if (lower in formulaColumns) {
        const column = lower as FormulaColumn;
        return { expr: { kind: 'column', column }, type: formulaColumns[column] };
      }
      if ((formulaFunctions as readonly string[]).includes(lower)) {
        throw formulaError(token.position, 'aggregates cannot be nested');
      }
      if ((formulaMetrics as readonly string[]).includes(token.text.toUpperCase())) {
        throw formulaError(
          token.position,
          `metric ${token.text.toUpperCase()} cannot appear inside an aggregate`,
        );
      }
      throw formulaError(
        token.position,
        `unknown column ${token.text}; allowed are ${Object.keys(formulaColumns).join(', ')}`,
      );
    }
    throw formulaError(token.position, `expected a column, a number or "(" but found ${describe(token)}`);
  }
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the formula' : `"${token.text}"`;
}
