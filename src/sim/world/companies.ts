/**
 * Organization names built from parts: a stem (family name, two family names, or a place word),
 * an industry word in the country's language, and a legal form of the country
 * ("Krüger Maschinenbau GmbH", "Hartwell Industrial Supply Inc.", "Officine Meccaniche Rossi S.p.A.",
 * "Van Dijk Techniek B.V.", "Zakłady Mechaniczne Nowak Sp. z o.o.", "Tanaka Seiki K.K.").
 * Also the legal-form noise and web domains.
 */
import { pickLegalForm, type CountryProfile, type Language, type LegalForm } from './countries';
import { NAMES } from './names';
import { foldDiacritics } from './noise';
import type { Rng } from './random';

/** Industry words; a leading `<` puts the word before the stem ("Officine Meccaniche Rossi"). */
const INDUSTRIES: Record<Language, readonly string[]> = {
  de: ['Maschinenbau', 'Antriebstechnik', 'Anlagenbau', 'Hydraulik', 'Pumpenwerk', 'Fördertechnik', 'Metallbau',
    'Elektrotechnik', 'Industrieservice', 'Werkzeugbau', 'Kältetechnik', 'Verfahrenstechnik', 'Landtechnik',
    'Präzisionsmechanik', 'Stahlbau', 'Automation', 'Haustechnik', 'Armaturen', 'Industrietechnik', 'Umwelttechnik'],
  en: ['Industrial Supply', 'Engineering', 'Manufacturing', 'Machine Works', 'Fluid Systems', 'Pumps & Valves',
    'Mechanical Services', 'Power Transmission', 'Automation', 'Equipment', 'Controls', 'Hydraulics',
    'Process Solutions', 'Tool & Die', 'Fabrication', 'Industrial Services', 'Water Technologies'],
  fr: ['<Ateliers Mécaniques', '<Établissements', '<Mécanique de Précision', 'Industrie', 'Hydraulique',
    'Maintenance Industrielle', 'Équipements', 'Automatismes', 'Chaudronnerie', '<Techniques de Pompage', 'Services'],
  it: ['<Officine Meccaniche', '<Costruzioni Meccaniche', '<Fratelli', 'Meccanica', 'Impianti', 'Oleodinamica',
    'Pompe', 'Automazione', 'Tecnologie Industriali', '<Forniture Industriali', 'Termotecnica'],
  nl: ['Techniek', 'Machinebouw', 'Installatietechniek', 'Pompen', 'Hydrauliek', 'Industrieel Onderhoud',
    'Aandrijftechniek', 'Metaalbewerking', 'Procestechniek', 'Constructie', 'Watertechniek'],
  pl: ['<Zakłady Mechaniczne', '<Przedsiębiorstwo Techniczne', '<Fabryka Maszyn', '<Zakład Hydrauliki',
    '<Serwis Przemysłowy', '<Technika Pompowa', '<Automatyka Przemysłowa', '<Przedsiębiorstwo Produkcyjno-Usługowe'],
  ja: ['Seiki', 'Kogyo', 'Seisakusho', 'Kikai', 'Denki', 'Kosan', 'Engineering', 'Pump', 'Techno', 'Sangyo'],
  es: ['<Talleres Mecánicos', 'Ingeniería', '<Industrias', '<Suministros Industriales', 'Hidráulica', 'Bombas',
    'Automatización', '<Construcciones Mecánicas'],
  sv: ['Mekaniska Verkstad', 'Industriteknik', 'Hydraulik', 'Pump', 'Maskin', 'Automation', 'Svets', 'Verkstäder'],
};

const HOLDING_WORDS: Record<Language, readonly string[]> = {
  de: ['Holding', 'Gruppe', 'Beteiligungs'],
  en: ['Group', 'Holdings'],
  fr: ['<Groupe', 'Holding'],
  it: ['<Gruppo', 'Holding'],
  nl: ['Groep', 'Holding'],
  pl: ['<Grupa', 'Holding'],
  ja: ['Holdings'],
  es: ['<Grupo', 'Holding'],
  sv: ['Gruppen', 'Holding'],
};

const PLACE_STEMS: Partial<Record<Language, readonly string[]>> = {
  de: ['Neckar', 'Rhein', 'Elbe', 'Schwaben', 'Allgäu', 'Ruhr', 'Hanse', 'Weser', 'Main', 'Donau'],
  en: ['Great Lakes', 'Midwest', 'Pacific', 'Allegheny', 'Lone Star', 'Northern', 'Pennine', 'Atlantic', 'Summit'],
  nl: ['Brabant', 'Twente', 'Delta', 'Rijnmond', 'Veluwe'],
  sv: ['Norrland', 'Bergslagen', 'Mälardalens', 'Västkust'],
};

/** An organization name and its parts. */
export interface OrgName {
  /** Shared by all members of a corporate group ("Krüger"). */
  stem: string;
  industry: string;
  legalForm: LegalForm;
  /** Name without the legal form ("Krüger Maschinenbau"). */
  base: string;
  /** Full true name ("Krüger Maschinenbau GmbH"). */
  name: string;
}

/**
 * A name stem for a corporate group: a family name, two family names, or a place word.
 *
 * @example
 * ```ts
 * companyStem(rng, countryByCode('DE')) // 'Krüger', 'Müller & Schmid' or 'Neckar'
 * ```
 */
export function companyStem(rng: Rng, country: CountryProfile): string {
  const book = NAMES[country.language];
  const places = PLACE_STEMS[country.language];
  const r = rng.float();
  if (places && r < 0.12) return rng.pick(places);
  if (r > 0.9 && country.language !== 'ja') {
    const a = rng.pick(book.family);
    let b = rng.pick(book.family);
    if (b === a) b = book.family[(book.family.indexOf(a) + 1) % book.family.length];
    const and = country.language === 'de' ? rng.pick(['&', '&', 'und']) : country.language === 'fr' ? 'et' : '&';
    return `${a} ${and} ${b}`;
  }
  return rng.pick(book.family);
}

/**
 * The `k`-th industry word of the language (cyclic). Members of one corporate group take
 * consecutive `k`, so sister companies never share an industry word.
 *
 * @example
 * ```ts
 * industryAt('de', 0) // 'Maschinenbau'
 * industryAt('de', 1) // 'Antriebstechnik'
 * ```
 */
export function industryAt(language: Language, k: number): string {
  const list = INDUSTRIES[language];
  return list[k % list.length];
}

/**
 * The `k`-th holding/group word of the language (cyclic): "Holding", "Group", "<Gruppo".
 *
 * @example
 * ```ts
 * holdingWordAt('en', 0) // 'Group'
 * ```
 */
export function holdingWordAt(language: Language, k: number): string {
  const list = HOLDING_WORDS[language];
  return list[k % list.length];
}

/**
 * Assembles an organization name; draws the legal form when not given.
 *
 * @example
 * ```ts
 * orgName(rng, countryByCode('IT'), 'Rossi', '<Officine Meccaniche').name // 'Officine Meccaniche Rossi S.p.A.' (or S.r.l. ...)
 * ```
 */
export function orgName(rng: Rng, country: CountryProfile, stem: string, industry: string, legalForm?: LegalForm): OrgName {
  const lf = legalForm ?? pickLegalForm(rng, country);
  const base = industry.startsWith('<') ? `${industry.slice(1)} ${stem}` : `${stem} ${industry}`;
  return { stem, industry, legalForm: lf, base, name: `${base} ${lf.short}` };
}

/**
 * The name with its legal form written out, in another spelling, or dropped.
 *
 * @example
 * ```ts
 * legalFormVariant(rng, krueger) // 'Krüger Maschinenbau Gesellschaft mit beschränkter Haftung' | 'Krüger Maschinenbau G.m.b.H.' | 'Krüger Maschinenbau'
 * ```
 */
export function legalFormVariant(rng: Rng, org: OrgName): string {
  const r = rng.float();
  if (r < 0.3) return `${org.base} ${org.legalForm.long}`;
  if (r < 0.7 && org.legalForm.variants.length) {
    const v = rng.pick(org.legalForm.variants);
    return v.startsWith(',') ? `${org.base}${v}` : `${org.base} ${v}`;
  }
  return org.base;
}

/**
 * A web domain for the organization ("krueger-maschinenbau.de").
 *
 * @example
 * ```ts
 * domainFor(krueger, countryByCode('DE')) // 'krueger-maschinenbau.de'
 * ```
 */
export function domainFor(org: OrgName, country: CountryProfile): string {
  const slug = (s: string) =>
    foldDiacritics(s, 'expand')
      .toLowerCase()
      .replace(/&/g, ' ')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  const industry = org.industry.replace(/^</, '').split(' ')[0];
  return `${slug(org.stem)}-${slug(industry)}.${country.tld}`;
}
