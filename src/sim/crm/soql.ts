/**
 * The subset of SOQL the Salesforce simulator understands:
 * `SELECT f1, Rel.f2, (SELECT g FROM ChildRel) FROM Object [WHERE cond] [ORDER BY f [ASC|DESC], ...] [LIMIT n]`
 * where `cond` combines `= != < <= > >=` and `IN (...)` comparisons with `AND`, `OR`, `NOT` and
 * parentheses. Literals: `'text'`, numbers, `true`/`false`/`null`, dates `2025-11-01` and unquoted
 * datetimes `2025-11-01T00:00:00Z` (datetimes compare as milliseconds).
 *
 * @example
 * ```ts
 * const q = parseSoql('SELECT Id, Name FROM Account WHERE SystemModstamp >= 2025-11-01T00:00:00Z ORDER BY SystemModstamp, Id');
 * ```
 */

import { compareQueryValues } from '../index';

export type SoqlValue = string | number | boolean | null;

export type SoqlCond =
  | { op: 'and' | 'or'; left: SoqlCond; right: SoqlCond }
  | { op: 'not'; operand: SoqlCond }
  | { op: 'cmp'; cmp: '=' | '!=' | '<' | '<=' | '>' | '>='; field: string; value: SoqlValue }
  | { op: 'in'; field: string; values: SoqlValue[]; negate: boolean };

export interface SoqlQuery {
  fields: string[];
  subqueries: Array<{ relationship: string; fields: string[] }>;
  object: string;
  where?: SoqlCond;
  orderBy: Array<{ field: string; desc: boolean }>;
  limit?: number;
}

const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses a Salesforce datetime (`2025-11-02T14:05:31.000+0000` or with `Z`/`+hh:mm`) to ms, or null. */
export function parseSfDateTime(text: string): number | null {
  if (!DATETIME_RE.test(text)) return null;
  const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function tokenize(text: string): string[] {
  const re = /\s*('(?:[^'\\]|\\.)*'|\d{4}-\d{2}-\d{2}T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})|\d{4}-\d{2}-\d{2}|-?\d+(?:\.\d+)?|!=|<=|>=|[=<>(),]|[A-Za-z_][A-Za-z0-9_.]*)/y;
  const tokens: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new Error(`unexpected token at "${text.slice(pos, pos + 20)}"`);
    tokens.push(m[1]);
    pos = re.lastIndex;
  }
  return tokens;
}

/** Parses a SOQL query; throws `Error` with a MALFORMED_QUERY-style message. */
export function parseSoql(text: string): SoqlQuery {
  const t = tokenize(text);
  let i = 0;
  const peek = () => t[i];
  const kw = (word: string) => t[i]?.toUpperCase() === word;
  const expect = (word: string) => {
    if (!kw(word) && t[i] !== word) throw new Error(`expected ${word} but found ${t[i] ?? 'end of query'}`);
    i++;
  };

  const fieldList = (): { fields: string[]; subqueries: SoqlQuery['subqueries'] } => {
    const fields: string[] = [];
    const subqueries: SoqlQuery['subqueries'] = [];
    for (;;) {
      if (peek() === '(') {
        i++;
        expect('SELECT');
        const inner = fieldList();
        expect('FROM');
        const relationship = t[i++];
        expect(')');
        subqueries.push({ relationship, fields: inner.fields });
      } else {
        const f = t[i++];
        if (!f || !/^[A-Za-z_]/.test(f)) throw new Error(`expected a field but found ${f ?? 'end of query'}`);
        fields.push(f);
      }
      if (peek() !== ',') break;
      i++;
    }
    return { fields, subqueries };
  };

  const literal = (tok: string | undefined): SoqlValue => {
    if (tok === undefined) throw new Error('unexpected end of query');
    if (tok.startsWith("'")) return tok.slice(1, -1).replace(/\\(.)/g, '$1');
    if (/^(true|false)$/i.test(tok)) return tok.toLowerCase() === 'true';
    if (/^null$/i.test(tok)) return null;
    if (tok.includes('T') && /^\d{4}-/.test(tok)) {
      const ms = parseSfDateTime(tok);
      if (ms === null) throw new Error(`invalid datetime ${tok}`);
      return ms;
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(tok)) return tok;
    if (/^-?\d/.test(tok)) return Number(tok);
    throw new Error(`expected a value but found ${tok}`);
  };

  const primary = (): SoqlCond => {
    if (kw('NOT')) {
      i++;
      return { op: 'not', operand: primary() };
    }
    if (peek() === '(') {
      i++;
      const c = or();
      expect(')');
      return c;
    }
    const field = t[i++];
    if (kw('NOT') && t[i + 1]?.toUpperCase() === 'IN') {
      i += 2;
      return { op: 'in', field, values: inList(), negate: true };
    }
    if (kw('IN')) {
      i++;
      return { op: 'in', field, values: inList(), negate: false };
    }
    const cmp = t[i++];
    if (!['=', '!=', '<', '<=', '>', '>='].includes(cmp)) throw new Error(`expected an operator after ${field} but found ${cmp ?? 'end of query'}`);
    return { op: 'cmp', cmp: cmp as '=', field, value: literal(t[i++]) };
  };
  const inList = (): SoqlValue[] => {
    expect('(');
    const values: SoqlValue[] = [];
    for (;;) {
      values.push(literal(t[i++]));
      if (peek() !== ',') break;
      i++;
    }
    expect(')');
    return values;
  };
  const and = (): SoqlCond => {
    let left = primary();
    while (kw('AND')) {
      i++;
      left = { op: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): SoqlCond => {
    let left = and();
    while (kw('OR')) {
      i++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };

  expect('SELECT');
  const { fields, subqueries } = fieldList();
  expect('FROM');
  const object = t[i++];
  if (!object) throw new Error('expected an object after FROM');
  const query: SoqlQuery = { fields, subqueries, object, orderBy: [] };
  if (kw('WHERE')) {
    i++;
    query.where = or();
  }
  if (kw('ORDER')) {
    i++;
    expect('BY');
    for (;;) {
      const field = t[i++];
      let desc = false;
      if (kw('ASC')) i++;
      else if (kw('DESC')) {
        i++;
        desc = true;
      }
      query.orderBy.push({ field, desc });
      if (peek() !== ',') break;
      i++;
    }
  }
  if (kw('LIMIT')) {
    i++;
    query.limit = Number(t[i++]);
  }
  if (i < t.length) throw new Error(`unexpected ${t[i]}`);
  return query;
}

/** Evaluates a WHERE condition; `get` returns field values (datetimes as ms). */
export function evaluateSoql(cond: SoqlCond, get: (field: string) => SoqlValue): boolean {
  switch (cond.op) {
    case 'and':
      return evaluateSoql(cond.left, get) && evaluateSoql(cond.right, get);
    case 'or':
      return evaluateSoql(cond.left, get) || evaluateSoql(cond.right, get);
    case 'not':
      return !evaluateSoql(cond.operand, get);
    case 'in': {
      const v = get(cond.field);
      const hit = cond.values.some((x) => compareQueryValues(v, x) === 0);
      return cond.negate ? !hit : hit;
    }
    case 'cmp': {
      const c = compareQueryValues(get(cond.field), cond.value);
      if (c === null) return cond.cmp === '!=';
      switch (cond.cmp) {
        case '=': return c === 0;
        case '!=': return c !== 0;
        case '<': return c < 0;
        case '<=': return c <= 0;
        case '>': return c > 0;
        case '>=': return c >= 0;
      }
    }
  }
}

/** The smallest value of `field` a matching row can have (or -Infinity). */
export function soqlLowerBound(cond: SoqlCond, field: string): number {
  switch (cond.op) {
    case 'and':
      return Math.max(soqlLowerBound(cond.left, field), soqlLowerBound(cond.right, field));
    case 'or':
      return Math.min(soqlLowerBound(cond.left, field), soqlLowerBound(cond.right, field));
    case 'cmp':
      return cond.field === field && typeof cond.value === 'number' && (cond.cmp === '>' || cond.cmp === '>=' || cond.cmp === '=') ? cond.value : -Infinity;
    default:
      return -Infinity;
  }
}
