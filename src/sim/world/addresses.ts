/**
 * Postal addresses: street names with each country's street words, house numbers, postal codes
 * in the country's format, coordinates near the city; plus the address noise: street-word
 * abbreviations ("Straße"/"Str."/"Strasse", "Street"/"St.", "Via"/"V."), the house number written
 * into the street field, and city exonyms ("München"/"Munich").
 */
import type { City, CountryProfile } from './countries';
import type { Rng } from './random';

/** A true postal address with coordinates near its city. */
export interface Address {
  street: string;
  houseNumber: string;
  postalCode: string;
  city: City;
  country: CountryProfile;
  latitude: number;
  longitude: number;
}

const words = (s: string): string[] => s.trim().split(/\s*\|\s*|\n\s*/).filter(Boolean);

const DE_STEMS = words(`Industrie|Haupt|Bahnhof|Schiller|Goethe|Mühlen|Linden|Kirch|Garten|Berg|Wald|Hafen|Werk|Gewerbe|
  Königs|Schloss|Rosen|Fabrik|Markt|Bach|Eichen|Birken|Post|Wiesen|Sonnen|Brunnen|Tal|Feld|Uhland|Daimler|Röntgen|Benz`);
const DE_PERSON_STEMS = words(`Robert-Bosch-|Max-Eyth-|Carl-Benz-|Gottlieb-Daimler-|Werner-von-Siemens-|Friedrich-Ebert-|
  Konrad-Adenauer-|Otto-Hahn-|Rudolf-Diesel-|Carl-Zeiss-|Heinrich-Hertz-`);
const DE_PHRASES = words(`Am Hafen|Im Gewerbepark|An der Mühle|Auf der Höhe|Am Bahnhof|Im Kirchfeld|Zum Sportplatz|Am Industriegleis`);
const US_NAMES = words(`Main|Oak|Maple|Industrial|Commerce|Washington|Lincoln|Park|Lake|River|Hill|Cedar|Elm|Market|
  Technology|Enterprise|Airport|Harbor|Madison|Jefferson|Franklin|Center|Mill|Water|Railroad|Pine|Walnut|Ridge`);
const US_TYPES = words(`Street|Avenue|Road|Drive|Boulevard|Parkway|Lane|Way|Court`);
const US_DIRECTIONS = words(`North|South|East|West`);
const GB_NAMES = words(`High|Station|Church|Mill|Victoria|Queen's|King|Park|London|Bridge|Manor|Albert|Trafford|Canal|
  Wharf|Brunswick|York|Castle|Meadow|Chapel`);
const GB_TYPES = words(`Road|Street|Lane|Way|Close|Avenue|Drive`);
const FR_STREETS = words(`rue de la Gare|rue Victor Hugo|avenue Jean Jaurès|boulevard Gambetta|rue de l'Industrie|
  allée des Tilleuls|chemin du Moulin|rue Pasteur|rue du Général Leclerc|avenue de la République|rue des Artisans|
  rue Émile Zola|rue de la Paix|impasse des Forges|rue du Commerce|avenue du Maréchal Foch|rue Louis Blériot|
  boulevard de l'Europe|rue des Frères Lumière`);
const IT_STREETS = words(`Via Roma|Via Giuseppe Garibaldi|Via dell'Industria|Viale Europa|Via Giuseppe Verdi|Corso Italia|
  Via dei Mille|Via Torino|Piazza Cavour|Via dell'Artigianato|Via Guglielmo Marconi|Via Enrico Fermi|
  Via Alessandro Volta|Via San Francesco|Via Galileo Galilei|Viale della Repubblica|Via del Lavoro|Corso Vittorio Emanuele`);
const NL_STEMS = words(`Industrie|Kerk|Molen|Stations|Dorps|Haven|Hoofd|Nijverheids|Energie|Ambacht|Linden|Esdoorn|
  Beuken|Bedrijven|Zuid|Noord|Marconi|Edison`);
const NL_SUFFIXES = words(`straat|straat|weg|weg|laan|plein|kade|singel`);
const PL_STREETS = words(`ul. Przemysłowa|ul. Fabryczna|ul. Marszałkowska|ul. Długa|ul. Tadeusza Kościuszki|
  ul. Adama Mickiewicza|al. Jerozolimskie|ul. Józefa Piłsudskiego|ul. Łąkowa|ul. Żelazna|ul. Kolejowa|ul. Polna|
  ul. Leśna|ul. Ogrodowa|ul. Składowa|ul. Warszawska|ul. Gen. Władysława Andersa|ul. Techniczna`);
const JA_DISTRICTS = words(`Shibaura|Nishi-Shinjuku|Marunouchi|Umeda|Sakae|Hakata-ekimae|Kita-Aoyama|Minatomirai|Honcho|
  Nishiki|Shin-Yokohama|Kanda-Jimbocho|Higashi-Ikebukuro|Chuo|Meieki|Nihonbashi|Shiba-koen`);
const ES_STREETS = words(`Calle Mayor|Calle de Alcalá|Avenida de la Industria|Gran Vía|Paseo de la Castellana|
  Calle del Carmen|Avenida Diagonal|Calle de Serrano|Calle San Vicente|Avenida de Andalucía|Calle Real|
  Calle de la Técnica|Avenida de los Fueros`);
const SV_STEMS = words(`Industri|Kyrko|Stor|Hamn|Drottning|Kungs|Verkstads|Fabriks|Skol|Järnvägs|Sjö|Ring|Lager|Smed`);
const SV_SUFFIXES = words(`gatan|gatan|vägen`);

function capitalize(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

function germanStreet(rng: Rng, country: CountryProfile): string {
  const r = rng.float();
  let street: string;
  if (r < 0.08) street = rng.pick(DE_PHRASES);
  else {
    const suffixes = country.code === 'AT' ? ['straße', 'straße', 'gasse', 'weg', 'ring'] : ['straße', 'straße', 'straße', 'weg', 'allee', 'ring'];
    const suffix = rng.pick(suffixes);
    if (r < 0.28) street = rng.pick(DE_PERSON_STEMS) + capitalize(suffix);
    else street = rng.pick(DE_STEMS) + suffix;
  }
  return country.code === 'CH' ? street.replace(/ß/g, 'ss') : street;
}

/**
 * A street name in the style of the country.
 *
 * @example
 * ```ts
 * streetName(rng, countryByCode('DE')) // e.g. 'Industriestraße', 'Robert-Bosch-Straße'
 * streetName(rng, countryByCode('US')) // e.g. 'North Commerce Drive'
 * ```
 */
export function streetName(rng: Rng, country: CountryProfile): string {
  switch (country.language) {
    case 'de':
      return germanStreet(rng, country);
    case 'en':
      if (country.code === 'US') {
        const dir = rng.chance(0.2) ? `${rng.pick(US_DIRECTIONS)} ` : '';
        return `${dir}${rng.pick(US_NAMES)} ${rng.pick(US_TYPES)}`;
      }
      return `${rng.pick(GB_NAMES)} ${rng.pick(GB_TYPES)}`;
    case 'fr':
      return rng.pick(FR_STREETS);
    case 'it':
      return rng.pick(IT_STREETS);
    case 'nl':
      return rng.pick(NL_STEMS) + rng.pick(NL_SUFFIXES);
    case 'pl':
      return rng.pick(PL_STREETS);
    case 'ja':
      return rng.pick(JA_DISTRICTS);
    case 'es':
      return rng.pick(ES_STREETS);
    case 'sv':
      return rng.pick(SV_STEMS) + rng.pick(SV_SUFFIXES);
  }
}

/**
 * A house number in the style of the country ("12", "12a", "3-5", US "4810", JP "2-8-1").
 *
 * @example
 * ```ts
 * houseNumber(rng, countryByCode('US')) // e.g. '4810'
 * ```
 */
export function houseNumber(rng: Rng, country: CountryProfile): string {
  if (country.code === 'US') return String(rng.range(1, 98) * (rng.chance(0.7) ? 100 : 10) + rng.int(10));
  if (country.language === 'ja') return `${rng.range(1, 9)}-${rng.range(1, 30)}-${rng.range(1, 20)}`;
  const n = rng.chance(0.7) ? rng.range(1, 60) : rng.range(61, 250);
  const r = rng.float();
  if (r < 0.07) {
    const letter = 'abcd'[rng.int(4)];
    if (country.language === 'it') return `${n}/${letter.toUpperCase()}`;
    return country.language === 'nl' ? `${n}${letter.toUpperCase()}` : `${n}${letter}`;
  }
  if (r < 0.1 && country.language !== 'fr') return `${n}-${n + 2}`;
  if (r < 0.1) return `${n} bis`;
  return String(n);
}

const UK_LETTERS = 'ABDEFGHJLNPQRSTUWXYZ';
const NL_LETTERS = 'ABCEGHJKLMNPRTVWXZ';

/**
 * A postal code of the city in its country's format (`70565`, `1012 AB`, `00-950`, `105-0011`, `M14 5RT`).
 *
 * @example
 * ```ts
 * postalCode(rng, de, stuttgart) // e.g. '70565'
 * ```
 */
export function postalCode(rng: Rng, country: CountryProfile, city: City): string {
  if (country.postalTemplate === 'GB') {
    const district = city.postal.length === 1 ? rng.range(1, 40) : rng.range(1, 20);
    return `${city.postal}${district} ${rng.int(10)}${UK_LETTERS[rng.int(UK_LETTERS.length)]}${UK_LETTERS[rng.int(UK_LETTERS.length)]}`;
  }
  let out = '';
  let p = 0;
  for (const t of country.postalTemplate) {
    if (t === 'N') {
      out += p < city.postal.length ? city.postal[p] : String(rng.int(10));
      p++;
    } else if (t === 'L') out += NL_LETTERS[rng.int(NL_LETTERS.length)];
    else out += t;
  }
  return out;
}

/**
 * A complete address in `city` (or a random city of the country).
 *
 * @example
 * ```ts
 * makeAddress(rng, countryByCode('NL')) // { street: 'Kerkstraat', houseNumber: '12', postalCode: '3511 AB', city: Utrecht, ... }
 * ```
 */
export function makeAddress(rng: Rng, country: CountryProfile, city: City = rng.pick(country.cities)): Address {
  return {
    street: streetName(rng, country),
    houseNumber: houseNumber(rng, country),
    postalCode: postalCode(rng, country, city),
    city,
    country,
    latitude: round6(city.lat + (rng.float() - 0.5) * 0.12),
    longitude: round6(city.lon + (rng.float() - 0.5) * 0.16),
  };
}

/**
 * An address on the same street as `base` (a neighbour: another house number, the same postal code).
 *
 * @example
 * ```ts
 * sameStreet(rng, hq).street === hq.street // true
 * ```
 */
export function sameStreet(rng: Rng, base: Address): Address {
  let no = houseNumber(rng, base.country);
  if (no === base.houseNumber) no = `${no}a`;
  return {
    ...base,
    houseNumber: rng.chance(0.35) ? base.houseNumber : no,
    latitude: round6(base.latitude + (rng.float() - 0.5) * 0.002),
    longitude: round6(base.longitude + (rng.float() - 0.5) * 0.002),
  };
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * Street and house number in one field, in the country's order ("Industriestraße 12",
 * "1200 Main Street", "12 rue de la Gare", "Via Roma, 12", "2-8-1 Shibaura").
 *
 * @example
 * ```ts
 * combinedStreet(countryByCode('DE'), 'Industriestraße', '12') // 'Industriestraße 12'
 * ```
 */
export function combinedStreet(country: CountryProfile, street: string, houseNo: string): string {
  if (country.code === 'US' || country.code === 'GB' || country.language === 'fr' || country.language === 'ja') return `${houseNo} ${street}`;
  if (country.language === 'it' || country.language === 'es') return `${street}, ${houseNo}`;
  return `${street} ${houseNo}`;
}

type Rewrite = readonly [RegExp, readonly string[]];

const STREET_REWRITES: Record<string, readonly Rewrite[]> = {
  de: [
    [/straße\b/, ['str.', 'strasse', 'str', ' Str.', 'Strasse']],
    [/Straße\b/, ['Str.', 'Strasse', 'Str']],
    [/strasse\b/, ['str.', 'straße']],
    [/Strasse\b/, ['Str.', 'Straße']],
    [/gasse\b/, ['g.', 'gaße']],
    [/allee\b/, ['Allee', 'all.']],
    [/weg\b/, ['-Weg', ' Weg']],
    [/^Am /, ['Am ', 'am ']],
  ],
  en: [
    [/\bStreet\b/, ['St', 'St.', 'STREET']],
    [/\bAvenue\b/, ['Ave', 'Ave.', 'Av.']],
    [/\bRoad\b/, ['Rd', 'Rd.']],
    [/\bDrive\b/, ['Dr', 'Dr.']],
    [/\bBoulevard\b/, ['Blvd', 'Blvd.']],
    [/\bParkway\b/, ['Pkwy', 'Pkwy.']],
    [/\bLane\b/, ['Ln', 'Ln.']],
    [/\bCourt\b/, ['Ct', 'Ct.']],
    [/\bClose\b/, ['Cl.']],
    [/^North\b/, ['N', 'N.']],
    [/^South\b/, ['S', 'S.']],
    [/^East\b/, ['E', 'E.']],
    [/^West\b/, ['W', 'W.']],
  ],
  fr: [
    [/^rue\b/, ['r.', 'Rue', 'RUE']],
    [/^avenue\b/, ['av.', 'Av.', 'Avenue', 'ave']],
    [/^boulevard\b/, ['bd', 'Bd', 'boul.', 'Boulevard']],
    [/^allée\b/, ['all.', 'Allée', 'allee']],
    [/^chemin\b/, ['ch.', 'Chemin']],
    [/^impasse\b/, ['imp.', 'Impasse']],
    [/Général/, ['Gén.', 'General', 'Gal']],
    [/Maréchal/, ['Mal', 'Maréch.']],
  ],
  it: [
    [/^Viale\b/, ['V.le', 'viale', 'V. le']],
    [/^Via\b/, ['V.', 'via', 'VIA']],
    [/^Corso\b/, ['C.so', 'corso']],
    [/^Piazza\b/, ['P.zza', 'P.za', 'piazza']],
    [/Giuseppe /, ['G. ', '']],
    [/Guglielmo /, ['G. ', '']],
    [/Alessandro /, ['A. ', '']],
    [/Enrico /, ['E. ', '']],
    [/Galileo /, ['G. ', '']],
  ],
  nl: [
    [/straat\b/, ['str.', 'str', 'straat ']],
    [/weg\b/, ['wg', '-weg']],
    [/laan\b/, ['ln', 'ln.']],
    [/plein\b/, ['pl.']],
  ],
  pl: [
    [/^ul\. /, ['', 'ulica ', 'UL. ', 'ul ']],
    [/^al\. /, ['Aleje ', 'aleja ', '']],
    [/(Tadeusza|Adama|Józefa|Władysława) /, ['', 'T. ']],
    [/Gen\. /, ['Generała ', '']],
  ],
  ja: [
    [/-/, ['', ' ']],
    [/^Nishi-/, ['Nishi ']],
  ],
  es: [
    [/^Calle de la /, ['C/ de la ', 'C/ ']],
    [/^Calle del /, ['C/ del ', 'C/ ']],
    [/^Calle de /, ['C/ ', 'C. de ']],
    [/^Calle /, ['C/ ', 'C. ', 'c/ ']],
    [/^Avenida /, ['Avda. ', 'Av. ', 'Avda ']],
    [/^Paseo /, ['Pº ', 'P.º ']],
  ],
  sv: [
    [/gatan\b/, ['g.', 'gata']],
    [/vägen\b/, ['v.', 'vagen']],
  ],
};

/**
 * The street written another way: abbreviation or expansion of the street word, or another case.
 * Returns the input when the language has no applicable rule.
 *
 * @example
 * ```ts
 * streetVariant(rng, 'Industriestraße', 'de') // 'Industriestr.' or 'Industriestrasse' ...
 * streetVariant(rng, 'North Main Street', 'en') // 'N Main Street' or 'North Main St' ...
 * ```
 */
export function streetVariant(rng: Rng, street: string, language: string): string {
  const rules = STREET_REWRITES[language];
  if (!rules) return street;
  const applicable = rules.filter(([re]) => re.test(street));
  if (applicable.length === 0) return street;
  const [re, outs] = rng.pick(applicable);
  return street.replace(re, rng.pick(outs));
}

/**
 * The city written another way: an exonym or abbreviation from the city's aliases.
 *
 * @example
 * ```ts
 * cityVariant(rng, munich) // 'Munich' or 'Muenchen'
 * ```
 */
export function cityVariant(rng: Rng, city: City): string {
  return city.aliases.length ? rng.pick(city.aliases) : city.name;
}
