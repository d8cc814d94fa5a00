import { createHash } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'; // Crockford base32: no I, L, O, U

/**
 * A new golden id: opaque, and derived from the entity and the key of the record that founds the
 * golden record, so the same data resolved in any order names its golden records the same way.
 * `attempt` > 0 gives the alternatives used when an id is already taken.
 *
 * @example
 * ```ts
 * goldenIdFor('customer', 'crm', '0015g00000Abc12') // 'G-9W4Q2M7TK1XZ3'
 * ```
 */
export function goldenIdFor(entity: string, source: string, sourceId: string, attempt = 0): string {
  const digest = createHash('sha256').update(`${entity}\u0000${source}\u0000${sourceId}\u0000${attempt}`).digest();
  let out = 'G-';
  for (let i = 0; i < 13; i++) out += ALPHABET[digest[i] & 31];
  return out;
}
