/**
 * Personal data inside golden-record attributes, hidden from keys without the `pii` scope.
 * Always personal: `givenName`, `familyName`, `email`, `phone`, `dateOfBirth`, `nationalId`
 * (an organization's phone or e-mail often reaches one named person, so they count too);
 * `name` only when the customer is a person (`kind: 'person'`).
 */
export const PERSONAL_ATTRIBUTES: readonly string[] = ['givenName', 'familyName', 'email', 'phone', 'dateOfBirth', 'nationalId'];

/**
 * The value of a stored golden attribute: survivorship stores `{ value, lineage }` for a single
 * value and `{ values: [{ value, lineage }] }` for an aggregate (all distinct phones); a plain
 * value is returned as is.
 *
 * @example
 * ```ts
 * plainValue({ value: 'Ulm', lineage: { source: 'crm' } }) // 'Ulm'
 * plainValue({ values: [{ value: '+49 1' }, { value: '+49 2' }] }) // ['+49 1', '+49 2']
 * ```
 */
export function plainValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if ('value' in value) return (value as { value: unknown }).value;
  const values = (value as { values?: unknown }).values;
  if (Array.isArray(values)) return values.map((v) => (v !== null && typeof v === 'object' && 'value' in v ? (v as { value: unknown }).value : v));
  return value;
}

/** Golden attributes as plain values (see `plainValue`), keys sorted. */
export function plainAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(attributes)
      .sort()
      .map((k) => [k, plainValue(attributes[k])]),
  );
}

/**
 * Removes personal attributes (see `PERSONAL_ATTRIBUTES`) and names the ones that had a value.
 *
 * @example
 * ```ts
 * redactPersonalAttributes('customer', { kind: 'person', name: 'Anna Berg', city: 'Ulm' })
 * // { attributes: { kind: 'person', city: 'Ulm' }, redacted: ['name'] }
 * ```
 */
export function redactPersonalAttributes(
  entity: string,
  attributes: Record<string, unknown>,
): { attributes: Record<string, unknown>; redacted: string[] } {
  const person = entity === 'customer' && plainValue(attributes.kind) === 'person';
  const out: Record<string, unknown> = {};
  const redacted: string[] = [];
  for (const [key, value] of Object.entries(attributes)) {
    if (PERSONAL_ATTRIBUTES.includes(key) || (person && key === 'name')) {
      if (value !== null && value !== undefined) redacted.push(key);
      continue;
    }
    out[key] = value;
  }
  return { attributes: out, redacted: redacted.sort() };
}
