/*
 * Prepared address fields shared by customers and locations.
 */

import type { PreparedValue } from '../model/prepared-record';
import { countryCode, fold, phoneticCodes, postalArea, postalCode, streetAddress, tokenize } from '../standardize';
import { attributeText, distinctSorted } from './attributes';

/**
 * Standardized address fields of a record: `street` (name without number), `houseNumber`,
 * `addressTokens` (street tokens and house-number parts, for a set comparison that survives the
 * number being written into the street line), `streetPhonetic`, `postalCode`, `postalArea`,
 * `city`, `cityPhonetic`, `region`, `country` (ISO alpha-2).
 *
 * @example
 * ```ts
 * addressFields({ street: 'Industriestr. 12a', postalCode: '80331', city: 'München', country: 'DE' })
 * // { street: 'industriestrasse', houseNumber: '12a', postalCode: '80331', postalArea: '80', city: 'muenchen', country: 'DE', ... }
 * ```
 */
export function addressFields(attributes: Readonly<Record<string, unknown>>): Record<string, PreparedValue> {
  const country = countryCode(attributeText(attributes, 'country'));
  const line = attributeText(attributes, 'street');
  const numberText = attributeText(attributes, 'houseNumber');
  const parsed = line ? streetAddress(numberText ? `${line} ${numberText}` : line, { country: country ?? undefined }) : null;
  const street = parsed && parsed.street !== '' ? parsed.street : null;
  const houseNumber = parsed?.houseNumber ?? (numberText ? numberText.toLowerCase().replace(/\s+/g, '') : null);
  const numberParts = houseNumber ? houseNumber.split(/[^a-z0-9]+/) : [];
  const streetTokens = street ? tokenize(street) : [];
  const postal = postalCode(attributeText(attributes, 'postalCode'), country ?? undefined);
  const cityText = attributeText(attributes, 'city');
  const city = cityText ? tokenize(cityText).join(' ') || null : null;
  const region = attributeText(attributes, 'region');
  const line2 = attributeText(attributes, 'addressLine2');
  const firstStreetWord = streetTokens.find((t) => /[a-z]/.test(t));
  return {
    street,
    houseNumber,
    addressTokens: distinctSorted([...streetTokens, ...numberParts]),
    streetPhonetic: firstStreetWord ? (phoneticCodes(firstStreetWord)?.primary ?? null) : null,
    addressLine2: line2 ? tokenize(line2).join(' ') || null : null,
    postalCode: postal?.postalCode ?? null,
    postalArea: postal ? postalArea(postal.postalCode, country ?? undefined) : null,
    city,
    cityPhonetic: city ? (phoneticCodes(city.replace(/ /g, ''))?.primary ?? null) : null,
    region: region ? fold(region) : null,
    country,
  };
}
