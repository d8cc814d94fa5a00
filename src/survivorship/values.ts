/**
 * How two values are compared: `text` ignores case and runs of whitespace, `compact` also drops
 * spaces and the separators `- ( ) . / _` (phones, identifiers), `exact` compares as stored.
 */
export type NormalizeMode = 'text' | 'compact' | 'exact';

export const NORMALIZE_MODES = ['text', 'compact', 'exact'] as const satisfies readonly NormalizeMode[];

/**
 * True for values that never win: null, undefined, blank strings, non-finite numbers, and arrays
 * or objects holding nothing but such values.
 *
 * @example
 * ```ts
 * isEmptyValue('  ');       // true
 * isEmptyValue([]);         // true
 * isEmptyValue(0);          // false
 * ```
 */
export function isEmptyValue(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (typeof value === 'number') return !Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isEmptyValue);
  if (typeof value === 'object') return Object.values(value).every(isEmptyValue);
  return false;
}

function normalizeString(value: string, mode: NormalizeMode): string {
  if (mode === 'exact') return value;
  const text = value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return mode === 'compact' ? text.replace(/[\s\-()./_]/g, '') : text;
}

/**
 * The comparison key of a value: equal keys mean "the same value" for most-frequent counting,
 * aggregate de-duplication, losers and pin checks. Arrays compare as sets, objects by their
 * non-empty members. An empty value has the key `''`.
 *
 * @example
 * ```ts
 * normalizeValue('  Krüger  GmbH ');               // 'krüger gmbh'
 * normalizeValue('+49 (711) 123-456', 'compact');  // '+49711123456'
 * normalizeValue(12) === normalizeValue('12');     // true
 * ```
 */
export function normalizeValue(value: unknown, mode: NormalizeMode = 'text'): string {
  if (isEmptyValue(value)) return '';
  if (typeof value === 'string') return normalizeString(value, mode);
  if (Array.isArray(value)) {
    const parts = value.filter((v) => !isEmptyValue(v)).map((v) => normalizeValue(v, mode));
    return JSON.stringify([...new Set(parts)].sort());
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, v]) => !isEmptyValue(v))
      .map(([k, v]) => [k, normalizeValue(v, mode)] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return JSON.stringify(Object.fromEntries(entries));
  }
  return String(value);
}
