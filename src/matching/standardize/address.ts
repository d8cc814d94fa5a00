/**
 * Address standardization: street names (abbreviations expanded per
 * language), house numbers extracted from the street line, postal codes in
 * a per-country canonical form, and a coarse postal area for blocking.
 *
 * Street pipeline:
 * 1. canonical {@link fold} (so "Straße" -> "strasse", "Müller" -> "mueller");
 * 2. dotted Italian abbreviations ("V.le", "P.za", "C.so") and the Spanish
 *    "C/" are expanded;
 * 3. a house number at the end ("Industriestr. 12a", "Via Roma, 5",
 *    "ul. Długa 5/7") or, for English/French addresses, at the start
 *    ("12 Main St", "12 bis rue ...") is cut off and normalized;
 * 4. the language of the street is detected from its type word (rue, via,
 *    calle, ul., straat, street, ...) or, failing that, taken from the
 *    country, or assumed English for a number-first line without other
 *    clues; it decides ambiguous abbreviations: "Str." is "strasse" in
 *    German but "straat" in Dutch, "Pl." is "platz", "place", "plac" or
 *    "plein", "St" is "street" in English but "saint" in French;
 * 5. German and Dutch street-type words are joined to the preceding word,
 *    because both spellings occur for the same street: "Hauptstr.",
 *    "Haupt-Straße" and "Haupt Strasse" all become "hauptstrasse";
 *    "Karl-Marx-Str." becomes "karl marxstrasse".
 *
 * The Polish "ul."/"ulica" is dropped: it is routinely omitted in practice
 * ("ul. Długa 5" and "Długa 5" are the same street).
 *
 * @module
 */
import { countryCode } from './country';
import { fold, foldDiacritics, stripPunctuation, toText, type Raw } from './text';

/** A street line split into street name and house number. */
export interface StreetAddress {
  /** Normalized street name (lowercase, abbreviations expanded); `''` if the line was only a number. */
  street: string;
  /** Normalized house number ("12a", "12-14", "5/7"), or `null` if none was found. */
  houseNumber: string | null;
}

/** Options of {@link streetAddress}. */
export interface StreetOptions {
  /** Country of the address (any form {@link countryCode} accepts); resolves ambiguous abbreviations. */
  country?: Raw;
  /** A separately stored house number; it takes precedence over one found in the street line. */
  houseNumber?: Raw;
}

/** A normalized postal code. */
export interface PostalCode {
  /** Canonical code used for comparison (for US ZIP+4 the 5-digit ZIP). */
  postalCode: string;
  /** Full canonical form (for US ZIP+4 "12345-6789"; otherwise equal to `postalCode`). */
  full: string;
  /** Whether the code has the format of its country (any 3-10 alphanumerics when the country is unknown). */
  valid: boolean;
}

type Lang = 'de' | 'en' | 'fr' | 'it' | 'nl' | 'pl' | 'es';

const LANG_BY_COUNTRY: ReadonlyMap<string, Lang> = new Map<string, Lang>([
  ['DE', 'de'], ['AT', 'de'], ['CH', 'de'], ['LI', 'de'],
  ['US', 'en'], ['GB', 'en'], ['IE', 'en'], ['CA', 'en'], ['AU', 'en'], ['NZ', 'en'], ['IN', 'en'], ['SG', 'en'],
  ['ZA', 'en'],
  ['FR', 'fr'], ['MC', 'fr'], ['LU', 'fr'],
  ['IT', 'it'], ['SM', 'it'], ['VA', 'it'],
  ['NL', 'nl'], ['BE', 'nl'],
  ['PL', 'pl'],
  ['ES', 'es'], ['MX', 'es'], ['AR', 'es'], ['CL', 'es'], ['CO', 'es'], ['PE', 'es'],
]);

/** Street-type words that identify the language of a street. */
const LANG_MARKERS: ReadonlyMap<string, Lang> = new Map<string, Lang>([
  ['strasse', 'de'], ['gasse', 'de'], ['platz', 'de'], ['chaussee', 'de'], ['damm', 'de'], ['ufer', 'de'],
  ['straat', 'nl'], ['laan', 'nl'], ['gracht', 'nl'], ['plein', 'nl'], ['kade', 'nl'], ['singel', 'nl'],
  ['rue', 'fr'], ['chemin', 'fr'], ['impasse', 'fr'], ['faubourg', 'fr'], ['quai', 'fr'],
  ['via', 'it'], ['viale', 'it'], ['piazza', 'it'], ['piazzale', 'it'], ['corso', 'it'], ['vicolo', 'it'],
  ['vle', 'it'], ['pzza', 'it'], ['cso', 'it'],
  ['ul', 'pl'], ['ulica', 'pl'], ['aleja', 'pl'], ['aleje', 'pl'], ['osiedle', 'pl'], ['plac', 'pl'],
  ['calle', 'es'], ['avenida', 'es'], ['avda', 'es'], ['carretera', 'es'], ['ctra', 'es'], ['paseo', 'es'],
  ['street', 'en'], ['road', 'en'], ['rd', 'en'], ['lane', 'en'], ['ln', 'en'], ['drive', 'en'], ['blvd', 'en'],
  ['highway', 'en'], ['hwy', 'en'], ['parkway', 'en'], ['pkwy', 'en'], ['ave', 'en'], ['court', 'en'],
  ['suite', 'en'], ['crescent', 'en'],
]);
/** Word endings that identify German or Dutch compound street names. */
const DE_ENDINGS = ['strasse', 'gasse', 'platz', 'allee'] as const;
const NL_ENDINGS = ['straat', 'laan', 'gracht', 'plein', 'kade'] as const;

/** Expansions valid in every language. `''` drops the token. */
const COMMON: ReadonlyArray<readonly [string, string]> = [
  ['strasse', 'strasse'], ['str', 'strasse'],
  ['ave', 'avenue'], ['rd', 'road'], ['blvd', 'boulevard'], ['boul', 'boulevard'], ['ln', 'lane'],
  ['ct', 'court'], ['hwy', 'highway'], ['pkwy', 'parkway'], ['pky', 'parkway'], ['drv', 'drive'],
  ['sq', 'square'], ['apt', 'apartment'], ['bldg', 'building'], ['rte', 'route'], ['cres', 'crescent'],
  ['ul', ''], ['ulica', ''],
  ['vle', 'viale'], ['pzza', 'piazza'], ['cso', 'corso'], ['lgo', 'largo'],
  ['avda', 'avenida'], ['ctra', 'carretera'],
  ['fbg', 'faubourg'],
];

const BY_LANG: Readonly<Record<Lang, ReadonlyArray<readonly [string, string]>>> = {
  de: [['pl', 'platz'], ['str', 'strasse']],
  en: [
    ['st', 'street'], ['dr', 'drive'], ['pl', 'place'], ['av', 'avenue'], ['ste', 'suite'], ['cir', 'circle'],
    ['ter', 'terrace'], ['n', 'north'], ['s', 'south'], ['e', 'east'], ['w', 'west'], ['ne', 'northeast'],
    ['nw', 'northwest'], ['se', 'southeast'], ['sw', 'southwest'],
  ],
  fr: [
    ['av', 'avenue'], ['bd', 'boulevard'], ['bld', 'boulevard'], ['ch', 'chemin'], ['pl', 'place'], ['r', 'rue'],
    ['imp', 'impasse'], ['st', 'saint'], ['ste', 'sainte'], ['all', 'allee'],
  ],
  it: [['v', 'via'], ['pza', 'piazza'], ['ple', 'piazzale'], ['vlo', 'vicolo']],
  nl: [['str', 'straat'], ['pl', 'plein'], ['ln', 'laan']],
  pl: [['al', 'aleja'], ['pl', 'plac'], ['os', 'osiedle']],
  es: [['c', 'calle'], ['cl', 'calle'], ['av', 'avenida'], ['pza', 'plaza'], ['pl', 'plaza'], ['po', 'paseo']],
};

const COMMON_MAP: ReadonlyMap<string, string> = new Map(COMMON);
const LANG_MAPS: Readonly<Record<Lang, ReadonlyMap<string, string>>> = {
  de: new Map([...COMMON, ...BY_LANG.de]),
  en: new Map([...COMMON, ...BY_LANG.en]),
  fr: new Map([...COMMON, ...BY_LANG.fr]),
  it: new Map([...COMMON, ...BY_LANG.it]),
  nl: new Map([...COMMON, ...BY_LANG.nl]),
  pl: new Map([...COMMON, ...BY_LANG.pl]),
  es: new Map([...COMMON, ...BY_LANG.es]),
};

/** Street-type words joined to the preceding word in German and Dutch. */
const JOIN_SUFFIXES: Readonly<Record<'de' | 'nl', ReadonlySet<string>>> = {
  de: new Set(['strasse', 'weg', 'platz', 'allee', 'ring', 'gasse', 'damm', 'ufer', 'chaussee', 'steig', 'pfad']),
  nl: new Set(['straat', 'weg', 'laan', 'plein', 'gracht', 'kade', 'singel', 'dijk']),
};
/** Words after which a street-type word stays separate ("Am Ring", "Auf dem Weg"). */
const NO_JOIN_BEFORE: ReadonlySet<string> = new Set([
  'am', 'an', 'auf', 'im', 'in', 'zum', 'zur', 'der', 'die', 'das', 'dem', 'den', 'des', 'unter', 'ober', 'hinter',
  'vor', 'bei', 'beim', 'op', 'de', 'het', 'van', 'aan', 't',
]);

/** Dotted Italian abbreviations and the Spanish "C/" (on the folded string). */
const DOTTED_ABBREVIATIONS: ReadonlyArray<readonly [RegExp, string]> = [
  [/(^|[\s,])v\.\s?le(?=[\s.,]|$)\.?/g, '$1viale '],
  [/(^|[\s,])p\.\s?zz?a(?=[\s.,]|$)\.?/g, '$1piazza '],
  [/(^|[\s,])p\.\s?le(?=[\s.,]|$)\.?/g, '$1piazzale '],
  [/(^|[\s,])c\.\s?so(?=[\s.,]|$)\.?/g, '$1corso '],
  [/(^|[\s,])l\.\s?go(?=[\s.,]|$)\.?/g, '$1largo '],
  [/(^|[\s,])v\.\s?lo(?=[\s.,]|$)\.?/g, '$1vicolo '],
  [/(^|[\s,])c\/\s*/g, '$1calle '],
];
const HAS_DOTTED_ABBREVIATION_RE = /[vpcl]\.|c\//;

/** House number: digits, optional letter or bis/ter, optional range or part "12-14", "5/7", "5/b". */
const HN = String.raw`\d+(?:\s?(?:bis|ter|quater)(?![a-z])|\s?[a-z](?![a-z\d]))?(?:\s?[-/]\s?(?:\d+(?:\s?[a-z](?![a-z\d]))?|[a-z](?![a-z\d])))?`;
const LEAD_HN = String.raw`\d+(?:\s?(?:bis|ter|quater)(?![a-z])|[a-z](?![a-z\d]))?(?:[-/]\d+[a-z]?(?![a-z\d]))?`;
const LABEL = String.raw`(?:(?:nr|no|num|n)\.?\s*|n°\s*|#\s*)?`;
/** Number at the end: "industriestrasse 12a", "via roma, 5", "hauptstr.12", "via roma n. 5". */
const TRAILING_RE = new RegExp(String.raw`^(.*?)[\s,]*(?<![a-z])${LABEL}(?<![\p{L}\p{N}])(${HN})\s*\.?$`, 'u');
/** Number at the start: "12 main st", "12-14 rue ...", "12 bis rue ...". */
const LEADING_RE = new RegExp(String.raw`^${LABEL}(${LEAD_HN})(?:\s*,\s*|\s+)(?=\p{L})(.+)$`, 'u');
/** A street "name" that is really a road number ("Route 66", "Highway 1"): keep the number. */
const ROAD_NUMBER_RE = /(?:^|\s)(?:route|rte|highway|hwy|interstate|state road|county road|autobahn|bundesstrasse|strada statale|ss|sr|us|a|b|m|n)\s*$/;
/** A trailing number after a unit word is a suite/apartment number, not the house number. */
const UNIT_BEFORE_RE = /(?:^|\s)(?:ste|suite|apt|apartment|unit|fl|floor|rm|room|bldg|building|dept|box|stock|og|etage|top|stiege)\.?\s*#?$/;
const WS_RE = /\s+/g;
const HAS_LETTER_RE = /\p{L}/u;
const HAS_DIGIT_RE = /\d/;

function languageOf(tokens: readonly string[], countryLang: Lang | null): Lang | null {
  for (const t of tokens) {
    const m = LANG_MARKERS.get(t);
    if (m !== undefined) return m;
  }
  for (const t of tokens) {
    if (t.length > 6) {
      for (const e of DE_ENDINGS) if (t.endsWith(e)) return 'de';
      for (const e of NL_ENDINGS) if (t.endsWith(e)) return 'nl';
    }
  }
  if (countryLang !== null) return countryLang;
  if (tokens.length > 1 && tokens[tokens.length - 1] === 'st') return 'en';
  return null;
}

interface Cut {
  street: string;
  number: string | null;
  leading: boolean;
}

function cutNumber(s: string, leadingFirst: boolean): Cut {
  const tryTrailing = (): Cut | null => {
    const m = TRAILING_RE.exec(s);
    if (!m) return null;
    if (m[1] !== '' && (ROAD_NUMBER_RE.test(m[1]) || UNIT_BEFORE_RE.test(m[1]))) return null;
    return { street: m[1], number: m[2], leading: false };
  };
  const tryLeading = (): Cut | null => {
    const m = LEADING_RE.exec(s);
    return m ? { street: m[2], number: m[1], leading: true } : null;
  };
  const r = leadingFirst ? (tryLeading() ?? tryTrailing()) : (tryTrailing() ?? tryLeading());
  return r ?? { street: s, number: null, leading: false };
}

function normalizeTokens(tokens: string[], lang: Lang | null): string[] {
  const map = lang === null ? COMMON_MAP : LANG_MAPS[lang];
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let t = tokens[i];
    if (lang === 'en' && i === 0 && t === 'st' && tokens.length > 1) {
      t = 'saint';
    } else {
      const mapped = map.get(t);
      if (mapped !== undefined) {
        t = mapped;
      } else if (t.length > 4 && t.endsWith('str') && lang !== 'en' && lang !== 'fr' && lang !== 'it' && lang !== 'es') {
        t = t.slice(0, -3) + (lang === 'nl' ? 'straat' : 'strasse');
      }
    }
    if (t !== '') out.push(t);
  }
  const joinLang = lang === 'nl' ? 'nl' : lang === 'de' || lang === null ? 'de' : null;
  if (joinLang === null) return out;
  const suffixes = JOIN_SUFFIXES[joinLang];
  const joined: string[] = [];
  for (const t of out) {
    const prev = joined.length > 0 ? joined[joined.length - 1] : null;
    if (prev !== null && suffixes.has(t) && !NO_JOIN_BEFORE.has(prev) && !HAS_DIGIT_RE.test(prev)) {
      joined[joined.length - 1] = prev + t;
    } else {
      joined.push(t);
    }
  }
  return joined;
}

/**
 * Normalizes a house number: lowercase, spaces removed, labels ("Nr.", "No.",
 * "#", "n°") dropped. Returns `null` without a digit ("s/n", "o. Nr.").
 *
 * @example
 * ```ts
 * houseNumber('12 a')      // '12a'
 * houseNumber('12 - 14')   // '12-14'
 * houseNumber('Nr. 5')     // '5'
 * houseNumber('5/7')       // '5/7'
 * houseNumber('s/n')       // null
 * ```
 */
export function houseNumber(value: Raw): string | null {
  const text = toText(value);
  if (text === null) return null;
  let s = fold(text).replace(WS_RE, '');
  s = s.replace(/^(?:nr|no|num|n°|n|#)\.?(?=\d)/, '').replace(/[^a-z0-9/-]/g, '');
  if (!HAS_DIGIT_RE.test(s)) return null;
  return s.replace(/^[-/]+|[-/]+$/g, '');
}

/**
 * Normalizes a street line and extracts a house number written inside it.
 *
 * Returns `null` when the value is missing or has neither letters nor digits.
 *
 * @example
 * ```ts
 * streetAddress('Industriestr. 12a')          // { street: 'industriestrasse', houseNumber: '12a' }
 * streetAddress('Hauptstraße 12 a')           // { street: 'hauptstrasse', houseNumber: '12a' }
 * streetAddress('12 Main St')                 // { street: 'main street', houseNumber: '12' }
 * streetAddress('Via Roma, 5')                // { street: 'via roma', houseNumber: '5' }
 * streetAddress('ul. Długa 5/7')              // { street: 'dluga', houseNumber: '5/7' }
 * streetAddress('Kalverstr. 12', { country: 'NL' })  // { street: 'kalverstraat', houseNumber: '12' }
 * ```
 */
export function streetAddress(value: Raw, options?: StreetOptions): StreetAddress | null {
  const text = toText(value);
  const separateNumber = options?.houseNumber !== undefined ? houseNumber(options.houseNumber) : null;
  if (text === null) return separateNumber === null ? null : { street: '', houseNumber: separateNumber };

  let s = fold(text);
  if (HAS_DOTTED_ABBREVIATION_RE.test(s)) {
    for (const [re, rep] of DOTTED_ABBREVIATIONS) s = s.replace(re, rep);
  }
  const cc = options?.country !== undefined ? countryCode(options.country) : null;
  const countryLang = cc === null ? null : (LANG_BY_COUNTRY.get(cc) ?? null);

  // Language hint for the number position, from the raw words.
  const roughTokens = stripPunctuation(s).split(' ');
  let lang = languageOf(roughTokens, countryLang);
  const { street: streetPart, number, leading } = cutNumber(s.trim(), lang === 'en' || lang === 'fr');
  // Number-first without any other clue: English convention ("12 N Main St").
  if (lang === null && leading) lang = 'en';

  const stripped = stripPunctuation(streetPart);
  const tokens = stripped === '' ? [] : normalizeTokens(stripped.split(' '), lang);
  const hn = separateNumber ?? (number === null ? null : number.replace(WS_RE, ''));
  if (tokens.length === 0 && hn === null) return null;
  if (tokens.length > 0 && !tokens.some((t) => HAS_LETTER_RE.test(t)) && hn === null) {
    return { street: '', houseNumber: houseNumber(tokens.join(' ')) };
  }
  return { street: tokens.join(' '), houseNumber: hn };
}

interface PostalFormat {
  pattern: RegExp;
  /** Fixed length of all-digit codes whose leading zero may have been lost. */
  pad?: number;
  /** Canonical display (e.g. inserting the space or dash). */
  display?: (code: string) => string;
  /** Number of leading characters forming the postal area, or 'outward' for the part before the space. */
  area: number | 'outward';
}

const space3 = (c: string): string => `${c.slice(0, -3)} ${c.slice(-3)}`;
const dashAt = (i: number) => (c: string): string => `${c.slice(0, i)}-${c.slice(i)}`;

const D4: PostalFormat = { pattern: /^\d{4}$/, area: 2 };
const D4PAD: PostalFormat = { pattern: /^\d{4}$/, pad: 4, area: 2 };
const D5: PostalFormat = { pattern: /^\d{5}$/, area: 2 };
const D5PAD: PostalFormat = { pattern: /^\d{5}$/, pad: 5, area: 2 };
const D6: PostalFormat = { pattern: /^\d{6}$/, area: 3 };

const POSTAL_FORMATS: ReadonlyMap<string, PostalFormat> = new Map<string, PostalFormat>([
  ['DE', D5PAD], ['FR', D5PAD], ['MC', D5PAD], ['IT', D5PAD], ['SM', D5PAD], ['VA', D5PAD], ['ES', D5PAD],
  ['FI', D5PAD], ['HR', D5], ['EE', D5], ['LT', D5], ['TR', D5PAD], ['MX', D5PAD], ['MY', D5PAD], ['TH', D5],
  ['ID', D5], ['KR', { pattern: /^\d{5}$/, pad: 5, area: 3 }], ['UA', D5PAD], ['MA', D5], ['SA', D5],
  ['CZ', D5], ['SK', D5], ['SE', D5], ['GR', D5],
  ['AT', D4], ['CH', D4], ['LI', D4], ['BE', D4], ['LU', D4], ['DK', D4], ['HU', D4], ['SI', D4], ['BG', D4],
  ['CY', D4], ['NZ', D4PAD], ['NO', D4PAD], ['AU', D4PAD], ['ZA', D4PAD], ['PH', D4],
  ['CN', D6], ['IN', D6], ['RU', D6], ['SG', D6], ['RO', D6], ['BY', D6], ['KZ', D6],
  ['NL', { pattern: /^\d{4}[A-Z]{2}$/, area: 2 }],
  ['PL', { pattern: /^\d{5}$/, display: dashAt(2), area: 2 }],
  ['PT', { pattern: /^\d{7}$/, display: dashAt(4), area: 2 }],
  ['JP', { pattern: /^\d{7}$/, display: dashAt(3), area: 3 }],
  ['BR', { pattern: /^\d{8}$/, display: dashAt(5), area: 3 }],
  ['GB', { pattern: /^(?:[A-Z]{1,2}\d[A-Z\d]?\d[A-Z]{2}|GIR0AA)$/, display: space3, area: 'outward' }],
  ['CA', { pattern: /^[A-Z]\d[A-Z]\d[A-Z]\d$/, display: space3, area: 'outward' }],
  ['IE', { pattern: /^[AC-FHKNPRTV-Y]\d[\dW][AC-FHKNPRTV-Y\d]{4}$/, display: (c) => `${c.slice(0, 3)} ${c.slice(3)}`, area: 'outward' }],
  ['US', { pattern: /^\d{5}(?:\d{4})?$/, area: 3 }],
]);
const GENERIC_RE = /^[A-Z0-9]{3,10}$/;
const NON_ALNUM_RE = /[^A-Z0-9]/g;
const LETTER_PREFIX_RE = /^[A-Z]{1,3}(?=\d)/;
const DASH_PREFIX_RE = /^[A-Z]{1,3}\s?-\s?(?=\d)/;

/**
 * Normalizes a postal code, using the country's format when the country is
 * known: uppercase, spaces/dashes removed, a national prefix ("D-80331",
 * "NL-1234 AB", "CH-8001") dropped, a leading zero lost by spreadsheet
 * software restored for fixed-length all-digit formats (DE/FR/IT/ES/US/FI...:
 * "1067" -> "01067"), and the canonical separator re-inserted where the
 * format has one: GB/CA "SW1A 1AA", IE "D02 X285", PL "00-950", PT
 * "1000-001", JP "100-0001", BR "01310-100". NL "1234 AB" -> "1234AB".
 * US ZIP+4: `postalCode` is the 5-digit ZIP and `full` is "12345-6789".
 *
 * A code that does not fit its country's format is still returned, with
 * `valid: false`. Returns `null` without any digit ("N/A", "-", "unknown").
 *
 * @example
 * ```ts
 * postalCode('80331', 'DE')        // { postalCode: '80331', full: '80331', valid: true }
 * postalCode('1067', 'DE')         // { postalCode: '01067', full: '01067', valid: true }
 * postalCode('sw1a1aa', 'GB')      // { postalCode: 'SW1A 1AA', full: 'SW1A 1AA', valid: true }
 * postalCode('1234 ab', 'NL')      // { postalCode: '1234AB', full: '1234AB', valid: true }
 * postalCode('12345-6789', 'US')   // { postalCode: '12345', full: '12345-6789', valid: true }
 * ```
 */
export function postalCode(value: Raw, country?: Raw): PostalCode | null {
  const text = toText(value);
  if (text === null) return null;
  const upper = foldDiacritics(text).toUpperCase().trim();
  if (!HAS_DIGIT_RE.test(upper)) return null;
  const cc = country === undefined || country === null ? null : countryCode(country);
  const fmt = cc === null ? undefined : POSTAL_FORMATS.get(cc);

  if (fmt === undefined) {
    const code = upper.replace(DASH_PREFIX_RE, '').replace(NON_ALNUM_RE, '');
    if (code === '') return null;
    return { postalCode: code, full: code, valid: GENERIC_RE.test(code) };
  }

  let code = upper.replace(NON_ALNUM_RE, '');
  if (!fmt.pattern.test(code) && fmt.area !== 'outward') {
    const withoutPrefix = code.replace(LETTER_PREFIX_RE, '');
    if (withoutPrefix !== code) code = withoutPrefix;
  }
  if (fmt.pad !== undefined && code.length === fmt.pad - 1 && /^\d+$/.test(code)) code = `0${code}`;
  if (cc === 'US' && (code.length === 8 || code.length === 4) && /^\d+$/.test(code)) code = `0${code}`;
  if (code === '') return null;

  const valid = fmt.pattern.test(code);
  if (!valid) return { postalCode: code, full: code, valid };
  if (cc === 'US') {
    const zip = code.slice(0, 5);
    return { postalCode: zip, full: code.length === 9 ? `${zip}-${code.slice(5)}` : zip, valid };
  }
  const canonical = fmt.display ? fmt.display(code) : code;
  return { postalCode: canonical, full: canonical, valid };
}

/**
 * A coarse postal area for blocking: the leading digits of the normalized
 * code (2 for most European countries, 3 for US, JP, BR, CN, IN, RU, KR),
 * the outward code for GB/CA/IE ("SW1A", "K1A", "D02"), the first 3
 * characters when the country is unknown. `null` if there is no usable code.
 *
 * @example
 * ```ts
 * postalArea('80331', 'DE')       // '80'
 * postalArea('SW1A 1AA', 'GB')    // 'SW1A'
 * postalArea('94105-1234', 'US')  // '941'
 * postalArea('1234 AB', 'NL')     // '12'
 * ```
 */
export function postalArea(value: Raw, country?: Raw): string | null {
  const pc = postalCode(value, country);
  if (pc === null) return null;
  const code = pc.postalCode;
  const cc = country === undefined || country === null ? null : countryCode(country);
  const fmt = cc === null ? undefined : POSTAL_FORMATS.get(cc);
  if (fmt === undefined || !pc.valid) return code.slice(0, 3);
  if (fmt.area === 'outward') {
    const sp = code.indexOf(' ');
    return sp > 0 ? code.slice(0, sp) : code.slice(0, 3);
  }
  return code.slice(0, fmt.area);
}
