import type { BlockingRule, PreparedRecord } from './types';

/** Separator between the per-field parts of a blocking key. */
export const KEY_SEPARATOR = '\u0001';

/**
 * Upper bound on the keys one record yields for one rule. Several array-valued
 * fields multiply (cartesian product); the cap keeps one pathological record
 * from producing thousands of keys.
 */
export const DEFAULT_MAX_KEYS_PER_RECORD = 64;

/**
 * The distinct, non-empty parts a field value contributes to a key: a string
 * (trimmed), a finite number, or each element of a string array (trimmed,
 * deduplicated, sorted so element order never matters). Empty when the value is
 * missing, blank, non-finite or an empty array.
 *
 * @example
 * ```ts
 * keyParts([' b ', 'a', 'b', '']) // ['a', 'b']
 * keyParts('  ')                  // []
 * keyParts(42)                    // ['42']
 * ```
 */
export function keyParts(value: string | number | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  if (typeof value === 'number') return Number.isFinite(value) ? [String(value)] : [];
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? [] : [t];
  }
  const parts = new Set<string>();
  for (const element of value) {
    if (typeof element !== 'string') continue;
    const t = element.trim();
    if (t !== '') parts.add(t);
  }
  return [...parts].sort();
}

/**
 * The blocking keys of `record` under `rule`: the values of the rule's `on`
 * fields joined with {@link KEY_SEPARATOR}. An array field explodes into one key
 * per element (cartesian product over several array fields, capped at
 * `maxKeys`); a missing or empty value in any `on` field yields no key, and so
 * does a rule without fields. Keys are distinct and deterministic.
 *
 * @example
 * ```ts
 * const rule = { name: 'email+country', on: ['emails', 'country'] };
 * blockingKeys({ id: 0, source: 'crm', fields: { emails: ['b@x', 'a@x'], country: 'DE' } }, rule);
 * // ['a@x\u0001DE', 'b@x\u0001DE']
 * blockingKeys({ id: 1, source: 'crm', fields: { emails: ['a@x'], country: null } }, rule); // []
 * ```
 */
export function blockingKeys(
  record: PreparedRecord,
  rule: BlockingRule,
  maxKeys: number = DEFAULT_MAX_KEYS_PER_RECORD,
): string[] {
  const on = rule.on;
  if (on.length === 0 || maxKeys < 1) return [];
  if (on.length === 1) {
    const parts = keyParts(record.fields[on[0]]);
    return parts.length > maxKeys ? parts.slice(0, maxKeys) : parts;
  }
  let keys: string[] = [''];
  for (let f = 0; f < on.length; f++) {
    const parts = keyParts(record.fields[on[f]]);
    if (parts.length === 0) return [];
    const next: string[] = [];
    outer: for (const prefix of keys) {
      for (const part of parts) {
        if (next.length >= maxKeys) break outer;
        next.push(f === 0 ? part : prefix + KEY_SEPARATOR + part);
      }
    }
    keys = next;
  }
  return keys;
}
