/*
 * Model numbers in free text: the alphanumeric codes ("KDL-52XBR6", "PMP-200-X", "WD5000AAKS")
 * that identify a product far better than its descriptive words.
 */

import { fold } from '../standardize';

/** Quantities with a unit ("52in", "1.5kw", "500gb", "2009") are not model numbers. */
const MEASURE_RE =
  /^\d+(?:[.,]\d+)?(?:in|inch|inches|mm|cm|m|km|kg|g|lb|lbs|oz|ft|gb|mb|tb|kb|ghz|mhz|hz|w|kw|v|a|mah|mp|x|ml|l|pc|pcs|pk|pack|hr|hrs|h|min|s|bit|p|k|rpm|db|dpi|ppm)$/;
const YEAR_RE = /^(?:19|20)\d\d$/;
/** Ordinals ("4th", "2nd", "21st") describe a generation, not a model. */
const ORDINAL_RE = /^\d+(?:st|nd|rd|th)$/;
/** A count and a word ("2-line", "24port", "5disc"): a quantity, not a model number. */
const COUNT_WORD_RE = /^\d{1,2}[a-z]{3,}$/;
/** Fractions and ratios ("22-1/2", "10/100") and versions ("v11.1", "7.2"). */
const FRACTION_RE = /^\d+(?:[-/]\d+)*\/\d+$/;
const VERSION_RE = /^v?\d+(?:\.\d+)+$/;
const HAS_DIGIT_RE = /\d/;
const HAS_LETTER_RE = /[a-z]/;

function isCode(token: string, minLength: number): boolean {
  if (token.length < minLength || !HAS_DIGIT_RE.test(token)) return false;
  if (MEASURE_RE.test(token) || YEAR_RE.test(token) || ORDINAL_RE.test(token)) return false;
  return HAS_LETTER_RE.test(token) || token.length >= 4;
}

/**
 * Model-number candidates of a text: each whitespace-separated chunk with its separators removed
 * (`kdl52xbr6`), plus the parts of a chunk that mix letters and digits (`52xbr6`), when they
 * contain a digit and are not a quantity, a year or a short number. Sorted and distinct.
 *
 * @example
 * ```ts
 * modelNumbers('Sony Bravia KDL-52XBR6 52" LCD') // ['52xbr6', 'kdl52xbr6']
 * modelNumbers('Pump PMP-200-X, 1.5 kW')          // ['pmp200x']
 * ```
 */
export function modelNumbers(text: string | null | undefined): string[] {
  if (!text) return [];
  const out = new Set<string>();
  for (const chunk of fold(text).split(/[\s,;()[\]{}"'|+]+/)) {
    if (FRACTION_RE.test(chunk) || VERSION_RE.test(chunk)) continue;
    const joined = chunk.replace(/[^a-z0-9]/g, '');
    if (COUNT_WORD_RE.test(joined)) continue;
    if (isCode(joined, 3)) out.add(joined);
    const parts = chunk.split(/[^a-z0-9]+/).filter((p) => p.length > 0);
    if (parts.length > 1) {
      for (const part of parts) if (HAS_LETTER_RE.test(part) && isCode(part, 4)) out.add(part);
    }
  }
  return [...out].sort();
}

/** The letters after a code's last digit: a colour, region or finish ("bk", "wh", "ss", "xtps"). */
const LETTER_SUFFIX_RE = /(?<=\d)[a-z]+$/;

/**
 * Model-number stems: each code cut after its last digit, when the rest is a plausible model
 * number (at least 5 characters, 2 digits and a letter). Catalogs append colour, finish or region
 * letters to one model ("NN-SN667BK" / "NNSN667B", "DU1100SS" / "DU1100XTPS"); the stem is what
 * they share. Variants that differ only there share a stem too, so a stem in common is weaker
 * evidence than the same code. Sorted and distinct.
 *
 * @example
 * ```ts
 * modelStems(['nnsn667bk', 'du1100', 'kx'])  // ['du1100', 'nnsn667']
 * modelStems(['dscw150b'])                   // ['dscw150']
 * ```
 */
export function modelStems(codes: readonly string[] | null | undefined): string[] {
  const out = new Set<string>();
  for (const code of codes ?? []) {
    const stem = code.replace(LETTER_SUFFIX_RE, '');
    if (stem.length < 5 || !HAS_LETTER_RE.test(stem)) continue;
    if ((stem.match(/\d/g) ?? []).length < 2) continue;
    out.add(stem);
  }
  return [...out].sort();
}

/** Units of sizes and ratings in product names, by canonical unit. */
const UNIT_OF: Readonly<Record<string, string>> = {
  tb: 'tb', gb: 'gb', mb: 'mb', kb: 'kb',
  ghz: 'ghz', mhz: 'mhz', khz: 'khz', hz: 'hz',
  kw: 'kw', w: 'w', watt: 'w', watts: 'w',
  v: 'v', volt: 'v', volts: 'v', mah: 'mah',
  mp: 'mp', megapixel: 'mp', megapixels: 'mp',
  mm: 'mm', cm: 'cm', in: 'in', inch: 'in', inches: 'in', '"': 'in',
  kg: 'kg', lb: 'lb', lbs: 'lb', oz: 'oz', ml: 'ml', qt: 'qt', cup: 'cup', cups: 'cup',
  rpm: 'rpm', dpi: 'dpi', ppm: 'ppm',
};
const MEASURE_IN_TEXT_RE = new RegExp(
  `(?<![a-z0-9.,])(\\d+(?:[.,]\\d+)?)\\s?(${Object.keys(UNIT_OF).sort((a, b) => b.length - a.length).join('|')})(?![a-z0-9])`,
  'g',
);

/**
 * Sizes and ratings a text states, as `unit:value` ("16GB" -> 'gb:16', '52"' -> 'in:52',
 * "1,5 kW" -> 'kw:1.5'), sorted and distinct. One model line comes in sizes (a 16 GB and an 8 GB
 * flash drive, a 46" and a 52" TV): the same unit with different values is a different product.
 *
 * @example
 * ```ts
 * measures('Transcend JetFlash V10 16GB USB Flash Drive') // ['gb:16']
 * measures('Inverter 1,5 kW 400 V')                       // ['kw:1.5', 'v:400']
 * ```
 */
export function measures(text: string | null | undefined): string[] {
  if (!text) return [];
  const out = new Set<string>();
  for (const m of fold(text).matchAll(MEASURE_IN_TEXT_RE)) {
    const value = m[1].replace(',', '.').replace(/\.0+$/, '').replace(/^0+(?=\d)/, '');
    out.add(`${UNIT_OF[m[2]]}:${value}`);
  }
  return [...out].sort();
}

/**
 * The units of `measures` ('gb:16' -> 'gb'), sorted and distinct.
 *
 * @example
 * ```ts
 * measureUnits(['gb:16', 'gb:8', 'in:52']) // ['gb', 'in']
 * ```
 */
export function measureUnits(list: readonly string[] | null | undefined): string[] {
  return [...new Set((list ?? []).map((m) => m.slice(0, m.indexOf(':'))))].sort();
}
