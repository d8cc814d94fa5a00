/**
 * Country profiles of the synthetic world: names in several languages, legal forms, cities
 * (region, postal prefix, coordinates, phone area code), phone numbering plan, postal-code
 * template and GS1 prefixes. Cities and coordinates are real places; everything attached to
 * them in the world is made up.
 */
import { cumulate, type Rng } from './random';

/** Languages of the name, street and industry word books. */
export type Language = 'de' | 'en' | 'fr' | 'it' | 'nl' | 'pl' | 'ja' | 'es' | 'sv';

/** A real city with the data needed to make addresses and phone numbers there. */
export interface City {
  name: string;
  /** Other spellings of the city (exonyms, abbreviations), used by the noise model. */
  aliases: readonly string[];
  /** Region / state / province code. */
  region: string;
  /** Leading characters of the city's postal codes. */
  postal: string;
  lat: number;
  lon: number;
  /** Phone area code, national, without the trunk prefix. */
  area: string;
}

/** A legal form of organizations of a country. */
export interface LegalForm {
  /** The usual abbreviation, as written in the true name ("GmbH"). */
  short: string;
  /** Written out ("Gesellschaft mit beschränkter Haftung"). */
  long: string;
  /** Other spellings seen in source systems ("G.m.b.H.", "Gmbh"). */
  variants: readonly string[];
  weight: number;
}

/** The parts of a country's telephone numbering plan the world uses. */
export interface PhonePlan {
  /** Country calling code without "+". */
  cc: string;
  /** National trunk prefix ("0") or "" where there is none. */
  trunk: string;
  /** Length range of the national significant number (area + subscriber) for landlines. */
  nsn: readonly [number, number];
  /** Mobile prefixes (national, without trunk). */
  mobile: readonly string[];
  /** National significant number length of mobiles. */
  mobileNsn: number;
  /** How the subscriber part is grouped in national writing (e.g. FR pairs), or null. */
  grouping: readonly number[] | null;
}

/** Everything the world knows about one country. */
export interface CountryProfile {
  /** ISO 3166-1 alpha-2. */
  code: string;
  alpha3: string;
  /** English name. */
  en: string;
  /** Name in the country's own language. */
  local: string;
  /** Names in other languages and colloquial forms. */
  others: readonly string[];
  language: Language;
  /** Share of customers located in this country. */
  weight: number;
  currency: string;
  tld: string;
  phone: PhonePlan;
  /** Postal code template: `N` digit, `L` letter; the city's prefix fills the first characters. `GB` = UK outward/inward code. */
  postalTemplate: string;
  /** GS1 country prefixes (3 digits) for GLNs of organizations of this country. */
  gs1: readonly string[];
  legalForms: readonly LegalForm[];
  cities: readonly City[];
  legalFormCumulative: Float64Array;
}

/** `name;alias;alias|region|postal|lat|lon|area` */
function cities(rows: string): City[] {
  return rows
    .trim()
    .split('\n')
    .map((line) => {
      const [names, region, postal, lat, lon, area] = line.trim().split('|');
      const [name, ...aliases] = names.split(';');
      return { name, aliases, region, postal, lat: Number(lat), lon: Number(lon), area };
    });
}

function lf(short: string, long: string, weight: number, ...variants: string[]): LegalForm {
  return { short, long, variants, weight };
}

type ProfileInput = Omit<CountryProfile, 'legalFormCumulative'>;

const PROFILES: ProfileInput[] = [
  {
    code: 'DE', alpha3: 'DEU', en: 'Germany', local: 'Deutschland',
    others: ['Allemagne', 'Germania', 'Duitsland', 'Niemcy', 'Alemania', 'Tyskland', 'Federal Republic of Germany', 'Bundesrepublik Deutschland', 'GER', 'D'],
    language: 'de', weight: 28, currency: 'EUR', tld: 'de',
    phone: { cc: '49', trunk: '0', nsn: [9, 11], mobile: ['151', '160', '170', '171', '176', '157'], mobileNsn: 11, grouping: null },
    postalTemplate: 'NNNNN', gs1: ['400', '401', '404', '406', '426', '428'],
    legalForms: [
      lf('GmbH', 'Gesellschaft mit beschränkter Haftung', 55, 'G.m.b.H.', 'Gmbh', 'GMBH'),
      lf('AG', 'Aktiengesellschaft', 12, 'A.G.', 'Aktienges.'),
      lf('GmbH & Co. KG', 'Gesellschaft mit beschränkter Haftung & Compagnie Kommanditgesellschaft', 20, 'GmbH & Co KG', 'GmbH u. Co. KG', 'GmbH + Co. KG'),
      lf('KG', 'Kommanditgesellschaft', 5, 'K.G.'),
      lf('e.K.', 'eingetragener Kaufmann', 8, 'e. K.', 'e.Kfm.'),
    ],
    cities: cities(`
      Stuttgart|BW|70|48.7758|9.1829|711
      Esslingen am Neckar;Esslingen;Eßlingen|BW|73|48.7406|9.3108|711
      München;Munich;Muenchen|BY|80|48.1351|11.5820|89
      Köln;Cologne;Koeln|NW|50|50.9375|6.9603|221
      Düsseldorf;Duesseldorf|NW|40|51.2277|6.7735|211
      Nürnberg;Nuremberg;Nuernberg|BY|90|49.4521|11.0767|911
      Hamburg|HH|22|53.5511|9.9937|40
      Berlin|BE|12|52.5200|13.4050|30
      Frankfurt am Main;Frankfurt a. M.;Frankfurt/Main;Frankfurt|HE|60|50.1109|8.6821|69
      Dortmund|NW|44|51.5136|7.4653|231
      Bielefeld|NW|33|52.0302|8.5325|521
      Augsburg|BY|86|48.3705|10.8978|821
      Mannheim|BW|68|49.4875|8.4660|621
      Karlsruhe|BW|76|49.0069|8.4037|721
      Ulm|BW|89|48.4011|9.9876|731
      Würzburg;Wuerzburg|BY|97|49.7913|9.9534|931
      Göttingen;Goettingen|NI|37|51.5413|9.9158|551
      Lüdenscheid;Luedenscheid|NW|58|51.2198|7.6273|2351
      Chemnitz|SN|09|50.8278|12.9214|371
      Dresden|SN|01|51.0504|13.7373|351
      Leipzig|SN|04|51.3397|12.3731|341
      Regensburg|BY|93|49.0134|12.1016|941
      Braunschweig;Brunswick|NI|38|52.2689|10.5268|531
      Osnabrück;Osnabrueck|NI|49|52.2799|8.0472|541
      Böblingen;Boeblingen|BW|71|48.6833|9.0167|7031
      Schweinfurt|BY|97|50.0492|10.2194|9721
    `),
  },
  {
    code: 'US', alpha3: 'USA', en: 'United States', local: 'United States of America',
    others: ['USA', 'U.S.A.', 'US', 'U.S.', 'Vereinigte Staaten', 'États-Unis', 'Stati Uniti', 'Verenigde Staten', 'Stany Zjednoczone', 'Estados Unidos'],
    language: 'en', weight: 16, currency: 'USD', tld: 'com',
    phone: { cc: '1', trunk: '', nsn: [10, 10], mobile: [], mobileNsn: 10, grouping: [3, 4] },
    postalTemplate: 'NNNNN', gs1: ['006', '007', '008', '036', '070', '081'],
    legalForms: [
      lf('Inc.', 'Incorporated', 45, 'Inc', 'INC.', ', Inc.'),
      lf('LLC', 'Limited Liability Company', 30, 'L.L.C.', 'Llc'),
      lf('Corp.', 'Corporation', 15, 'Corp', 'CORP.'),
      lf('Co.', 'Company', 10, 'Co', '& Co.'),
    ],
    cities: cities(`
      Chicago|IL|606|41.8781|-87.6298|312
      Houston|TX|770|29.7604|-95.3698|713
      Cleveland|OH|441|41.4993|-81.6944|216
      Detroit|MI|482|42.3314|-83.0458|313
      Milwaukee|WI|532|43.0389|-87.9065|414
      Pittsburgh|PA|152|40.4406|-79.9959|412
      Charlotte|NC|282|35.2271|-80.8431|704
      Columbus|OH|432|39.9612|-82.9988|614
      Indianapolis|IN|462|39.7684|-86.1581|317
      Minneapolis|MN|554|44.9778|-93.2650|612
      Atlanta|GA|303|33.7490|-84.3880|404
      Dallas|TX|752|32.7767|-96.7970|214
      Denver|CO|802|39.7392|-104.9903|303
      Portland|OR|972|45.5152|-122.6784|503
      Phoenix|AZ|850|33.4484|-112.0740|602
      Greenville|SC|296|34.8526|-82.3940|864
      Rockford|IL|611|42.2711|-89.0940|815
      Grand Rapids|MI|495|42.9634|-85.6681|616
      Louisville|KY|402|38.2527|-85.7585|502
      St. Louis;Saint Louis;St Louis|MO|631|38.6270|-90.1994|314
    `),
  },
  {
    code: 'GB', alpha3: 'GBR', en: 'United Kingdom', local: 'United Kingdom',
    others: ['UK', 'U.K.', 'Great Britain', 'England', 'Großbritannien', 'Vereinigtes Königreich', 'Royaume-Uni', 'Regno Unito', 'Verenigd Koninkrijk', 'Wielka Brytania'],
    language: 'en', weight: 8, currency: 'GBP', tld: 'co.uk',
    phone: { cc: '44', trunk: '0', nsn: [10, 10], mobile: ['7700', '7711', '7800', '7911', '7456'], mobileNsn: 10, grouping: null },
    postalTemplate: 'GB', gs1: ['500', '501', '502', '503', '506', '509'],
    legalForms: [
      lf('Ltd', 'Limited', 70, 'Ltd.', 'LTD', 'Limited Company'),
      lf('PLC', 'Public Limited Company', 15, 'plc', 'P.L.C.'),
      lf('LLP', 'Limited Liability Partnership', 15, 'L.L.P.'),
    ],
    cities: cities(`
      Manchester|England|M|53.4808|-2.2426|161
      Birmingham|England|B|52.4862|-1.8904|121
      Leeds|England|LS|53.8008|-1.5491|113
      Sheffield|England|S|53.3811|-1.4701|114
      Glasgow|Scotland|G|55.8642|-4.2518|141
      Bristol|England|BS|51.4545|-2.5879|117
      Nottingham|England|NG|52.9548|-1.1581|115
      Liverpool|England|L|53.4084|-2.9916|151
      Coventry|England|CV|52.4068|-1.5197|24
      Derby|England|DE|52.9225|-1.4746|1332
      Newcastle upon Tyne;Newcastle|England|NE|54.9783|-1.6178|191
      Cardiff;Caerdydd|Wales|CF|51.4816|-3.1791|29
      Aberdeen|Scotland|AB|57.1497|-2.0943|1224
      Leicester|England|LE|52.6369|-1.1398|116
    `),
  },
  {
    code: 'FR', alpha3: 'FRA', en: 'France', local: 'France',
    others: ['Frankreich', 'Francia', 'Frankrijk', 'Francja', 'Frankrike', 'République française'],
    language: 'fr', weight: 9, currency: 'EUR', tld: 'fr',
    phone: { cc: '33', trunk: '0', nsn: [9, 9], mobile: ['6', '7'], mobileNsn: 9, grouping: [2, 2, 2, 2] },
    postalTemplate: 'NNNNN', gs1: ['300', '301', '320', '340', '350', '376'],
    legalForms: [
      lf('SAS', 'Société par actions simplifiée', 50, 'S.A.S.', 'SAS.'),
      lf('SARL', 'Société à responsabilité limitée', 30, 'S.A.R.L.', 'Sàrl', 'S.à r.l.'),
      lf('SA', 'Société anonyme', 20, 'S.A.', 'S.A'),
    ],
    cities: cities(`
      Paris|IDF|75|48.8566|2.3522|1
      Lyon|ARA|69|45.7640|4.8357|4
      Marseille;Marseilles|PAC|13|43.2965|5.3698|4
      Toulouse|OCC|31|43.6047|1.4442|5
      Lille|HDF|59|50.6292|3.0573|3
      Nantes|PDL|44|47.2184|-1.5536|2
      Strasbourg;Straßburg|GES|67|48.5734|7.7521|3
      Grenoble|ARA|38|45.1885|5.7245|4
      Saint-Étienne;St-Étienne;Saint-Etienne;St Etienne|ARA|42|45.4397|4.3872|4
      Clermont-Ferrand|ARA|63|45.7772|3.0870|4
      Mulhouse|GES|68|47.7508|7.3359|3
      Rouen|NOR|76|49.4432|1.0999|2
      Bordeaux|NAQ|33|44.8378|-0.5792|5
      Besançon;Besancon|BFC|25|47.2378|6.0241|3
    `),
  },
  {
    code: 'IT', alpha3: 'ITA', en: 'Italy', local: 'Italia',
    others: ['Italien', 'Italie', 'Italië', 'Włochy', 'Repubblica Italiana'],
    language: 'it', weight: 9, currency: 'EUR', tld: 'it',
    phone: { cc: '39', trunk: '', nsn: [10, 10], mobile: ['320', '333', '338', '339', '347', '348'], mobileNsn: 10, grouping: [4, 4] },
    postalTemplate: 'NNNNN', gs1: ['800', '801', '802', '803', '805', '809'],
    legalForms: [
      lf('S.r.l.', 'Società a responsabilità limitata', 60, 'Srl', 'SRL', 's.r.l.', 'S.R.L.'),
      lf('S.p.A.', 'Società per azioni', 30, 'SpA', 'S.P.A.', 'S.p.a.'),
      lf('S.n.c.', 'Società in nome collettivo', 10, 'Snc', 'S.N.C.'),
    ],
    cities: cities(`
      Milano;Milan;Mailand|MI|201|45.4642|9.1900|02
      Torino;Turin|TO|101|45.0703|7.6869|011
      Bologna|BO|401|44.4949|11.3426|051
      Brescia|BS|251|45.5416|10.2118|030
      Bergamo|BG|241|45.6983|9.6773|035
      Verona|VR|371|45.4384|10.9916|045
      Padova;Padua|PD|351|45.4064|11.8768|049
      Vicenza|VI|361|45.5455|11.5354|0444
      Modena|MO|411|44.6471|10.9252|059
      Firenze;Florence;Florenz|FI|501|43.7696|11.2558|055
      Roma;Rome;Rom|RM|001|41.9028|12.4964|06
      Napoli;Naples;Neapel|NA|801|40.8518|14.2681|081
      Genova;Genoa;Genua|GE|161|44.4056|8.9463|010
      Reggio Emilia;Reggio nell'Emilia|RE|421|44.6989|10.6297|0522
    `),
  },
  {
    code: 'NL', alpha3: 'NLD', en: 'Netherlands', local: 'Nederland',
    others: ['The Netherlands', 'Holland', 'Niederlande', 'Pays-Bas', 'Paesi Bassi', 'Holandia', 'Países Bajos'],
    language: 'nl', weight: 6, currency: 'EUR', tld: 'nl',
    phone: { cc: '31', trunk: '0', nsn: [9, 9], mobile: ['6'], mobileNsn: 9, grouping: null },
    postalTemplate: 'NNNN LL', gs1: ['870', '871', '872', '873', '875', '879'],
    legalForms: [
      lf('B.V.', 'Besloten Vennootschap', 85, 'BV', 'B.V', 'b.v.'),
      lf('N.V.', 'Naamloze Vennootschap', 15, 'NV', 'N.V'),
    ],
    cities: cities(`
      Amsterdam|NH|10|52.3676|4.9041|20
      Rotterdam|ZH|30|51.9244|4.4777|10
      Den Haag;The Hague;'s-Gravenhage|ZH|25|52.0705|4.3007|70
      Utrecht|UT|35|52.0907|5.1214|30
      Eindhoven|NB|56|51.4416|5.4697|40
      Tilburg|NB|50|51.5555|5.0913|13
      Groningen|GR|97|53.2194|6.5665|50
      Enschede|OV|75|52.2215|6.8937|53
      Nijmegen|GE|65|51.8126|5.8372|24
      Breda|NB|48|51.5719|4.7683|76
      Apeldoorn|GE|73|52.2112|5.9699|55
      Venlo|LI|59|51.3704|6.1724|77
    `),
  },
  {
    code: 'PL', alpha3: 'POL', en: 'Poland', local: 'Polska',
    others: ['Polen', 'Pologne', 'Polonia', 'Republic of Poland'],
    language: 'pl', weight: 7, currency: 'PLN', tld: 'pl',
    phone: { cc: '48', trunk: '', nsn: [9, 9], mobile: ['501', '601', '691', '721', '790', '882'], mobileNsn: 9, grouping: [3, 2, 2] },
    postalTemplate: 'NN-NNN', gs1: ['590'],
    legalForms: [
      lf('Sp. z o.o.', 'Spółka z ograniczoną odpowiedzialnością', 75, 'sp. z o.o.', 'Sp. z o. o.', 'Spółka z o.o.', 'Sp.z o.o.'),
      lf('S.A.', 'Spółka Akcyjna', 15, 'SA', 'S.A'),
      lf('Sp.k.', 'Spółka komandytowa', 10, 'sp. k.', 'Sp. k.'),
    ],
    cities: cities(`
      Warszawa;Warsaw;Warschau|MZ|02|52.2297|21.0122|22
      Kraków;Krakow;Cracow;Krakau|MA|30|50.0647|19.9450|12
      Wrocław;Wroclaw;Breslau|DS|50|51.1079|17.0385|71
      Poznań;Poznan;Posen|WP|60|52.4064|16.9252|61
      Gdańsk;Gdansk;Danzig|PM|80|54.3520|18.6466|58
      Łódź;Lodz|LD|90|51.7592|19.4560|42
      Katowice;Kattowitz|SL|40|50.2649|19.0238|32
      Bydgoszcz|KP|85|53.1235|18.0084|52
      Lublin|LU|20|51.2465|22.5684|81
      Szczecin;Stettin|ZP|70|53.4285|14.5528|91
      Bielsko-Biała;Bielsko-Biala|SL|43|49.8224|19.0584|33
      Rzeszów;Rzeszow|PK|35|50.0412|21.9991|17
    `),
  },
  {
    code: 'JP', alpha3: 'JPN', en: 'Japan', local: 'Nippon',
    others: ['Nihon', 'Japon', 'Giappone', 'Japonia', 'Japón', '日本'],
    language: 'ja', weight: 6, currency: 'JPY', tld: 'co.jp',
    phone: { cc: '81', trunk: '0', nsn: [9, 9], mobile: ['90', '80', '70'], mobileNsn: 10, grouping: [4, 4] },
    postalTemplate: 'NNN-NNNN', gs1: ['450', '451', '453', '456', '490', '491'],
    legalForms: [
      lf('K.K.', 'Kabushiki Kaisha', 55, 'KK', 'Co., Ltd.', 'Corporation'),
      lf('Co., Ltd.', 'Kabushiki Kaisha', 35, 'Co.,Ltd.', 'Co. Ltd.', 'K.K.'),
      lf('G.K.', 'Godo Kaisha', 10, 'GK', 'LLC'),
    ],
    cities: cities(`
      Tokyo;Tōkyō;Tokio|Tokyo|105|35.6762|139.6503|3
      Osaka;Ōsaka|Osaka|530|34.6937|135.5023|6
      Nagoya|Aichi|450|35.1815|136.9066|52
      Yokohama|Kanagawa|220|35.4437|139.6380|45
      Kobe;Kōbe|Hyogo|650|34.6901|135.1955|78
      Hamamatsu|Shizuoka|430|34.7108|137.7261|53
      Kyoto;Kyōto|Kyoto|600|35.0116|135.7681|75
      Fukuoka|Fukuoka|810|33.5904|130.4017|92
      Kawasaki|Kanagawa|210|35.5308|139.7029|44
      Sapporo|Hokkaido|060|43.0618|141.3545|11
      Hiroshima|Hiroshima|730|34.3853|132.4553|82
    `),
  },
  {
    code: 'AT', alpha3: 'AUT', en: 'Austria', local: 'Österreich',
    others: ['Oesterreich', 'Autriche', 'Oostenrijk', 'Austria', 'Republik Österreich'],
    language: 'de', weight: 4, currency: 'EUR', tld: 'at',
    phone: { cc: '43', trunk: '0', nsn: [9, 11], mobile: ['664', '676', '650', '699'], mobileNsn: 11, grouping: null },
    postalTemplate: 'NNNN', gs1: ['900', '901', '904', '906', '909', '911'],
    legalForms: [
      lf('GmbH', 'Gesellschaft mit beschränkter Haftung', 65, 'Ges.m.b.H.', 'GesmbH', 'G.m.b.H.'),
      lf('AG', 'Aktiengesellschaft', 12, 'A.G.'),
      lf('GmbH & Co KG', 'Gesellschaft mit beschränkter Haftung & Co Kommanditgesellschaft', 13, 'GmbH & Co. KG', 'Ges.m.b.H. & Co KG'),
      lf('KG', 'Kommanditgesellschaft', 10, 'K.G.'),
    ],
    cities: cities(`
      Wien;Vienna;Vienne|W|1|48.2082|16.3738|1
      Linz|OÖ|40|48.3069|14.2858|732
      Graz|ST|80|47.0707|15.4395|316
      Salzburg|S|50|47.8095|13.0550|662
      Steyr|OÖ|44|48.0427|14.4213|7252
      Wels|OÖ|46|48.1575|14.0289|7242
    `),
  },
  {
    code: 'CH', alpha3: 'CHE', en: 'Switzerland', local: 'Schweiz',
    others: ['Suisse', 'Svizzera', 'Zwitserland', 'Szwajcaria', 'Suiza', 'Confoederatio Helvetica', 'CH'],
    language: 'de', weight: 3, currency: 'CHF', tld: 'ch',
    phone: { cc: '41', trunk: '0', nsn: [9, 9], mobile: ['76', '77', '78', '79'], mobileNsn: 9, grouping: [3, 2, 2] },
    postalTemplate: 'NNNN', gs1: ['760', '761', '762', '764', '766', '768'],
    legalForms: [
      lf('AG', 'Aktiengesellschaft', 60, 'A.G.', 'SA'),
      lf('GmbH', 'Gesellschaft mit beschränkter Haftung', 30, 'Sàrl', 'G.m.b.H.'),
      lf('SA', 'Société anonyme', 10, 'S.A.', 'AG'),
    ],
    cities: cities(`
      Zürich;Zurich;Zuerich|ZH|80|47.3769|8.5417|44
      Basel;Bâle;Basle|BS|40|47.5596|7.5886|61
      Winterthur|ZH|84|47.4988|8.7237|52
      Bern;Berne|BE|30|46.9480|7.4474|31
      Genève;Geneva;Genf;Geneve|GE|12|46.2044|6.1432|22
      St. Gallen;Sankt Gallen;St Gallen|SG|90|47.4245|9.3767|71
    `),
  },
  {
    code: 'ES', alpha3: 'ESP', en: 'Spain', local: 'España',
    others: ['Espana', 'Spanien', 'Espagne', 'Spagna', 'Spanje', 'Hiszpania', 'Reino de España'],
    language: 'es', weight: 3, currency: 'EUR', tld: 'es',
    phone: { cc: '34', trunk: '', nsn: [9, 9], mobile: ['600', '610', '620', '655', '677', '699'], mobileNsn: 9, grouping: [3, 3] },
    postalTemplate: 'NNNNN', gs1: ['840', '841', '842', '843', '845', '848'],
    legalForms: [
      lf('S.L.', 'Sociedad Limitada', 70, 'SL', 'S.L.U.', 'Sociedad de Responsabilidad Limitada'),
      lf('S.A.', 'Sociedad Anónima', 30, 'SA', 'S.A'),
    ],
    cities: cities(`
      Madrid|MD|28|40.4168|-3.7038|91
      Barcelona|CT|08|41.3874|2.1686|93
      Valencia;València|VC|46|39.4699|-0.3763|96
      Bilbao;Bilbo|PV|48|43.2630|-2.9350|94
      Zaragoza;Saragossa|AR|50|41.6488|-0.8891|976
      Sevilla;Seville|AN|41|37.3891|-5.9845|95
    `),
  },
  {
    code: 'SE', alpha3: 'SWE', en: 'Sweden', local: 'Sverige',
    others: ['Schweden', 'Suède', 'Svezia', 'Zweden', 'Szwecja', 'Suecia'],
    language: 'sv', weight: 2, currency: 'SEK', tld: 'se',
    phone: { cc: '46', trunk: '0', nsn: [9, 9], mobile: ['70', '72', '73', '76'], mobileNsn: 9, grouping: null },
    postalTemplate: 'NNN NN', gs1: ['730', '731', '732', '733', '735', '739'],
    legalForms: [lf('AB', 'Aktiebolag', 100, 'Aktiebolaget', 'Ab', '(publ) AB')],
    cities: cities(`
      Stockholm|AB|111|59.3293|18.0686|8
      Göteborg;Gothenburg;Goteborg|O|411|57.7089|11.9746|31
      Malmö;Malmo;Malmoe|M|211|55.6050|13.0038|40
      Västerås;Vasteras|U|722|59.6099|16.5448|21
      Linköping;Linkoping|E|582|58.4108|15.6214|13
      Jönköping;Jonkoping|F|553|57.7826|14.1618|36
    `),
  },
];

/**
 * All country profiles, in a fixed order.
 *
 * @example
 * ```ts
 * COUNTRIES.find((c) => c.code === 'DE')?.legalForms[0].short // 'GmbH'
 * ```
 */
export const COUNTRIES: readonly CountryProfile[] = PROFILES.map((p) => ({
  ...p,
  legalFormCumulative: cumulate(p.legalForms.map((l) => l.weight)),
}));

const COUNTRY_CUMULATIVE = cumulate(COUNTRIES.map((c) => c.weight));

/**
 * Draws a country by its weight.
 *
 * @example
 * ```ts
 * pickCountry(new Rng(1)).code // e.g. 'DE'
 * ```
 */
export function pickCountry(rng: Rng): CountryProfile {
  return COUNTRIES[rng.weightedIndex(COUNTRY_CUMULATIVE)];
}

/**
 * The profile for an alpha-2 code.
 *
 * @example
 * ```ts
 * countryByCode('JP').phone.cc // '81'
 * ```
 */
export function countryByCode(code: string): CountryProfile {
  const c = COUNTRIES.find((x) => x.code === code);
  if (!c) throw new Error(`unknown country ${code}`);
  return c;
}

/**
 * Draws a legal form of the country by weight.
 *
 * @example
 * ```ts
 * pickLegalForm(new Rng(1), countryByCode('IT')).short // 'S.r.l.' most of the time
 * ```
 */
export function pickLegalForm(rng: Rng, country: CountryProfile): LegalForm {
  return country.legalForms[rng.weightedIndex(country.legalFormCumulative)];
}
