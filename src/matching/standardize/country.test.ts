import { describe, it, expect } from 'vitest';
import { countryCode } from './country';

describe('countryCode: codes', () => {
  it.each([
    ['DE', 'DE'], ['de', 'DE'], [' fr ', 'FR'], ['GB', 'GB'], ['JP', 'JP'], ['ＤＥ', 'DE'],
    ['DEU', 'DE'], ['deu', 'DE'], ['USA', 'US'], ['GBR', 'GB'], ['CHE', 'CH'], ['AUT', 'AT'], ['NLD', 'NL'],
    ['POL', 'PL'], ['JPN', 'JP'],
    ['276', 'DE'], ['840', 'US'], ['040', 'AT'], ['40', 'AT'], ['4', 'AF'], ['756', 'CH'], ['392', 'JP'],
    ['UK', 'GB'], ['EL', 'GR'], ['GER', 'DE'], ['SUI', 'CH'], ['NED', 'NL'],
    ['D', 'DE'], ['A', 'AT'], ['F', 'FR'], ['I', 'IT'],
  ])('%s -> %s', (input, expected) => {
    expect(countryCode(input)).toBe(expected);
  });

  it('accepts numeric values', () => {
    expect(countryCode(276)).toBe('DE');
    expect(countryCode(40)).toBe('AT');
  });
});

describe('countryCode: names', () => {
  // [name, language, expected]
  const names: Array<[string, string, string]> = [
    // English
    ['Germany', 'en', 'DE'], ['United States of America', 'en', 'US'], ['United Kingdom', 'en', 'GB'],
    ['Netherlands', 'en', 'NL'], ['Switzerland', 'en', 'CH'], ['Austria', 'en', 'AT'], ['Japan', 'en', 'JP'],
    ['Poland', 'en', 'PL'], ['France', 'en', 'FR'], ['Czechia', 'en', 'CZ'], ['Russian Federation', 'en', 'RU'],
    ['Korea, Republic of', 'en', 'KR'], ["Côte d'Ivoire", 'en', 'CI'],
    // German
    ['Deutschland', 'de', 'DE'], ['Vereinigte Staaten', 'de', 'US'], ['Vereinigtes Königreich', 'de', 'GB'],
    ['Niederlande', 'de', 'NL'], ['Schweiz', 'de', 'CH'], ['Österreich', 'de', 'AT'], ['Frankreich', 'de', 'FR'],
    ['Polen', 'de', 'PL'], ['Italien', 'de', 'IT'], ['Spanien', 'de', 'ES'], ['Tschechien', 'de', 'CZ'],
    // French
    ['Allemagne', 'fr', 'DE'], ['États-Unis', 'fr', 'US'], ['Royaume-Uni', 'fr', 'GB'], ['Pays-Bas', 'fr', 'NL'],
    ['Suisse', 'fr', 'CH'], ['Autriche', 'fr', 'AT'], ['Italie', 'fr', 'IT'], ['Espagne', 'fr', 'ES'], ['Japon', 'fr', 'JP'],
    // Italian
    ['Germania', 'it', 'DE'], ['Stati Uniti', 'it', 'US'], ['Regno Unito', 'it', 'GB'], ['Paesi Bassi', 'it', 'NL'],
    ['Svizzera', 'it', 'CH'], ['Francia', 'it', 'FR'], ['Giappone', 'it', 'JP'],
    // Spanish
    ['Alemania', 'es', 'DE'], ['Estados Unidos', 'es', 'US'], ['Reino Unido', 'es', 'GB'], ['Países Bajos', 'es', 'NL'],
    ['Suiza', 'es', 'CH'], ['España', 'es', 'ES'], ['Japón', 'es', 'JP'],
    // Dutch
    ['Duitsland', 'nl', 'DE'], ['Verenigde Staten', 'nl', 'US'], ['Verenigd Koninkrijk', 'nl', 'GB'],
    ['Nederland', 'nl', 'NL'], ['Zwitserland', 'nl', 'CH'], ['Oostenrijk', 'nl', 'AT'], ['België', 'nl', 'BE'],
    // Polish
    ['Niemcy', 'pl', 'DE'], ['Stany Zjednoczone', 'pl', 'US'], ['Wielka Brytania', 'pl', 'GB'], ['Holandia', 'pl', 'NL'],
    ['Szwajcaria', 'pl', 'CH'], ['Polska', 'pl', 'PL'], ['Włochy', 'pl', 'IT'], ['Japonia', 'pl', 'JP'],
    // Japanese
    ['ドイツ', 'ja', 'DE'], ['アメリカ合衆国', 'ja', 'US'], ['イギリス', 'ja', 'GB'], ['オランダ', 'ja', 'NL'],
    ['スイス', 'ja', 'CH'], ['日本', 'ja', 'JP'], ['フランス', 'ja', 'FR'],
    // Endonyms from other registered languages
    ['Sverige', 'sv', 'SE'], ['Danmark', 'da', 'DK'], ['Norge', 'nb', 'NO'], ['Suomi', 'fi', 'FI'],
    ['Česko', 'cs', 'CZ'], ['Magyarország', 'hu', 'HU'], ['România', 'ro', 'RO'], ['Ελλάδα', 'el', 'GR'],
    ['Россия', 'ru', 'RU'], ['Türkiye', 'tr', 'TR'], ['中国', 'zh', 'CN'], ['대한민국', 'ko', 'KR'],
    ['Hrvatska', 'hr', 'HR'], ['Slovenija', 'sl', 'SI'], ['Brasil', 'pt', 'BR'],
  ];
  it.each(names)('%s (%s) -> %s', (name, _lang, expected) => {
    expect(countryCode(name)).toBe(expected);
  });

  it.each([
    ['USA', 'US'], ['U.S.A.', 'US'], ['U.S.', 'US'], ['usa', 'US'], ['United States', 'US'], ['America', 'US'],
    ['Deutschland', 'DE'], ['DEUTSCHLAND', 'DE'], ['Federal Republic of Germany', 'DE'],
    ['Bundesrepublik Deutschland', 'DE'], ['BRD', 'DE'],
    ['UK', 'GB'], ['U.K.', 'GB'], ['Great Britain', 'GB'], ['England', 'GB'], ['Scotland', 'GB'], ['Wales', 'GB'],
    ['Großbritannien', 'GB'], ['Grossbritannien', 'GB'],
    ['Holland', 'NL'], ['Nederland', 'NL'], ['The Netherlands', 'NL'], ['the netherlands', 'NL'],
    ['Polska', 'PL'], ['日本', 'JP'], ['日本国', 'JP'], ['Nippon', 'JP'],
    ['Schweiz', 'CH'], ['Suisse', 'CH'], ['Svizzera', 'CH'], ['Confoederatio Helvetica', 'CH'],
    ['Österreich', 'AT'], ['Oesterreich', 'AT'], ['Osterreich', 'AT'], ['OESTERREICH', 'AT'],
    ['  germany  ', 'DE'], ['GERMANY', 'DE'], ['South Korea', 'KR'], ['Ivory Coast', 'CI'], ['UAE', 'AE'],
  ])('variant %s -> %s', (input, expected) => {
    expect(countryCode(input)).toBe(expected);
  });
});

describe('countryCode: no match', () => {
  it.each([[null], [undefined], [''], ['  '], ['XX'], ['ZZZ'], ['999'], ['0'], ['Atlantis'], ['Narnia'], ['Q'], ['-'], ['12345']])(
    '%s -> null',
    (input) => {
      expect(countryCode(input)).toBeNull();
    },
  );
});
