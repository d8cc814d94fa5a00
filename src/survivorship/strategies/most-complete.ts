import { keepHighest, type Strategy } from '../strategy';
import { isEmptyValue } from '../values';

const INFORMATIVE = /[\p{L}\p{N}]/gu;

/**
 * How informative a value is, as `[parts, characters]`: a string is one part with its count of
 * letters and digits (punctuation and spacing add nothing); a number counts its significant digits;
 * an array or object counts its non-empty elements or members, then their characters.
 *
 * @example
 * ```ts
 * completeness('Krüger Maschinenbau GmbH'); // [1, 22]
 * completeness({ street: 'Hauptstr.', city: 'Ulm', postalCode: '' }); // [2, 11]
 * ```
 */
export function completeness(value: unknown): [parts: number, characters: number] {
  if (isEmptyValue(value)) return [0, 0];
  if (typeof value === 'string') return [1, value.normalize('NFC').match(INFORMATIVE)?.length ?? 0];
  if (typeof value === 'number') {
    const digits = String(Math.abs(value)).split('e')[0].replace('.', '').replace(/^0+/, '');
    return [1, digits.length];
  }
  if (typeof value !== 'object' || value === null) return [1, String(value).length];
  const parts: unknown[] = Array.isArray(value) ? value : Object.values(value);
  let filled = 0;
  let characters = 0;
  for (const part of parts) {
    if (isEmptyValue(part)) continue;
    filled += 1;
    characters += completeness(part)[1];
  }
  return [filled, characters];
}

/** Characters count below this weight, so parts always dominate (fields are at most 64 KiB). */
const PART_WEIGHT = 1_000_000;

/**
 * Most complete: the most informative value: more filled parts first (an address with a postal
 * code beats one without), then more letters and digits ('Krüger Maschinenbau GmbH' over 'Krueger').
 *
 * @example
 * ```ts
 * mostComplete().select(candidates, context).kept; // the candidates with the fullest value
 * ```
 */
export function mostComplete(): Strategy {
  return {
    name: 'mostComplete',
    select(candidates) {
      const { kept } = keepHighest(candidates, (c) => {
        const [parts, characters] = completeness(c.value);
        return parts * PART_WEIGHT + Math.min(characters, PART_WEIGHT - 1);
      });
      const [parts, characters] = completeness(kept[0].value);
      const what = parts > 1 ? `${parts} parts, ${characters} letters and digits` : `${characters} letters and digits`;
      return { kept, reason: `most complete value (${what})` };
    },
  };
}
