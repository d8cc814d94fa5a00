import { createHash } from 'node:crypto';
import {
  type AttributeSpec,
  type CanonicalRecord,
  ENTITY_ATTRIBUTES,
  ENTITY_TYPES,
  type EntityType,
  isEntityType,
} from '../core/entities';

/** Limits on what one record may carry. */
export const MAX_FIELD_BYTES = 64 * 1024;
export const MAX_LINE_BYTES = 1024 * 1024;
/** Deepest nesting of lists and objects in a field's value. */
export const MAX_NESTING = 32;

// Characters PostgreSQL cannot store in text or jsonb: NUL, and a UTF-16 surrogate without its pair.
// The first test is a cheap scan; only text with a NUL or a surrogate gets the exact one.
const SUSPECT_RE = /[\u0000\ud800-\udfff]/;
const UNSTORABLE_RE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const SOURCE_RE = /^[a-z0-9_-]{1,40}$/;
const ISO_TIMESTAMP_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

export type ValidationResult =
  | { ok: true; record: CanonicalRecord }
  | { ok: false; reason: string; entity?: string; source?: string; sourceId?: string };

export interface ValidateOptions {
  /** Values coming from CSV are strings: accept "true"/"false" for booleans, `a|b` for ref lists. */
  fromText?: boolean;
  /** Fill-ins for a missing `entity` / `source` (the CLI's --entity / --source). */
  defaultEntity?: EntityType;
  defaultSource?: string;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function validCalendarDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(y), month);
}

/** Parses an ISO-8601 timestamp (date-only means midnight UTC) to `toISOString()` form, or null. */
export function parseIsoTimestamp(value: string): string | null {
  const m = ISO_TIMESTAMP_RE.exec(value);
  if (!m || !validCalendarDate(m[1], m[2], m[3])) return null;
  if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 60)) return null;
  let text = value.replace(' ', 'T');
  if (m[4] === undefined) text += 'T00:00:00Z';
  else if (m[7] === undefined) text += 'Z';
  else if (/[+-]\d{2}$/.test(text)) text += ':00';
  else if (/[+-]\d{4}$/.test(text)) text = `${text.slice(0, -2)}:${text.slice(-2)}`;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Parses an ISO calendar date (`YYYY-MM-DD`, or a timestamp whose date part is taken). */
export function parseIsoDate(value: string): string | null {
  const m = ISO_DATE_RE.exec(value);
  if (m) return validCalendarDate(m[1], m[2], m[3]) ? value : null;
  const ts = parseIsoTimestamp(value);
  return ts === null ? null : value.slice(0, 10);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
}

function byteLength(value: string): number {
  // Fast path: UTF-16 length bounds the UTF-8 length from below by length and above by 3x length.
  return value.length * 3 <= MAX_FIELD_BYTES ? value.length : Buffer.byteLength(value);
}

/** A field name as messages show it: as is when plain, else quoted (and escaped). */
function fieldName(key: string): string {
  return /^[A-Za-z0-9_$-]{1,64}$/.test(key) ? key : quote(key);
}

function unstorableProblem(where: string, text: string): string | null {
  if (!SUSPECT_RE.test(text)) return null;
  const m = UNSTORABLE_RE.exec(text);
  if (!m) return null;
  return m[0] === '\u0000'
    ? `${where} contains a NUL character (U+0000), which cannot be stored: remove it`
    : `${where} contains an unpaired UTF-16 surrogate (${JSON.stringify(m[0]).slice(1, -1)}), which is not valid Unicode`;
}

/**
 * Checks a structured value (list or object) without recursion, so no input can exhaust the
 * stack: nesting depth, size, and characters that cannot be stored, in keys and strings.
 */
function structureProblem(name: string, value: object): string | null {
  const stack: Array<[unknown, number]> = [[value, 1]];
  let size = 0;
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      size += v.length + 2;
      const problem = unstorableProblem(`field ${fieldName(name)}`, v);
      if (problem) return problem;
    } else if (v !== null && typeof v === 'object') {
      if (depth > MAX_NESTING) return `field ${fieldName(name)} is nested more than ${MAX_NESTING} levels deep`;
      size += 2;
      if (Array.isArray(v)) for (const x of v) stack.push([x, depth + 1]);
      else {
        for (const k of Object.keys(v)) {
          size += k.length + 3;
          const problem = unstorableProblem(`a key in field ${fieldName(name)}`, k);
          if (problem) return problem;
          stack.push([(v as Record<string, unknown>)[k], depth + 1]);
        }
      }
    } else size += 8;
    if (size > MAX_FIELD_BYTES) return `field ${fieldName(name)} is larger than ${MAX_FIELD_BYTES} bytes`;
  }
  return null;
}

function checkAttribute(
  name: string,
  spec: AttributeSpec,
  value: unknown,
  fromText: boolean,
  errors: string[],
): string | number | string[] | null {
  if (value === null || value === undefined || value === '') return null;
  switch (spec.kind) {
    case 'string':
    case 'ref': {
      if (typeof value === 'string') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
      errors.push(`${name} must be a ${spec.kind === 'ref' ? 'sourceId (string)' : 'string'}, got ${describe(value)}`);
      return null;
    }
    case 'enum': {
      if (typeof value === 'string' && spec.values!.includes(value)) return value;
      errors.push(`${name} ${typeof value === 'string' ? quote(value) : describe(value)} is not one of ${spec.values!.join(', ')}`);
      return null;
    }
    case 'number': {
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      if (typeof value === 'string' && NUMBER_RE.test(value.trim())) return Number(value.trim());
      errors.push(`${name} must be a number, got ${describe(value)}`);
      return null;
    }
    case 'date': {
      if (typeof value === 'string') {
        const date = parseIsoDate(value);
        if (date !== null) return date;
        errors.push(`${name} ${quote(value)} is not a date (expected ISO-8601, YYYY-MM-DD)`);
        return null;
      }
      errors.push(`${name} must be an ISO-8601 date string, got ${describe(value)}`);
      return null;
    }
    case 'refs': {
      if (Array.isArray(value)) {
        const out: string[] = [];
        for (const item of value) {
          if (typeof item === 'string' && item !== '') out.push(item);
          else if (typeof item === 'number' && Number.isFinite(item)) out.push(String(item));
          else {
            errors.push(`${name} must be a list of sourceIds, found ${describe(item)} in it`);
            return null;
          }
        }
        return out;
      }
      if (fromText && typeof value === 'string') return value.split('|').filter((v) => v !== '');
      errors.push(`${name} must be a list of sourceIds, got ${describe(value)}`);
      return null;
    }
  }
}

/**
 * Validates one input object as a canonical source record. Never throws; an invalid record
 * comes back with a precise reason naming every problem.
 *
 * @example
 * ```ts
 * validateCanonical({ entity: 'customer', source: 'crm', sourceId: 'A1', name: 'Krüger GmbH' })
 * // { ok: true, record: { entity: 'customer', ..., attributes: { name: 'Krüger GmbH', ... } } }
 * validateCanonical({ entity: 'customer', source: 'crm', sourceId: 'A1', updatedAt: '2024-13-01' })
 * // { ok: false, reason: 'updatedAt "2024-13-01" is not a date (expected ISO-8601)' }
 * ```
 */
export function validateCanonical(input: unknown, options: ValidateOptions = {}): ValidationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, reason: `a record must be a JSON object, got ${describe(input)}` };
  }
  const raw = input as Record<string, unknown>;
  const errors: string[] = [];
  const fromText = options.fromText ?? false;

  let entity = raw.entity;
  if (entity === undefined || entity === null || entity === '') entity = options.defaultEntity;
  let source = raw.source;
  if (source === undefined || source === null || source === '') source = options.defaultSource;
  let sourceId = raw.sourceId;
  if (typeof sourceId === 'number' && Number.isSafeInteger(sourceId)) sourceId = String(sourceId);

  if (entity === undefined) errors.push('entity is missing (one of ' + ENTITY_TYPES.join(', ') + ')');
  else if (!isEntityType(entity)) {
    errors.push(`entity ${typeof entity === 'string' ? quote(entity) : describe(entity)} is not one of ${ENTITY_TYPES.join(', ')}`);
  } else if (options.defaultEntity && entity !== options.defaultEntity) {
    errors.push(`entity "${entity}" differs from the requested entity "${options.defaultEntity}"`);
  }
  if (source === undefined) errors.push('source is missing (a system name such as erp, crm, fsm)');
  else if (typeof source !== 'string' || !SOURCE_RE.test(source)) {
    errors.push(`source ${typeof source === 'string' ? quote(source) : describe(source)} is invalid (expected 1-40 characters of a-z, 0-9, _ or -)`);
  } else if (options.defaultSource && source !== options.defaultSource) {
    errors.push(`source "${source}" differs from the requested source "${options.defaultSource}"`);
  }
  if (sourceId === undefined || sourceId === null || sourceId === '') errors.push('sourceId is missing');
  else if (typeof sourceId !== 'string') errors.push(`sourceId must be a string, got ${describe(sourceId)}`);
  else if (sourceId.length > 128) errors.push(`sourceId is ${sourceId.length} characters long (at most 128)`);

  let updatedAt: string | null = null;
  const rawUpdated = raw.updatedAt;
  if (rawUpdated !== undefined && rawUpdated !== null && rawUpdated !== '') {
    if (typeof rawUpdated !== 'string') errors.push(`updatedAt must be an ISO-8601 timestamp string, got ${describe(rawUpdated)}`);
    else {
      updatedAt = parseIsoTimestamp(rawUpdated);
      if (updatedAt === null) errors.push(`updatedAt ${quote(rawUpdated)} is not a date (expected ISO-8601)`);
    }
  }

  let deleted = false;
  const rawDeleted = raw.deleted;
  if (rawDeleted !== undefined && rawDeleted !== null && rawDeleted !== '') {
    if (typeof rawDeleted === 'boolean') deleted = rawDeleted;
    else if (fromText && typeof rawDeleted === 'string' && /^(true|false|1|0)$/i.test(rawDeleted)) {
      deleted = /^(true|1)$/i.test(rawDeleted);
    } else errors.push(`deleted must be true or false, got ${describe(rawDeleted)}`);
  }

  const attributes: CanonicalRecord['attributes'] = {};
  const specs = isEntityType(entity) ? ENTITY_ATTRIBUTES[entity] : undefined;
  for (const key of Object.keys(raw)) {
    const value = raw[key];
    const keyProblem = unstorableProblem(`the field name ${quote(key)}`, key);
    if (keyProblem) {
      errors.push(keyProblem);
      continue;
    }
    if (typeof value === 'string') {
      if (byteLength(value) > MAX_FIELD_BYTES) {
        errors.push(`field ${fieldName(key)} is ${Buffer.byteLength(value)} bytes (at most ${MAX_FIELD_BYTES})`);
        continue;
      }
      const problem = unstorableProblem(`field ${fieldName(key)}`, value);
      if (problem) {
        errors.push(problem);
        continue;
      }
    } else if (value !== null && typeof value === 'object') {
      const problem = structureProblem(key, value);
      if (problem) {
        errors.push(problem);
        continue;
      }
    }
    // Own attributes only: a field named "constructor" or "__proto__" is an unknown field, not Object's.
    const spec = specs && Object.hasOwn(specs, key) ? specs[key] : undefined;
    if (spec) {
      const checked = checkAttribute(key, spec, value, fromText, errors);
      if (checked !== null) attributes[key] = checked;
    }
  }

  if (errors.length > 0) {
    return {
      ok: false,
      reason: errors.join('; '),
      entity: typeof entity === 'string' ? entity : undefined,
      source: typeof source === 'string' ? source : undefined,
      sourceId: typeof sourceId === 'string' ? sourceId.slice(0, 128) : undefined,
    };
  }
  return {
    ok: true,
    record: {
      entity: entity as EntityType,
      source: source as string,
      sourceId: sourceId as string,
      updatedAt,
      deleted,
      attributes,
      raw,
    },
  };
}

/**
 * The content hash of a record: identical content gives the identical hash, so a replay is
 * recognised as unchanged. Covers the envelope and every field received, unknown ones too.
 */
export function contentHash(record: CanonicalRecord): string {
  return createHash('md5')
    .update(JSON.stringify([record.updatedAt, record.deleted, record.raw]))
    .digest('base64url');
}
