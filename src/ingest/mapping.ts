import { z } from 'zod';
import { ENTITY_TYPES } from '../core/entities';

/**
 * A mapping loads a foreign file (CSV or JSONL with its own column names) as canonical records:
 * column -> canonical field, constants, and a few transforms.
 *
 * @example
 * ```json
 * {
 *   "format": "csv",
 *   "csv": { "delimiter": ",", "trim": true },
 *   "constants": { "entity": "customer", "source": "febrl", "kind": "person" },
 *   "fields": {
 *     "sourceId": "rec_id",
 *     "givenName": "given_name",
 *     "dateOfBirth": { "column": "date_of_birth", "transforms": [{ "date": "YYYYMMDD" }] },
 *     "street": { "concat": ["street_number", "address_1"], "separator": " " }
 *   }
 * }
 * ```
 */
const dateFormats = ['YYYYMMDD', 'YYYY-MM-DD', 'DD.MM.YYYY', 'DD/MM/YYYY', 'MM/DD/YYYY', 'epochMillis', 'odata'] as const;

const transformSchema = z.union([
  z.enum(['trim', 'lower', 'upper', 'stripQuotes', 'collapseSpaces', 'digitsOnly']),
  z.strictObject({ date: z.enum(dateFormats) }),
  z.strictObject({ splitName: z.enum(['given', 'family']) }),
  z.strictObject({ prefix: z.string() }),
  z.strictObject({ replace: z.strictObject({ pattern: z.string(), with: z.string(), flags: z.string().optional() }) }),
  z.strictObject({ nullIf: z.array(z.string()) }),
  z.strictObject({ split: z.string() }),
  z.strictObject({ number: z.strictObject({ decimal: z.string().optional(), stripCurrency: z.boolean().optional() }) }),
]);
export type Transform = z.infer<typeof transformSchema>;

const fieldSchema = z.union([
  z.string().min(1),
  z.strictObject({
    column: z.string().min(1).optional(),
    concat: z.array(z.string().min(1)).min(1).optional(),
    separator: z.string().optional(),
    const: z.union([z.string(), z.number(), z.boolean()]).optional(),
    transforms: z.array(transformSchema).optional(),
  }).refine((f) => [f.column, f.concat, f.const].filter((x) => x !== undefined).length === 1, {
    message: 'a field takes exactly one of column, concat or const',
  }),
]);
export type FieldMapping = z.infer<typeof fieldSchema>;

export const mappingSchema = z.strictObject({
  description: z.string().optional(),
  format: z.enum(['csv', 'jsonl']).optional(),
  csv: z
    .strictObject({
      delimiter: z.string().min(1).optional(),
      quote: z.string().max(1).optional(),
      escape: z.string().max(1).optional(),
      trim: z.boolean().optional(),
      /** Column names when the file has no header row. */
      columns: z.array(z.string()).optional(),
    })
    .optional(),
  constants: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .refine((c) => c.entity === undefined || (ENTITY_TYPES as readonly unknown[]).includes(c.entity), {
      message: `constants.entity must be one of ${ENTITY_TYPES.join(', ')}`,
    })
    .optional(),
  fields: z.record(z.string(), fieldSchema),
  /** Keep columns that no field uses, under their own names (default true: nothing received is dropped). */
  keepUnmapped: z.boolean().optional(),
});
export type Mapping = z.infer<typeof mappingSchema>;

/** Parses mapping JSON text, with errors that name the path of each problem. */
export function parseMapping(text: string, origin = 'mapping'): Mapping {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${origin} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = mappingSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${origin} is invalid: ${issues}`);
  }
  return parsed.data;
}

function pad2(n: string): string {
  return n.length === 1 ? `0${n}` : n;
}

function applyDate(value: string, format: (typeof dateFormats)[number]): string | null {
  const v = value.trim();
  let m: RegExpExecArray | null;
  switch (format) {
    case 'YYYYMMDD':
      m = /^(\d{4})(\d{2})(\d{2})$/.exec(v);
      return m ? `${m[1]}-${m[2]}-${m[3]}` : v; // left as is: validation reports it
    case 'YYYY-MM-DD':
      return v;
    case 'DD.MM.YYYY':
      m = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(v);
      return m ? `${m[3]}-${pad2(m[2])}-${pad2(m[1])}` : v;
    case 'DD/MM/YYYY':
      m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
      return m ? `${m[3]}-${pad2(m[2])}-${pad2(m[1])}` : v;
    case 'MM/DD/YYYY':
      m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
      return m ? `${m[3]}-${pad2(m[1])}-${pad2(m[2])}` : v;
    case 'epochMillis':
      return /^-?\d+$/.test(v) ? new Date(Number(v)).toISOString() : v;
    case 'odata':
      m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(v);
      return m ? new Date(Number(m[1])).toISOString() : v;
  }
}

function splitName(value: string, part: 'given' | 'family'): string | null {
  const v = value.trim();
  if (v === '') return null;
  const comma = v.indexOf(',');
  if (comma !== -1) {
    return part === 'family' ? v.slice(0, comma).trim() : v.slice(comma + 1).trim();
  }
  const tokens = v.split(/\s+/);
  if (tokens.length === 1) return part === 'family' ? tokens[0] : null;
  return part === 'family' ? tokens[tokens.length - 1] : tokens.slice(0, -1).join(' ');
}

type Value = string | number | boolean | string[] | null;

function applyTransform(value: Value, t: Transform, cache: Map<string, RegExp>): Value {
  if (value === null) return null;
  if (Array.isArray(value)) return value;
  if (typeof t === 'string') {
    if (typeof value !== 'string') return value;
    switch (t) {
      case 'trim':
        return value.trim();
      case 'lower':
        return value.toLowerCase();
      case 'upper':
        return value.toUpperCase();
      case 'collapseSpaces':
        return value.replace(/\s+/g, ' ').trim();
      case 'digitsOnly':
        return value.replace(/\D+/g, '');
      case 'stripQuotes': {
        const v = value.trim();
        if (v.length >= 2 && (v[0] === "'" || v[0] === '"') && v[v.length - 1] === v[0]) {
          return v.slice(1, -1).replace(/\\(['"\\])/g, '$1');
        }
        return v;
      }
    }
  }
  if (typeof value !== 'string') return value;
  if ('date' in t) return applyDate(value, t.date);
  if ('splitName' in t) return splitName(value, t.splitName);
  if ('prefix' in t) return value === '' ? value : t.prefix + value;
  if ('nullIf' in t) return t.nullIf.includes(value) ? null : value;
  if ('split' in t) return value.split(t.split).map((s) => s.trim()).filter((s) => s !== '');
  if ('number' in t) {
    let v = value.trim();
    if (t.number.stripCurrency) v = v.replace(/[^\d.,+-]/g, '');
    if (t.number.decimal === ',') v = v.replace(/\./g, '').replace(',', '.');
    else v = v.replace(/,/g, '');
    return v;
  }
  const key = `${t.replace.pattern}/${t.replace.flags ?? 'g'}`;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(t.replace.pattern, t.replace.flags ?? 'g');
    cache.set(key, re);
  }
  return value.replace(re, t.replace.with);
}

/** Sets a field, also one named "__proto__" (an assignment would change the object's prototype and drop the field). */
function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/**
 * Compiles a mapping into a function from an input row (CSV columns or a JSON object) to a
 * canonical object (not yet validated). Columns no field uses are kept under their own names
 * unless `keepUnmapped` is false, so nothing received is dropped.
 */
export function compileMapping(mapping: Mapping): (row: Record<string, unknown>) => Record<string, unknown> {
  const regexCache = new Map<string, RegExp>();
  const used = new Set<string>();
  const fields = Object.entries(mapping.fields).map(([target, spec]) => {
    const f = typeof spec === 'string' ? { column: spec } : spec;
    if (f.column) used.add(f.column);
    for (const c of f.concat ?? []) used.add(c);
    return { target, f };
  });
  const keepUnmapped = mapping.keepUnmapped ?? true;
  const constants = mapping.constants ?? {};
  const targets = new Set(fields.map((x) => x.target));

  return (row) => {
    const out: Record<string, unknown> = {};
    if (keepUnmapped) {
      for (const key of Object.keys(row)) if (!used.has(key) && !targets.has(key)) setField(out, key, row[key]);
    }
    for (const key of Object.keys(constants)) setField(out, key, constants[key]);
    for (const { target, f } of fields) {
      let value: Value;
      if (f.const !== undefined) value = f.const;
      else if (f.concat) {
        const parts: string[] = [];
        for (const c of f.concat) {
          const v = row[c];
          if (v !== undefined && v !== null && String(v).trim() !== '') parts.push(String(v).trim());
        }
        value = parts.length > 0 ? parts.join(f.separator ?? ' ') : null;
      } else {
        const v = row[f.column!];
        value = v === undefined ? null : (v as Value);
      }
      for (const t of f.transforms ?? []) value = applyTransform(value, t, regexCache);
      if (value !== null && value !== '') setField(out, target, value);
    }
    return out;
  };
}
