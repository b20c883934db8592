import { EngineError } from '../../errors.ts';

/** One token of a CUSTOM formula; `position` is the 0-based offset of its first character. */
export type Token =
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly position: number }
  | { readonly kind: 'name'; readonly text: string; readonly position: number }
  | { readonly kind: 'op'; readonly text: '+' | '-' | '*' | '/' | '(' | ')' | ','; readonly position: number }
  | { readonly kind: 'end'; readonly text: ''; readonly position: number };

/** Longest formula accepted, characters. */
const maxFormulaLength = 1000;

/**
 * Raises the error every formula problem becomes: VALIDATION_ERROR naming the position (0-based)
 * and the problem, so the API can answer 400 with both.
 */
export function formulaError(position: number, problem: string): EngineError {
  return new EngineError('VALIDATION_ERROR', `calculation_formula: ${problem} at position ${position}`, {
    field: 'calculation_formula',
    position,
    problem,
  });
}

const numberPattern = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const namePattern = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Splits a formula into tokens: numbers, names, `+ - * / ( ) ,`. Anything else is refused with its
 * position. Linear in the formula's length.
 *
 * @throws EngineError VALIDATION_ERROR for an unknown character, a bad number or a formula over
 *   {@link maxFormulaLength} characters.
 */
export function tokenize(formula: string): Token[] {
  if (formula.length > maxFormulaLength) {
    throw formulaError(maxFormulaLength, `formula is longer than ${maxFormulaLength} characters`);
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < formula.length) {
    const c = formula[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const rest = formula.slice(i);
    const number = numberPattern.exec(rest)?.[0];
    if (number) {
      const value = Number(number);
      if (!Number.isFinite(value)) throw formulaError(i, `number ${number} is out of range`);
      tokens.push({ kind: 'number', value, text: number, position: i });
      i += number.length;
      continue;
    }
    const name = namePattern.exec(rest)?.[0];
    if (name) {
      tokens.push({ kind: 'name', text: name, position: i });
      i += name.length;
      continue;
    }
    if (c === '+' || c === '-' || c === '*' || c === '/' || c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'op', text: c, position: i });
      i++;
      continue;
    }
    throw formulaError(i, `unexpected character ${JSON.stringify(c)}`);
  }
  tokens.push({ kind: 'end', text: '', position: formula.length });
  return tokens;
}
