/**
 * Phone numbers to E.164, backed by `libphonenumber-js` with its full ("max")
 * metadata, so that validity is checked against the real numbering plans and
 * not only by length.
 *
 * Before parsing: full-width digits are folded, a leading label ("Tel.:",
 * "Phone", "Mobil", "Fax") is removed, an extension written at the end
 * ("x45", "ext. 45", "#45", "Durchwahl 45", "DW 45", "App. 45") is split
 * off, and the "00" international call prefix becomes "+" (so "0049 ..."
 * parses whatever the default country). Anything else containing letters
 * (vanity numbers such as "1-800-FLOWERS", free text) is rejected.
 *
 * @module
 */
import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { countryCode } from './country';
import { foldDiacritics, toText, type Raw } from './text';

/** A parsed phone number. */
export interface PhoneNumber {
  /** The number in E.164 format, e.g. `'+49891234567'`. */
  e164: string;
  /** The extension, if one was written, e.g. `'45'`. */
  extension: string | null;
  /** ISO 3166-1 alpha-2 country of the number, when the numbering plan determines it. */
  country: string | null;
}

const LABEL_RE = /^(?:tel(?:efon|ephone|\.)?|phone|ph|fon|mob(?:il|ile)?|handy|cell(?:ular)?|fax|gsm|[tmfp])\s*[.:]?\s*(?=[+(\d])/i;
const EXTENSION_RE = /\s*(?:;?ext(?:ension)?\.?|x|#|durchwahl|dw\.?|app(?:arat)?\.?|nebenstelle|poste|int\.?)\s*:?\s*(\d{1,7})\s*$/i;
const INTERNATIONAL_00_RE = /^\s*00(?=\s*[1-9])/;
const LETTER_RE = /\p{L}/u;

function defaultCountryOf(value: Raw): CountryCode | undefined {
  const cc = countryCode(value);
  return cc !== null && isSupportedCountry(cc) ? cc : undefined;
}

/**
 * Parses a phone number into E.164 plus extension.
 *
 * `defaultCountry` (any form {@link countryCode} accepts, typically the
 * record's country) is used for numbers written without an international
 * prefix. Returns `null` for numbers that are not valid in their numbering
 * plan, vanity numbers, free text and national numbers without a usable
 * default country.
 *
 * @example
 * ```ts
 * phoneNumber('089 1234567 Durchwahl 12', 'DE')
 * // { e164: '+49891234567', extension: '12', country: 'DE' }
 * phoneNumber('(212) 555-0123 x45', 'US')
 * // { e164: '+12125550123', extension: '45', country: 'US' }
 * ```
 */
export function phoneNumber(value: Raw, defaultCountry?: Raw): PhoneNumber | null {
  const text = toText(value);
  if (text === null) return null;
  let s = foldDiacritics(text).replace(LABEL_RE, '');
  let extension: string | null = null;
  const ext = EXTENSION_RE.exec(s);
  if (ext) {
    extension = ext[1];
    s = s.slice(0, ext.index);
  }
  if (LETTER_RE.test(s)) return null;
  s = s.replace(INTERNATIONAL_00_RE, '+');

  const dc = defaultCountry === undefined || defaultCountry === null ? undefined : defaultCountryOf(defaultCountry);
  const parsed = parsePhoneNumberFromString(s, { defaultCountry: dc, extract: false });
  if (!parsed || !parsed.isValid()) return null;
  return {
    e164: parsed.number,
    extension: extension ?? parsed.ext ?? null,
    country: parsed.country ?? null,
  };
}

/**
 * A phone number in E.164 format (extension dropped), or `null`. See
 * {@link phoneNumber} for the accepted input.
 *
 * @example
 * ```ts
 * phoneE164('+49 (0)89 123 4567')       // '+49891234567'
 * phoneE164('0049 89 1234567', 'US')    // '+49891234567'
 * phoneE164('089 1234567', 'Deutschland') // '+49891234567'
 * phoneE164('020 7946 0958', 'GB')      // '+442079460958'
 * phoneE164('1-800-FLOWERS', 'US')      // null
 * phoneE164('089 1234567')              // null (national number, no default country)
 * ```
 */
export function phoneE164(value: Raw, defaultCountry?: Raw): string | null {
  return phoneNumber(value, defaultCountry)?.e164 ?? null;
}
