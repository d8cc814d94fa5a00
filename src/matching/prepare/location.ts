import type { PreparedValue } from '../model/prepared-record';
import { gln, nameTokensPhonetic, tokenize } from '../standardize';
import { addressFields } from './address';
import { attributeNumber, attributeText } from './attributes';
import type { PrepareContext, PrepareInput, PreparedRecord } from './types';

/** A name without numbers: its numbers key is this marker, so "Plant" and "Plant 2" differ. */
export const NO_NAME_NUMBERS = '-';

/**
 * The numbers that stand alone in a site name ("Werk 2", "Plant Chicago 3"), sorted and joined
 * with spaces, leading zeros dropped; `NO_NAME_NUMBERS` for a name without any; null without a
 * name. A site's ordinal is part of its identity: "Plant 2" and "Plant 3" of one owner are two sites.
 *
 * @example
 * ```ts
 * siteNameNumbers(['jung', 'werk', 'chemnitz', '05']) // '5'
 * siteNameNumbers(['jung', 'werk', 'chemnitz'])       // '-'
 * ```
 */
export function siteNameNumbers(tokens: readonly string[]): string | null {
  if (tokens.length === 0) return null;
  const numbers = [...new Set(tokens.filter((t) => /^\d+$/.test(t)).map((t) => t.replace(/^0+(?=\d)/, '')))].sort();
  return numbers.length > 0 ? numbers.join(' ') : NO_NAME_NUMBERS;
}

/**
 * Prepare a location record (site, plant, depot, ship-to) for matching.
 *
 * Fields: `nameNorm`, `nameTokens`, `namePhonetic`, `nameNumbers` (see `siteNameNumbers`), `gln` (valid check digit only) and `glnAny`,
 * address fields (see `addressFields`), `latitude`, `longitude`, `geoCell` (about 1 km grid cell,
 * for blocking), `geoPoint` (4 decimals, about 10 m) and `geoNear` (3 decimals, about 100 m), `customerKey` (cluster key of `customerRef`).
 *
 * @example
 * ```ts
 * prepareLocation({ id: 0, source: 'fsm', sourceId: 'L1', attributes: { name: 'Werk Süd', gln: '4000001000005' } }, NO_REFERENCES).fields.gln
 * // '4000001000005'
 * ```
 */
export function prepareLocation(input: PrepareInput, context: PrepareContext): PreparedRecord {
  const a = input.attributes;
  const name = attributeText(a, 'name');
  const tokens = name ? tokenize(name) : [];
  const code = gln(attributeText(a, 'gln'));
  const lat = attributeNumber(a, 'latitude');
  const lon = attributeNumber(a, 'longitude');
  const geo = lat !== null && lon !== null && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0);
  const customerRef = attributeText(a, 'customerRef');
  const fields: Record<string, PreparedValue> = {
    nameNorm: tokens.length > 0 ? tokens.join(' ') : null,
    nameTokens: tokens.length > 0 ? tokens : null,
    namePhonetic: tokens.length > 0 ? nameTokensPhonetic(tokens) : null,
    nameNumbers: siteNameNumbers(tokens),
    gln: code && code.valid ? code.value : null,
    glnAny: code?.value ?? null,
    ...addressFields(a),
    latitude: geo ? lat : null,
    longitude: geo ? lon : null,
    geoCell: geo ? `${Math.round(lat! * 100)}:${Math.round(lon! * 100)}` : null,
    geoPoint: geo ? `${lat!.toFixed(4)}:${lon!.toFixed(4)}` : null,
    geoNear: geo ? `${lat!.toFixed(3)}:${lon!.toFixed(3)}` : null,
    customerKey: customerRef ? context.ref('customer', customerRef, input.source) : null,
  };
  return { id: input.id, source: input.source, fields };
}
