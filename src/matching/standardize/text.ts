/**
 * Shared text helpers for the standardizers: diacritic folding, case folding,
 * whitespace and punctuation clean-up, tokenization.
 *
 * All functions are pure and allocation-light; every regular expression and
 * lookup table is built once at module load.
 *
 * ## Canonical folding of German umlauts
 *
 * Source systems write the same German name three ways: "Müller" (proper
 * spelling), "Mueller" (the official transliteration used whenever a system
 * or keyboard cannot store umlauts: DIN 5007-2, passports, ICAO 9303) and
 * "Muller" (the umlaut dots simply lost on the way).
 *
 * The canonical folding {@link fold} maps ä/ö/ü to ae/oe/ue (and ß to ss).
 * This makes "Müller" and "Mueller" *identical* ("mueller") and leaves
 * "Muller" one edit away ("muller" vs "mueller"), which every fuzzy comparator
 * and the phonetic codes (both give `MLR`) absorb. The alternative (ü -> u)
 * would instead make "Müller" equal to "Muller" and leave "Mueller" one edit
 * away. Expanding is preferred because "Mueller" is what systems deliberately
 * produce (and therefore the more frequent variant in ERP/CRM data), while
 * "Muller" is what they produce by accident. Folding "ue" back to "u" is not
 * an option: it would corrupt ordinary words ("Manuel", "Samuel", "Quelle").
 * Other diacritics (é, ñ, å, č, ...) fold to the base letter in both variants.
 *
 * @module
 */

/** A raw attribute value as it arrives from a source record. */
export type Raw = string | number | null | undefined;

/** Options of {@link foldDiacritics}. */
export interface FoldOptions {
  /**
   * Map the German umlauts ä/ö/ü (and Ä/Ö/Ü) to ae/oe/ue instead of a/o/u.
   * Default `false`.
   */
  germanUmlauts?: boolean;
}

/** Letters that Unicode decomposition does not reduce to a base letter. */
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  'ß': 'ss', 'ẞ': 'SS',
  'æ': 'ae', 'Æ': 'AE',
  'ø': 'o', 'Ø': 'O',
  'ł': 'l', 'Ł': 'L',
  'đ': 'd', 'Đ': 'D',
  'ð': 'd', 'Ð': 'D',
  'œ': 'oe', 'Œ': 'OE',
  'þ': 'th', 'Þ': 'TH',
  'ı': 'i',
  'ħ': 'h', 'Ħ': 'H',
  'ŀ': 'l', 'Ŀ': 'L',
  'ŧ': 't', 'Ŧ': 'T',
  'ƒ': 'f',
};
const SPECIAL_RE = /[ßẞæÆøØłŁđĐðÐœŒþÞıħĦŀĿŧŦƒ]/g;
const specialReplacer = (c: string): string => SPECIAL_LETTERS[c] ?? c;

/**
 * Combining marks of the Latin/Greek/Cyrillic diacritic blocks. Marks of other
 * scripts (e.g. the Japanese voicing marks U+3099/U+309A, Indic vowel signs)
 * are deliberately kept: removing them would change the word.
 */
const COMBINING_RE = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
/** a/o/u followed by a combining diaeresis, after NFKD. */
const UMLAUT_RE = /([aouAOU])\u0308/g;
const NON_ASCII_RE = /[^\x00-\x7f]/;
/** Anything beyond Latin after folding: recompose (kana, hangul, ...). */
const NEEDS_NFC_RE = /[^\x00-\u036f]/;

/**
 * Folds diacritics: compatibility decomposition (NFKD, which also turns
 * full-width Latin letters and ligatures into plain ones), removal of Latin
 * combining marks, and the letters that do not decompose (ß->ss, æ->ae,
 * ø->o, ł->l, đ->d, œ->oe, þ->th, ...). Case is preserved.
 *
 * By default umlauts fold to the base letter (ü->u); pass
 * `{ germanUmlauts: true }` for ä/ö/ü -> ae/oe/ue (see the module notes and
 * {@link fold}, which uses that variant).
 *
 * @example
 * ```ts
 * foldDiacritics('Müller Łódź Ærø')                      // 'Muller Lodz AEro'
 * foldDiacritics('Müller', { germanUmlauts: true })      // 'Mueller'
 * foldDiacritics('Straße')                               // 'Strasse'
 * ```
 */
export function foldDiacritics(value: string, options?: FoldOptions): string {
  if (!NON_ASCII_RE.test(value)) return value;
  let s = value.replace(SPECIAL_RE, specialReplacer).normalize('NFKD');
  if (options?.germanUmlauts) s = s.replace(UMLAUT_RE, '$1e');
  s = s.replace(COMBINING_RE, '');
  return NEEDS_NFC_RE.test(s) ? s.normalize('NFC') : s;
}

/**
 * The canonical case and diacritic folding used by every standardizer:
 * German umlauts expanded (ä->ae, ö->oe, ü->ue), other diacritics removed,
 * lowercased. "Müller" and "Mueller" fold identically; "Muller" is one edit
 * away.
 *
 * @example
 * ```ts
 * fold('Müller')   // 'mueller'
 * fold('MUELLER')  // 'mueller'
 * fold('Muller')   // 'muller'
 * fold('Ålesund')  // 'alesund'
 * ```
 */
export function fold(value: string): string {
  return foldDiacritics(value, { germanUmlauts: true }).toLowerCase();
}

const WHITESPACE_RE = /\s+/g;

/**
 * Collapses runs of whitespace (including non-breaking and ideographic
 * spaces) into one ASCII space and trims both ends.
 *
 * @example
 * ```ts
 * collapseWhitespace('  Acme \u00a0  Corp\t')  // 'Acme Corp'
 * ```
 */
export function collapseWhitespace(value: string): string {
  return value.replace(WHITESPACE_RE, ' ').trim();
}

const APOSTROPHE_RE = /['\u2018\u2019\u201b\u0060\u00b4\u02bc\u02b9]/g;
const PUNCT_RE = /[^\p{L}\p{N}\p{M}\s]+/gu;

/**
 * Removes punctuation and symbols: apostrophes are deleted (so "O'Brien"
 * becomes "OBrien" and "Int'l" becomes "Intl"), every other character that is
 * not a letter, digit, mark or whitespace becomes a space. Whitespace is then
 * collapsed.
 *
 * @example
 * ```ts
 * stripPunctuation("O'Brien & Sons, Inc.")  // 'OBrien Sons Inc'
 * stripPunctuation('Hans-Peter')            // 'Hans Peter'
 * ```
 */
export function stripPunctuation(value: string): string {
  return collapseWhitespace(value.replace(APOSTROPHE_RE, '').replace(PUNCT_RE, ' '));
}

/**
 * Full text normalization: canonical {@link fold}, punctuation stripped,
 * whitespace collapsed.
 *
 * @example
 * ```ts
 * normalizeText('  Müller-Lüdenscheidt, Dr. ')  // 'mueller luedenscheidt dr'
 * ```
 */
export function normalizeText(value: string): string {
  return stripPunctuation(fold(value));
}

/**
 * Splits a value into normalized tokens ({@link normalizeText}, then split on
 * spaces). Returns an empty array when nothing is left.
 *
 * @example
 * ```ts
 * tokenize('Gebr. Müller & Söhne')  // ['gebr', 'mueller', 'soehne']
 * tokenize(' -- ')                  // []
 * ```
 */
export function tokenize(value: string): string[] {
  const s = normalizeText(value);
  return s === '' ? [] : s.split(' ');
}

/**
 * Turns a raw attribute value into a trimmed string, or `null` when it is
 * missing, not a string/finite number, or blank.
 *
 * @example
 * ```ts
 * toText('  abc ')  // 'abc'
 * toText(1067)      // '1067'
 * toText('   ')     // null
 * toText(null)      // null
 * ```
 */
export function toText(value: Raw): string | null {
  if (typeof value === 'string') {
    const t = value.trim();
    return t === '' ? null : t;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
