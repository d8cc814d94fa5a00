/**
 * A small OData v2 `$filter` parser and evaluator for the SAP simulator: comparisons
 * (`eq ne gt ge lt le`) between a property and a literal (`'text'`, `datetime'…'`,
 * `datetimeoffset'…'`, `time'PT…'`, numbers, `true`/`false`/`null`), `and`, `or`, `not` and
 * parentheses. Date and time values compare as milliseconds.
 *
 * @example
 * ```ts
 * const f = parseODataFilter("LastChangeDateTime ge datetimeoffset'2025-11-01T00:00:00Z' and Product gt 'A'");
 * evaluateFilter(f, (name) => values[name]);
 * ```
 */

import { compareQueryValues } from '../index';

export type ODataValue = string | number | boolean | null;

export type FilterNode =
  | { op: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { op: 'not'; operand: FilterNode }
  | { op: 'cmp'; cmp: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; field: string; value: ODataValue };

const CMP = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

/** Parses `PT14H05M31S` (Edm.Time) to milliseconds, or null. */
export function parseEdmTime(text: string): number | null {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/.exec(text);
  if (!m) return null;
  return (Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 1000;
}

/** Parses a `/Date(ms)/` or `/Date(ms+0000)/` value to milliseconds, or null. */
export function parseEdmDate(text: string): number | null {
  const m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(text);
  return m ? Number(m[1]) : null;
}

function literalMs(kind: string, text: string): number {
  if (kind === 'time') {
    const ms = parseEdmTime(text);
    if (ms === null) throw new Error(`invalid time literal time'${text}'`);
    return ms;
  }
  // datetime'…' has no zone and means UTC here; datetimeoffset'…' carries one.
  const iso = kind === 'datetime' && !/(Z|[+-]\d{2}:?\d{2})$/.test(text) ? `${text}Z` : text;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`invalid ${kind} literal ${kind}'${text}'`);
  return ms;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const re = /\s*(\(|\)|(?:datetimeoffset|datetime|time|guid)?'(?:[^']|'')*'|[A-Za-z_][A-Za-z0-9_/]*|-?\d+(?:\.\d+)?[mMdDlL]?)/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`cannot parse $filter at "${text.slice(pos, pos + 20)}"`);
    tokens.push(m[1]);
    pos = re.lastIndex;
  }
  return tokens;
}

/** Parses a `$filter` expression; throws with a message on a syntax error. */
export function parseODataFilter(text: string): FilterNode {
  const tokens = tokenize(text);
  let i = 0;
  const peek = () => tokens[i];
  const next = () => tokens[i++];

  const literal = (tok: string): ODataValue => {
    const typed = /^(datetimeoffset|datetime|time|guid)?'((?:[^']|'')*)'$/.exec(tok);
    if (typed) {
      const body = typed[2].replace(/''/g, "'");
      if (!typed[1] || typed[1] === 'guid') return body;
      return literalMs(typed[1], body);
    }
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (tok === 'null') return null;
    if (/^-?\d/.test(tok)) return Number(tok.replace(/[mMdDlL]$/, ''));
    throw new Error(`expected a literal, found "${tok}"`);
  };

  const primary = (): FilterNode => {
    const tok = next();
    if (tok === undefined) throw new Error('unexpected end of $filter');
    if (tok === '(') {
      const node = or();
      if (next() !== ')') throw new Error('missing ) in $filter');
      return node;
    }
    if (tok === 'not') return { op: 'not', operand: primary() };
    const op = next();
    if (!op || !CMP.has(op)) throw new Error(`expected a comparison after ${tok}`);
    const value = next();
    if (value === undefined) throw new Error('unexpected end of $filter');
    return { op: 'cmp', cmp: op as 'eq', field: tok, value: literal(value) };
  };
  const and = (): FilterNode => {
    let left = primary();
    while (peek() === 'and') {
      next();
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): FilterNode => {
    let left = and();
    while (peek() === 'or') {
      next();
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  const node = or();
  if (i < tokens.length) throw new Error(`unexpected "${tokens[i]}" in $filter`);
  return node;
}

/** Evaluates a parsed filter; `get` returns a property's value (dates and times as ms). */
export function evaluateFilter(node: FilterNode, get: (field: string) => ODataValue): boolean {
  switch (node.op) {
    case 'and':
      return evaluateFilter(node.left, get) && evaluateFilter(node.right, get);
    case 'or':
      return evaluateFilter(node.left, get) || evaluateFilter(node.right, get);
    case 'not':
      return !evaluateFilter(node.operand, get);
    case 'cmp': {
      const c = compareQueryValues(get(node.field), node.value);
      if (c === null) return node.cmp === 'ne';
      switch (node.cmp) {
        case 'eq': return c === 0;
        case 'ne': return c !== 0;
        case 'gt': return c > 0;
        case 'ge': return c >= 0;
        case 'lt': return c < 0;
        case 'le': return c <= 0;
      }
    }
  }
}

/**
 * The smallest value of `field` a row can have and still match (or -Infinity): lets the server
 * start a scan over rows sorted by that field with a binary search.
 */
export function lowerBound(node: FilterNode, field: string): number {
  switch (node.op) {
    case 'and':
      return Math.max(lowerBound(node.left, field), lowerBound(node.right, field));
    case 'or':
      return Math.min(lowerBound(node.left, field), lowerBound(node.right, field));
    case 'not':
      return -Infinity;
    case 'cmp':
      if (node.field === field && typeof node.value === 'number' && (node.cmp === 'ge' || node.cmp === 'gt' || node.cmp === 'eq')) return node.value;
      return -Infinity;
  }
}
