/**
 * Country standardization to ISO 3166-1 alpha-2, backed by `i18n-iso-countries`.
 *
 * The package's plain module (`i18n-iso-countries/index.js`) is imported
 * instead of the Node entry point: the Node entry loads all ~80 locales with
 * `require`, while this module registers only the locales it needs from
 * their JSON files (imported with `with { type: 'json' }`, which works under
 * Node ESM, tsx, vitest and `tsc`).
 *
 * At module load a single `Map` from normalized name -> alpha-2 is built from
 * every registered locale plus a table of common variants the locale data
 * does not carry ("U.S.A.", "Holland", "England", "BRD", "Schweiz", IOC codes
 * such as "GER"/"SUI"). Lookups are one normalization plus one map access.
 * When two countries share a name in different languages ("Congo"), the
 * first registered language wins (English first).
 *
 * @module
 */
import {
  registerLocale,
  getNames,
  alpha3ToAlpha2,
  numericToAlpha2,
  getAlpha2Codes,
  type LocaleData,
} from 'i18n-iso-countries/index.js';
import en from 'i18n-iso-countries/langs/en.json' with { type: 'json' };
import de from 'i18n-iso-countries/langs/de.json' with { type: 'json' };
import fr from 'i18n-iso-countries/langs/fr.json' with { type: 'json' };
import it from 'i18n-iso-countries/langs/it.json' with { type: 'json' };
import es from 'i18n-iso-countries/langs/es.json' with { type: 'json' };
import nl from 'i18n-iso-countries/langs/nl.json' with { type: 'json' };
import pl from 'i18n-iso-countries/langs/pl.json' with { type: 'json' };
import ja from 'i18n-iso-countries/langs/ja.json' with { type: 'json' };
import pt from 'i18n-iso-countries/langs/pt.json' with { type: 'json' };
import sv from 'i18n-iso-countries/langs/sv.json' with { type: 'json' };
import da from 'i18n-iso-countries/langs/da.json' with { type: 'json' };
import nb from 'i18n-iso-countries/langs/nb.json' with { type: 'json' };
import fi from 'i18n-iso-countries/langs/fi.json' with { type: 'json' };
import cs from 'i18n-iso-countries/langs/cs.json' with { type: 'json' };
import sk from 'i18n-iso-countries/langs/sk.json' with { type: 'json' };
import hu from 'i18n-iso-countries/langs/hu.json' with { type: 'json' };
import ro from 'i18n-iso-countries/langs/ro.json' with { type: 'json' };
import el from 'i18n-iso-countries/langs/el.json' with { type: 'json' };
import ru from 'i18n-iso-countries/langs/ru.json' with { type: 'json' };
import tr from 'i18n-iso-countries/langs/tr.json' with { type: 'json' };
import zh from 'i18n-iso-countries/langs/zh.json' with { type: 'json' };
import ko from 'i18n-iso-countries/langs/ko.json' with { type: 'json' };
import hr from 'i18n-iso-countries/langs/hr.json' with { type: 'json' };
import sl from 'i18n-iso-countries/langs/sl.json' with { type: 'json' };
import { fold, foldDiacritics, toText, type Raw } from './text';

/** Registered locales, in priority order for names shared between countries. */
const LOCALES: readonly LocaleData[] = [
  en, de, fr, it, es, nl, pl, ja, pt, sv, da, nb, fi, cs, sk, hu, ro, el, ru, tr, zh, ko, hr, sl,
] as readonly LocaleData[];

/**
 * Variants not (reliably) present in the locale data. Checked before the
 * locale names, so they also settle ambiguities.
 */
const ALIASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['US', ['usa', 'u.s.a.', 'us', 'u.s.', 'united states', 'united states of america', 'america', 'amerika',
    'vereinigte staaten', 'etats unis', 'stati uniti', 'estados unidos', 'verenigde staten', 'stany zjednoczone',
    'アメリカ', 'アメリカ合衆国', '米国', '美国']],
  ['GB', ['uk', 'u.k.', 'united kingdom', 'great britain', 'britain', 'england', 'scotland', 'wales',
    'northern ireland', 'grossbritannien', 'großbritannien', 'vereinigtes königreich', 'royaume-uni', 'regno unito',
    'reino unido', 'verenigd koninkrijk', 'wielka brytania', 'inglaterra', 'inghilterra', 'angleterre', 'engeland',
    'イギリス', '英国', 'eng']],
  ['DE', ['deutschland', 'germany', 'federal republic of germany', 'bundesrepublik deutschland', 'brd',
    'west germany', 'allemagne', 'germania', 'alemania', 'duitsland', 'niemcy', 'ドイツ', '德国', 'ger']],
  ['NL', ['holland', 'nederland', 'the netherlands', 'netherlands', 'niederlande', 'pays-bas', 'paesi bassi',
    'países bajos', 'holandia', 'nederländerna', 'ned']],
  ['CH', ['schweiz', 'suisse', 'svizzera', 'svizra', 'switzerland', 'confoederatio helvetica', 'helvetia',
    'schweizerische eidgenossenschaft', 'sui']],
  ['AT', ['österreich', 'oesterreich', 'osterreich', 'austria', 'autriche', 'republik österreich']],
  ['JP', ['日本', '日本国', 'nippon', 'nihon', 'japan']],
  ['PL', ['polska', 'poland', 'pologne', 'polen', 'polonia', 'rzeczpospolita polska']],
  ['CN', ['china', 'prc', 'p.r. china', 'p.r.c.', "people's republic of china", 'volksrepublik china', '中国',
    '中华人民共和国']],
  ['KR', ['south korea', 'korea', 'republic of korea', 'korea, republic of', 'korea (south)', 'südkorea',
    '한국', '대한민국']],
  ['KP', ['north korea', 'nordkorea']],
  ['RU', ['russia', 'russian federation', 'russland', 'rossiya', 'россия']],
  ['CZ', ['czech republic', 'czechia', 'tschechien', 'tschechische republik', 'česko', 'česká republika']],
  ['TR', ['turkey', 'türkiye', 'türkei']],
  ['IT', ['italia', 'italy', 'italien']],
  ['ES', ['españa', 'spain', 'spanien']],
  ['FR', ['france', 'frankreich', 'république française']],
  ['BE', ['belgique', 'belgië', 'belgien', 'belgium']],
  ['DK', ['danmark', 'dänemark', 'denmark', 'den']],
  ['SE', ['sverige', 'schweden', 'sweden']],
  ['NO', ['norge', 'noreg', 'norwegen', 'norway']],
  ['FI', ['suomi', 'finnland', 'finland']],
  ['PT', ['portugal', 'por']],
  ['GR', ['greece', 'hellas', 'griechenland', 'ελλάδα', 'gre']],
  ['IE', ['ireland', 'éire', 'eire', 'irland', 'republic of ireland']],
  ['HR', ['croatia', 'hrvatska', 'kroatien', 'cro']],
  ['SI', ['slovenia', 'slovenija', 'slowenien', 'slo']],
  ['ZA', ['south africa', 'südafrika', 'rsa']],
  ['AE', ['uae', 'u.a.e.', 'united arab emirates', 'emirates', 'vae']],
  ['SA', ['saudi arabia', 'ksa']],
  ['TW', ['taiwan', 'republic of china', 'r.o.c.', '台湾', '台灣']],
  ['HK', ['hong kong', 'hongkong', '香港']],
  ['VN', ['vietnam', 'viet nam']],
  ['CI', ['ivory coast', "côte d'ivoire", 'elfenbeinküste']],
  ['MK', ['macedonia', 'north macedonia', 'mazedonien', 'nordmazedonien']],
  ['MM', ['burma', 'myanmar']],
  ['SZ', ['swaziland', 'eswatini']],
  ['CV', ['cape verde', 'cabo verde']],
  ['VA', ['vatican', 'vatican city', 'holy see']],
  ['LU', ['luxemburg', 'luxembourg', 'lëtzebuerg']],
  ['MX', ['méxico', 'mexico', 'mexiko']],
  ['BR', ['brasil', 'brazil', 'brasilien']],
];

/**
 * Single-letter international vehicle registration codes, still found in
 * older European address data ("D-80331 München", country field "D").
 */
const VEHICLE_CODES: ReadonlyMap<string, string> = new Map([
  ['D', 'DE'], ['A', 'AT'], ['F', 'FR'], ['I', 'IT'], ['E', 'ES'], ['B', 'BE'], ['P', 'PT'], ['S', 'SE'],
  ['N', 'NO'], ['L', 'LU'], ['H', 'HU'],
]);

/** Two-letter codes in use that are not ISO alpha-2. */
const ALPHA2_EXCEPTIONS: ReadonlyMap<string, string> = new Map([['UK', 'GB'], ['EL', 'GR']]);

const DOTS_APOS_RE = /['\u2019.]/g;
const NON_WORD_RE = /[^\p{L}\p{N}]+/gu;
const LEADING_THE_RE = /^the /;

/** Normalized lookup key: canonical fold, dots/apostrophes removed, other punctuation as spaces. */
function key(value: string): string {
  return fold(value).replace(DOTS_APOS_RE, '').replace(NON_WORD_RE, ' ').trim().replace(LEADING_THE_RE, '');
}
/** Same key with plain diacritic folding (ö -> o) so "Osterreich" finds "Österreich". */
function plainKey(value: string): string {
  return foldDiacritics(value).toLowerCase().replace(DOTS_APOS_RE, '').replace(NON_WORD_RE, ' ').trim().replace(LEADING_THE_RE, '');
}

const ALPHA2: ReadonlySet<string> = new Set(Object.keys(getAlpha2Codes()));

const NAME_INDEX: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  const add = (name: string, code: string): void => {
    const k1 = key(name);
    if (k1 !== '' && !m.has(k1)) m.set(k1, code);
    const k2 = plainKey(name);
    if (k2 !== '' && !m.has(k2)) m.set(k2, code);
  };
  for (const [code, names] of ALIASES) for (const n of names) add(n, code);
  for (const locale of LOCALES) {
    registerLocale(locale);
    const names = getNames(locale.locale, { select: 'all' });
    for (const code of Object.keys(names)) for (const n of names[code]) add(n, code);
  }
  return m;
})();

const ALPHA_RE = /^[A-Za-z]{1,3}$/;
const NUMERIC_RE = /^\d{1,3}$/;

/**
 * Resolves a country written as ISO alpha-2, alpha-3, numeric code or name
 * (English, German, French, Italian, Spanish, Dutch, Polish, Japanese,
 * Portuguese, Nordic, Central/Eastern European, Greek, Russian, Turkish,
 * Chinese, Korean) to its ISO 3166-1 alpha-2 code.
 *
 * Also accepts "UK" and the Greek VAT prefix "EL", IOC codes used as country
 * abbreviations ("GER", "SUI", "NED"), and the one-letter vehicle codes
 * ("D", "A", "CH" is already alpha-2). Case, diacritics, dots and a leading
 * "The" are ignored. Returns `null` when nothing matches.
 *
 * @example
 * ```ts
 * countryCode('de')                         // 'DE'
 * countryCode('DEU')                        // 'DE'
 * countryCode('276')                        // 'DE'
 * countryCode('Federal Republic of Germany') // 'DE'
 * countryCode('U.S.A.')                     // 'US'
 * countryCode('Österreich')                 // 'AT'
 * countryCode('日本')                        // 'JP'
 * countryCode('Atlantis')                   // null
 * ```
 */
export function countryCode(value: Raw): string | null {
  const raw = toText(value);
  if (raw === null) return null;
  // NFKD first, so full-width "ＤＥ" is treated like "DE".
  const text = foldDiacritics(raw);
  if (ALPHA_RE.test(text)) {
    const upper = text.toUpperCase();
    if (upper.length === 2) {
      if (ALPHA2.has(upper)) return upper;
      const ex = ALPHA2_EXCEPTIONS.get(upper);
      if (ex !== undefined) return ex;
    } else if (upper.length === 3) {
      const a2 = alpha3ToAlpha2(upper);
      if (a2 !== undefined) return a2;
    } else {
      return VEHICLE_CODES.get(upper) ?? null;
    }
  } else if (NUMERIC_RE.test(text)) {
    return numericToAlpha2(text.padStart(3, '0')) ?? null;
  }
  const k = key(text);
  return NAME_INDEX.get(k) ?? NAME_INDEX.get(plainKey(text)) ?? null;
}
