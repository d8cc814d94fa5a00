/**
 * Serial numbers and part numbers.
 *
 * Serial numbers are read off type plates by people and OCR, so besides the
 * normalized value each one gets an `ocrKey` in which characters that are
 * commonly confused are mapped to one representative:
 *
 * | group        | key |
 * |--------------|-----|
 * | 0 O D Q      | 0   |
 * | 1 I L        | 1   |
 * | 2 Z          | 2   |
 * | 5 S          | 5   |
 * | 6 G          | 6   |
 * | 8 B          | 8   |
 *
 * so "SN-0O1B" and "5N-DOIB" collide. The key is for blocking and candidate
 * comparison, never for display.
 *
 * Part numbers keep every character that distinguishes products in
 * `normalized` ("PMP-200" and "PMP-200-X" are different products and stay
 * different); `skeleton` is a looser blocking key.
 *
 * @module
 */
import { foldDiacritics, toText, type Raw } from './text';

/** A normalized serial number. */
export interface SerialNumber {
  /** Uppercase, separators and label prefixes removed, e.g. `'AB12345'`. */
  normalized: string;
  /** `normalized` with OCR-confusable characters folded, e.g. `'A812345'`. */
  ocrKey: string;
}

/** A normalized part number. */
export interface PartNumber {
  /** Uppercase, separators removed; variant suffixes kept (`'PMP200X'`). */
  normalized: string;
  /** Alphanumerics only, OCR-folded, leading zeros trimmed: a loose blocking key. */
  skeleton: string;
}

/** OCR fold table over ASCII codes; built once. */
const OCR_TABLE: readonly string[] = (() => {
  const t: string[] = [];
  for (let c = 0; c < 128; c++) t.push(String.fromCharCode(c));
  const groups: ReadonlyArray<readonly [string, string]> = [
    ['0', 'ODQ'], ['1', 'IL'], ['2', 'Z'], ['5', 'S'], ['6', 'G'], ['8', 'B'],
  ];
  for (const [rep, chars] of groups) for (const ch of chars) t[ch.charCodeAt(0)] = rep;
  return t;
})();

/**
 * Maps OCR-confusable characters of an uppercase string to one
 * representative (0/O/D/Q->0, 1/I/L->1, 2/Z->2, 5/S->5, 6/G->6, 8/B->8).
 * Other characters are kept.
 *
 * @example
 * ```ts
 * ocrFold('SN0O1B')   // '5N0018'
 * ocrFold('D0Q')      // '000'
 * ```
 */
export function ocrFold(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    out += c < 128 ? OCR_TABLE[c] : value[i];
  }
  return out;
}

const SEPARATORS_RE = /[\s\-_./\\:#]+/g;
const NON_ALNUM_RE = /[^\p{L}\p{N}]+/gu;
const LEADING_ZEROS_RE = /^0+(?=.)/;
/**
 * Label prefixes in front of a serial number. Each alternative is followed
 * either by a separator or (for the unambiguous labels) directly by a digit;
 * "NO"/"NR"/"NUM" need a separator so that serials such as "NOX123" survive.
 */
const SERIAL_LABEL_RE =
  /^(?:(?:SERIAL\s*(?:NUMBER|NO|NR|NUM)?|SER(?:\s*(?:NO|NR))?|S\/N|SN|SNR|SERIENNUMMER|SERIENNR|FABRIKNUMMER|FABRIKNR|FNR)(?:[\s.:#\-_/]+|(?=\d))|(?:NO|NR|NUM|NUMBER)[\s.:#\-_/]+|#\s*)/;

/**
 * Values used as "no serial number" placeholders (compared after separators
 * are removed), plus any value made only of zeros.
 */
const PLACEHOLDERS: ReadonlySet<string> = new Set([
  'SN', 'SERIAL', 'SERIALNUMBER', 'SERIALNO', 'SER', 'NO', 'NR', 'NA', 'NONE', 'NIL', 'NULL', 'UNKNOWN', 'UNBEKANNT',
  'TBD', 'TBA', 'XXX', 'XXXX', 'XXXXX', 'XXXXXX', 'OHNE', 'KEINE',
]);
const ALL_ZEROS_RE = /^0+$/;

/** Uppercase, NFKD-folded ("Ø" slashed zero becomes "O"), trimmed. */
function prepare(value: Raw): string | null {
  const text = toText(value);
  if (text === null) return null;
  return foldDiacritics(text).toUpperCase().trim();
}

function stripLabels(s: string): string {
  let cur = s;
  for (let i = 0; i < 3; i++) {
    const m = SERIAL_LABEL_RE.exec(cur);
    if (!m || m[0].length >= cur.length) break;
    cur = cur.slice(m[0].length);
  }
  return cur;
}

/**
 * Normalizes a serial number: uppercase, labels at the start removed ("SN",
 * "S/N", "SER", "Serial No.", "No.", "#", "Seriennummer"), separators
 * (space, -, _, ., /, \, :, #) removed, and every other non-alphanumeric
 * character dropped. Returns `null` if nothing is left or the value is a
 * placeholder ("N/A", "unknown", "TBD", "XXX", "S/N" alone, all zeros).
 *
 * A label glued to the number is only removed for the unambiguous labels
 * followed by a digit ("SN12345" -> "12345"); "NO"/"NR" need a separator.
 *
 * @example
 * ```ts
 * serialNumber('S/N: ab-123.45')  // { normalized: 'AB12345', ocrKey: 'A812345' }
 * serialNumber('SN 0O12-IL5')     // { normalized: '0O12IL5', ocrKey: '0012115' }
 * serialNumber('Serial No. 4711') // { normalized: '4711', ocrKey: '4711' }
 * ```
 */
export function serialNumber(value: Raw): SerialNumber | null {
  const s = prepare(value);
  if (s === null) return null;
  const normalized = stripLabels(s).replace(SEPARATORS_RE, '').replace(NON_ALNUM_RE, '');
  if (normalized === '' || PLACEHOLDERS.has(normalized) || ALL_ZEROS_RE.test(normalized)) return null;
  return { normalized, ocrKey: ocrFold(normalized) };
}

/**
 * Like {@link serialNumber}, with leading zeros removed from both keys, for
 * sources that store serials as numbers or pad them ("000123" vs "123").
 * In the `ocrKey` the leading characters that fold to 0 (O, D, Q) are
 * removed as well.
 *
 * @example
 * ```ts
 * serialNumberWithoutLeadingZeros('000123')   // { normalized: '123', ocrKey: '123' }
 * serialNumberWithoutLeadingZeros('O0123')    // { normalized: 'O0123', ocrKey: '123' }
 * ```
 */
export function serialNumberWithoutLeadingZeros(value: Raw): SerialNumber | null {
  const r = serialNumber(value);
  if (r === null) return null;
  return {
    normalized: r.normalized.replace(LEADING_ZEROS_RE, ''),
    ocrKey: r.ocrKey.replace(LEADING_ZEROS_RE, ''),
  };
}

/** Labels in front of a part number; bare "PN"/"Part" need a space, colon or "#" after them. */
const PART_LABEL_RE =
  /^(?:P\/N[\s.:#\-_/]*|PART[\s.\-]*(?:NUMBER|NO|NR)[\s.:#\-_/]*|(?:PN|PART)[\s:#]+|(?:ART(?:IKEL)?|MAT(?:ERIAL)?)[\s.\-]*(?:NR|NO|NUMMER)[\s.:#\-_/]*)/;
const PART_SEPARATORS_RE = /[\s\-_./\\]+/g;

/**
 * Normalizes a part (material, article) number: uppercase, a label at the
 * start ("P/N", "PN", "Part No.", "Art.-Nr.", "Mat.-Nr.") removed, separators
 * (space, -, _, ., /, \) removed. Other characters ("+", "#", "*") are kept
 * in `normalized` since they can distinguish variants. `skeleton` keeps only
 * letters and digits, OCR-folds them and trims leading zeros. Returns `null`
 * if nothing alphanumeric is left.
 *
 * @example
 * ```ts
 * partNumber('PMP-200')     // { normalized: 'PMP200',  skeleton: 'PMP200' }
 * partNumber('PMP-200-X')   // { normalized: 'PMP200X', skeleton: 'PMP200X' }
 * partNumber('0815-ABC')    // { normalized: '0815ABC', skeleton: '815A8C' }
 * ```
 */
export function partNumber(value: Raw): PartNumber | null {
  const s = prepare(value);
  if (s === null) return null;
  const m = PART_LABEL_RE.exec(s);
  const body = m && m[0].length < s.length ? s.slice(m[0].length) : s;
  const normalized = body.replace(PART_SEPARATORS_RE, '');
  const alnum = normalized.replace(NON_ALNUM_RE, '');
  if (alnum === '') return null;
  return { normalized, skeleton: ocrFold(alnum).replace(LEADING_ZEROS_RE, '') };
}
