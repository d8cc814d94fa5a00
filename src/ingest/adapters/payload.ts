/**
 * Small readers the adapters use to take values out of source payloads. Each one either returns
 * a clean value (`undefined` for empty) or throws `PayloadError` with a message that names the
 * field and says what was expected: that message becomes the quarantine reason.
 */
import type { EntityType } from '../../core/entities';
import { excerptOf, type MappedItem, PayloadError } from '../source-adapter';

export type Payload = Record<string, unknown>;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** A text value: strings as they are ('' = absent), finite numbers as text. */
export function text(p: Payload, field: string): string | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  throw new PayloadError(`${field} must be text, got ${describe(v)}`);
}

/** A required key field. */
export function key(p: Payload, field: string): string {
  const v = text(p, field);
  if (v === undefined) throw new PayloadError(`${field} (the record's key) is missing`);
  return v;
}

/** A boolean (`true`/`false`, or the strings ServiceNow sends); absent = false. */
export function bool(p: Payload, field: string): boolean {
  const v = p[field];
  if (v === undefined || v === null || v === '') return false;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new PayloadError(`${field} must be true or false, got ${describe(v)}`);
}

/** A number from a JSON number or a decimal string (SAP sends Edm.Decimal as text). */
export function decimal(p: Payload, field: string): number | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(v.trim())) return Number(v.trim());
  throw new PayloadError(`${field} must be a number, got ${describe(v)}`);
}

/** A nested object, or undefined. */
export function object(p: Payload, field: string): Payload | undefined {
  const v = p[field];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'object' && !Array.isArray(v)) return v as Payload;
  throw new PayloadError(`${field} must be an object, got ${describe(v)}`);
}

/** The `results` list of an expanded OData navigation or a Salesforce child relationship (`records`). */
export function list(p: Payload, field: string, member: 'results' | 'records' = 'results'): Payload[] {
  const v = object(p, field);
  if (!v) return [];
  if ('__deferred' in v) throw new PayloadError(`${field} was not expanded`);
  const items = v[member];
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items)) throw new PayloadError(`${field}.${member} must be a list, got ${describe(items)}`);
  return items.filter((x): x is Payload => x !== null && typeof x === 'object');
}

/** Drops undefined values, so absent attributes stay absent. */
export function compact(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k in input) if (input[k] !== undefined) out[k] = input[k];
  return out;
}

/** Maps one payload, turning a `PayloadError` into a quarantine item. */
export function mapSafely(
  payload: Payload,
  entityGuess: EntityType | null,
  keyField: string,
  map: (p: Payload) => Record<string, unknown>,
): MappedItem {
  try {
    return { ok: true, input: map(payload) };
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    const id = payload[keyField];
    return {
      ok: false,
      entity: entityGuess,
      sourceId: typeof id === 'string' && id !== '' ? id.slice(0, 128) : null,
      reason: error.message,
      excerpt: excerptOf(payload),
    };
  }
}

/** The first line of a multi-line street and the rest as the second address line. */
export function splitStreet(value: string | undefined): { street?: string; addressLine2?: string } {
  if (value === undefined) return {};
  const [first, ...rest] = value.split(/\r?\n/);
  const line2 = rest.join(', ').trim();
  return { street: first.trim() || undefined, addressLine2: line2 || undefined };
}
