/**
 * Business identifiers: VAT numbers, D-U-N-S numbers and GS1 keys (GTIN,
 * GLN).
 *
 * API convention for identifiers that carry a check:
 * - `null` means "this is not an identifier of that kind at all" (missing,
 *   wrong characters, wrong length);
 * - `{ value, valid: false }` means "shaped like one, normalized, but the
 *   check digit (or country format) fails". Such values are still returned
 *   because a mistyped identifier is evidence for the matcher, just weaker
 *   evidence than a valid one.
 *
 * @module
 */
import { countryCode } from './country';
import { foldDiacritics, toText, type Raw } from './text';

/** A normalized VAT identification number. */
export interface Vat {
  /** Prefix + number without separators, e.g. `'DE136695976'`, `'ATU13585627'`, `'EL094012834'`. */
  value: string;
  /** ISO 3166-1 alpha-2 country of the number (`'GR'` for the "EL" prefix, `'GB'` for "XI"), or `null` if unknown. */
  country: string | null;
  /** Format of the country fits and, where implemented, the check digits are right. */
  valid: boolean;
}

/** A normalized GS1 key. */
export interface Gs1Key {
  /** The digits: GTINs padded to 14 digits, GLNs 13 digits. */
  value: string;
  /** Whether the GS1 mod-10 check digit is right. */
  valid: boolean;
}

const NON_ALNUM_RE = /[^A-Z0-9]/g;
const NON_DIGIT_RE = /\D/g;
const DIGITS_RE = /^\d+$/;
const LABEL_RE = /^(?:VATNO|VATNR|VATREG|VATID|VAT|USTIDNR|USTID|UIDNR|UID|TVA|IVA|BTW|MWST|PIVA|NRTVA)/;
const CH_SUFFIX_RE = /(?:MWST|TVA|IVA)$/;
const NO_SUFFIX_RE = /MVA$/;

const luhnOk = (digits: string): boolean => {
  let sum = 0;
  for (let i = digits.length - 1, alt = false; i >= 0; i--, alt = !alt) {
    let d = digits.charCodeAt(i) - 48;
    if (alt) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
};

const weighted = (digits: string, weights: readonly number[]): number => {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (digits.charCodeAt(i) - 48) * weights[i];
  return sum;
};

/** ISO 7064 MOD 97-10 on a string of digits and letters (A=10 ... Z=35). */
const mod97 = (s: string): number => {
  let r = 0;
  for (const ch of s) {
    const v = ch >= 'A' && ch <= 'Z' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    r = v > 9 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
  }
  return r;
};

/** Per-prefix format of the part after the prefix, and the check where implemented. */
interface VatFormat {
  pattern: RegExp;
  /** Pads an all-digit body that lost leading zeros. */
  normalize?: (body: string) => string;
  check?: (body: string) => boolean;
}

const VAT_FORMATS: ReadonlyMap<string, VatFormat> = new Map<string, VatFormat>([
  ['AT', {
    pattern: /^U\d{8}$/,
    check: (b) => {
      let s = 0;
      for (let i = 1; i <= 7; i++) {
        const d = b.charCodeAt(i) - 48;
        s += i % 2 === 0 ? Math.floor((2 * d) / 10) + ((2 * d) % 10) : d;
      }
      return (10 - ((s + 4) % 10)) % 10 === b.charCodeAt(8) - 48;
    },
  }],
  ['BE', {
    pattern: /^[01]\d{9}$/,
    normalize: (b) => (b.length === 9 ? `0${b}` : b),
    check: (b) => 97 - (Number(b.slice(0, 8)) % 97) === Number(b.slice(8)),
  }],
  ['BG', { pattern: /^\d{9,10}$/ }],
  ['CY', { pattern: /^\d{8}[A-Z]$/ }],
  ['CZ', { pattern: /^\d{8,10}$/ }],
  ['DE', {
    pattern: /^[1-9]\d{8}$/,
    check: (b) => {
      let p = 10;
      for (let i = 0; i < 8; i++) {
        let s = (b.charCodeAt(i) - 48 + p) % 10;
        if (s === 0) s = 10;
        p = (2 * s) % 11;
      }
      return (11 - p) % 10 === b.charCodeAt(8) - 48;
    },
  }],
  ['DK', { pattern: /^\d{8}$/, check: (b) => weighted(b, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0 }],
  ['EE', { pattern: /^\d{9}$/ }],
  ['EL', { pattern: /^\d{9}$/, normalize: (b) => (b.length === 8 ? `0${b}` : b) }],
  ['ES', { pattern: /^[A-Z0-9]\d{7}[A-Z0-9]$/ }],
  ['FI', { pattern: /^\d{8}$/, check: (b) => weighted(b, [7, 9, 10, 5, 8, 4, 2, 1]) % 11 === 0 }],
  ['FR', {
    pattern: /^[0-9A-HJ-NP-Z]{2}\d{9}$/,
    check: (b) => !DIGITS_RE.test(b.slice(0, 2)) || Number(b.slice(0, 2)) === (12 + 3 * (Number(b.slice(2)) % 97)) % 97,
  }],
  ['HR', { pattern: /^\d{11}$/ }],
  ['HU', { pattern: /^\d{8}$/ }],
  ['IE', { pattern: /^(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/ }],
  ['IT', { pattern: /^\d{11}$/, check: luhnOk }],
  ['LT', { pattern: /^(?:\d{9}|\d{12})$/ }],
  ['LU', { pattern: /^\d{8}$/ }],
  ['LV', { pattern: /^\d{11}$/ }],
  ['MT', { pattern: /^\d{8}$/ }],
  ['NL', {
    pattern: /^\d{9}B\d{2}$/,
    normalize: (b) => {
      const i = b.indexOf('B');
      return i > 0 && i < 9 ? b.slice(0, i).padStart(9, '0') + b.slice(i) : b;
    },
    // Either the classic "elfproef" on the first 9 digits or (sole proprietors since 2020) MOD 97-10.
    check: (b) => (weighted(b, [9, 8, 7, 6, 5, 4, 3, 2, -1]) % 11 === 0) || mod97(`NL${b}`) === 1,
  }],
  ['PL', {
    pattern: /^\d{10}$/,
    check: (b) => weighted(b, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 === b.charCodeAt(9) - 48,
  }],
  ['PT', {
    pattern: /^\d{9}$/,
    check: (b) => {
      const c = 11 - (weighted(b, [9, 8, 7, 6, 5, 4, 3, 2]) % 11);
      return (c > 9 ? 0 : c) === b.charCodeAt(8) - 48;
    },
  }],
  ['RO', { pattern: /^(?:\d{2,10}|\d{13})$/ }],
  ['SE', { pattern: /^\d{10}01$/ }],
  ['SI', { pattern: /^\d{8}$/ }],
  ['SK', { pattern: /^[1-9]\d{9}$/ }],
  ['GB', { pattern: /^(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/ }],
  ['XI', { pattern: /^(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/ }],
  ['CH', { pattern: /^E\d{9}$/ }],
  ['NO', { pattern: /^\d{9}$/ }],
]);

/** VAT prefix -> ISO country. */
const PREFIX_COUNTRY: ReadonlyMap<string, string> = new Map([['EL', 'GR'], ['XI', 'GB']]);
/** ISO country -> VAT prefix (where different). */
const COUNTRY_PREFIX: ReadonlyMap<string, string> = new Map([['GR', 'EL']]);

/**
 * Normalizes a VAT identification number (EU member states, GB/XI, CH, NO):
 * uppercase, spaces/dots/dashes removed, labels ("VAT", "USt-IdNr.", "UID",
 * "TVA", "BTW") and the Swiss/Norwegian suffixes ("MWST", "MVA") dropped.
 *
 * An explicit prefix in the value wins; `country` (any form
 * {@link countryCode} accepts) only supplies a missing one ("GR" becomes the
 * VAT prefix "EL"). Lost leading zeros are restored where the format is
 * unambiguous (BE 9 -> 10 digits, EL 8 -> 9, NL digits before "B" -> 9).
 *
 * `valid` checks the country format and, for AT, BE, DE, DK, FI, FR
 * (numeric key), IT, NL, PL and PT, the check digits. Returns `null` when the
 * value has no digit, or has no prefix and no usable `country`.
 *
 * @example
 * ```ts
 * vat('DE 136 695 976')          // { value: 'DE136695976', country: 'DE', valid: true }
 * vat('136695976', 'Germany')    // { value: 'DE136695976', country: 'DE', valid: true }
 * vat('ATU 142 43 102')          // { value: 'ATU14243102', country: 'AT', valid: true }
 * vat('094012834', 'GR')         // { value: 'EL094012834', country: 'GR', valid: true }
 * vat('NL 8225.69.759 b01')      // { value: 'NL822569759B01', country: 'NL', valid: true }
 * vat('DE 125014855')            // { value: 'DE125014855', country: 'DE', valid: false }
 * ```
 */
export function vat(value: Raw, country?: Raw): Vat | null {
  const text = toText(value);
  if (text === null) return null;
  let compact = foldDiacritics(text).toUpperCase().replace(NON_ALNUM_RE, '').replace(LABEL_RE, '');
  if (!/\d/.test(compact)) return null;

  let prefix: string | null = null;
  const first2 = compact.slice(0, 2);
  if (VAT_FORMATS.has(first2)) {
    prefix = first2;
    compact = compact.slice(2);
  } else if (first2 === 'GR') {
    prefix = 'EL';
    compact = compact.slice(2);
  } else if (country !== undefined && country !== null) {
    const cc = countryCode(country);
    if (cc !== null) prefix = COUNTRY_PREFIX.get(cc) ?? cc;
  }
  if (prefix === null) return null;

  if (prefix === 'CH') compact = compact.replace(CH_SUFFIX_RE, '');
  if (prefix === 'NO') compact = compact.replace(NO_SUFFIX_RE, '');
  const fmt = VAT_FORMATS.get(prefix);
  const isoCountry = PREFIX_COUNTRY.get(prefix) ?? prefix;
  if (fmt === undefined) return { value: prefix + compact, country: isoCountry, valid: false };
  const body = fmt.normalize ? fmt.normalize(compact) : compact;
  const valid = fmt.pattern.test(body) && (fmt.check === undefined || fmt.check(body));
  return { value: prefix + body, country: isoCountry, valid };
}

/**
 * Normalizes a D-U-N-S number to its 9 digits (dashes, spaces and a "DUNS"
 * label removed). An 8-digit value is taken as a D-U-N-S number whose
 * leading zero was lost to numeric storage and is zero-padded (D-U-N-S
 * numbers are 9 digits and many start with 0). A 13-digit "D-U-N-S Plus 4"
 * keeps its first 9 digits. Anything else, and all zeros, is `null`.
 * D-U-N-S numbers carry no check digit.
 *
 * @example
 * ```ts
 * duns('15-048-3782')     // '150483782'
 * duns('DUNS 15 048 3782')// '150483782'
 * duns(12345678)          // '012345678'
 * duns('1234567')         // null
 * ```
 */
export function duns(value: Raw): string | null {
  const text = toText(value);
  if (text === null) return null;
  const s = foldDiacritics(text).toUpperCase().replace(/^D\s*-?\s*U\s*-?\s*N\s*-?\s*S\s*(?:NO|NR|NUMBER|#)?\.?:?/, '');
  if (/[A-Z]/.test(s)) return null;
  let digits = s.replace(NON_DIGIT_RE, '');
  if (digits.length === 8) digits = `0${digits}`;
  else if (digits.length === 13) digits = digits.slice(0, 9);
  if (digits.length !== 9 || /^0+$/.test(digits)) return null;
  return digits;
}

/**
 * The GS1 mod-10 check digit for a key body (the digits without the check
 * digit): weights 3,1,3,1,... from the right. `null` if the body is empty or
 * not all digits.
 *
 * @example
 * ```ts
 * checkDigitGs1('400638133393')   // 1  (EAN-13 4006381333931)
 * checkDigitGs1('7351353')        // 7  (EAN-8 73513537)
 * checkDigitGs1('12a')            // null
 * ```
 */
export function checkDigitGs1(body: string): number | null {
  if (body === '' || !DIGITS_RE.test(body)) return null;
  let sum = 0;
  for (let i = body.length - 1, w = 3; i >= 0; i--, w = 4 - w) sum += (body.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

function gs1Digits(value: Raw): string | null {
  const text = toText(value);
  if (text === null) return null;
  const s = foldDiacritics(text).replace(/[\s.\-_/]/g, '');
  return DIGITS_RE.test(s) ? s : null;
}

const isCheckDigitOk = (digits: string): boolean =>
  checkDigitGs1(digits.slice(0, -1)) === digits.charCodeAt(digits.length - 1) - 48;

/**
 * Normalizes a GTIN (EAN-8, UPC-A/GTIN-12, EAN-13/GTIN-13, GTIN-14) to 14
 * digits with leading zeros, so that the same item written as UPC-A and as
 * EAN-13 compares equal, and checks the GS1 check digit. Spaces, dots and
 * dashes are removed; other characters or other lengths give `null`.
 *
 * @example
 * ```ts
 * gtin('4006381333931')     // { value: '04006381333931', valid: true }
 * gtin('036000291452')      // { value: '00036000291452', valid: true }
 * gtin('7351-3537')         // { value: '00000073513537', valid: true }
 * gtin('4006381333932')     // { value: '04006381333932', valid: false }
 * gtin('12345')             // null
 * ```
 */
export function gtin(value: Raw): Gs1Key | null {
  const digits = gs1Digits(value);
  if (digits === null) return null;
  const n = digits.length;
  if (n !== 8 && n !== 12 && n !== 13 && n !== 14) return null;
  const padded = digits.padStart(14, '0');
  if (/^0+$/.test(padded)) return null;
  return { value: padded, valid: isCheckDigitOk(padded) };
}

/**
 * Normalizes a GLN (Global Location Number, 13 digits) and checks its GS1
 * check digit. Spaces, dots and dashes are removed; other characters or
 * other lengths give `null`.
 *
 * @example
 * ```ts
 * gln('4000001000005')       // { value: '4000001000005', valid: true }
 * gln('40 00001 00000 6')    // { value: '4000001000006', valid: false }
 * gln('400000100000')        // null
 * ```
 */
export function gln(value: Raw): Gs1Key | null {
  const digits = gs1Digits(value);
  if (digits === null || digits.length !== 13 || /^0+$/.test(digits)) return null;
  return { value: digits, valid: isCheckDigitOk(digits) };
}
