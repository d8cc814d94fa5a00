/**
 * ServiceNow encoded queries for the field-service simulator: terms joined by `^` (AND), `^OR`
 * (OR with the previous term) and `^NQ` (a new query OR-ed with the others), with `=`, `!=`,
 * `>`, `>=`, `<`, `<=`, `LIKE`, `STARTSWITH`, `ENDSWITH`, `IN`, `NOT IN`, `ISEMPTY`, `ISNOTEMPTY`,
 * and `ORDERBY<field>` / `ORDERBYDESC<field>`. Values are strings, as the Table API compares them;
 * a term on a field the table does not have is ignored, as ServiceNow does by default.
 *
 * @example
 * ```ts
 * const q = parseEncodedQuery('sys_updated_on>=2025-11-01 00:00:00^ORDERBYsys_updated_on');
 * ```
 */

export interface EncodedTerm {
  field: string;
  op: string;
  value: string;
  /** The values of an IN / NOT IN list. */
  values?: Set<string>;
}

export interface EncodedQuery {
  /** OR of groups; each group is an AND of clauses; each clause an OR of terms. */
  groups: EncodedTerm[][][];
  orderBy: Array<{ field: string; desc: boolean }>;
}

const OPS = ['ISNOTEMPTY', 'ISEMPTY', 'STARTSWITH', 'ENDSWITH', 'NOT IN', 'NOTLIKE', 'LIKE', 'IN', '>=', '<=', '!=', '>', '<', '='];

function parseTerm(text: string): EncodedTerm {
  // The earliest split into a field name and an operator wins (`contractINa,b` is contract IN a,b).
  for (let i = 1; i < text.length; i++) {
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(text.slice(0, i))) break;
    const rest = text.slice(i);
    for (const op of OPS) {
      if (!rest.startsWith(op)) continue;
      const value = rest.slice(op.length);
      return { field: text.slice(0, i), op, value, values: op.endsWith('IN') ? new Set(value.split(',')) : undefined };
    }
  }
  throw new Error(`no operator in query term "${text.slice(0, 80)}"`);
}

/** Parses an encoded query (`sysparm_query`). */
export function parseEncodedQuery(text: string): EncodedQuery {
  const query: EncodedQuery = { groups: [[]], orderBy: [] };
  if (!text) return query;
  for (const [i, part] of text.split('^').entries()) {
    if (part === '' || part === 'EQ') continue;
    let group = query.groups[query.groups.length - 1];
    let piece = part;
    if (piece.startsWith('NQ')) {
      group = [];
      query.groups.push(group);
      piece = piece.slice(2);
    }
    if (piece.startsWith('ORDERBYDESC')) query.orderBy.push({ field: piece.slice(11), desc: true });
    else if (piece.startsWith('ORDERBY')) query.orderBy.push({ field: piece.slice(7), desc: false });
    else if (piece.startsWith('OR') && i > 0 && group.length > 0) group[group.length - 1].push(parseTerm(piece.slice(2)));
    else group.push([parseTerm(piece)]);
  }
  return query;
}

function matchTerm(term: EncodedTerm, get: (field: string) => string | undefined): boolean {
  const v = get(term.field);
  if (v === undefined) return true; // unknown field: ignored
  switch (term.op) {
    case '=': return v === term.value;
    case '!=': return v !== term.value;
    case '>': return v > term.value;
    case '>=': return v >= term.value;
    case '<': return v < term.value;
    case '<=': return v <= term.value;
    case 'LIKE': return v.toLowerCase().includes(term.value.toLowerCase());
    case 'NOTLIKE': return !v.toLowerCase().includes(term.value.toLowerCase());
    case 'STARTSWITH': return v.toLowerCase().startsWith(term.value.toLowerCase());
    case 'ENDSWITH': return v.toLowerCase().endsWith(term.value.toLowerCase());
    case 'IN': return term.values!.has(v);
    case 'NOT IN': return !term.values!.has(v);
    case 'ISEMPTY': return v === '';
    case 'ISNOTEMPTY': return v !== '';
    default: return false;
  }
}

/** Whether a record matches; `get` returns a field's string value, or undefined for no such field. */
export function matchesEncodedQuery(query: EncodedQuery, get: (field: string) => string | undefined): boolean {
  return query.groups.some((group) => group.every((clause) => clause.some((term) => matchTerm(term, get))));
}

/** The smallest value `field` can have in a match (`''` when unbounded); single-group queries only. */
export function encodedLowerBound(query: EncodedQuery, field: string): string {
  if (query.groups.length !== 1) return '';
  let bound = '';
  for (const clause of query.groups[0]) {
    if (clause.length !== 1) continue;
    const t = clause[0];
    if (t.field === field && (t.op === '>=' || t.op === '>' || t.op === '=') && t.value > bound) bound = t.value;
  }
  return bound;
}
