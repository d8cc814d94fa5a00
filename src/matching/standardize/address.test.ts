import { describe, it, expect } from 'vitest';
import { streetAddress, houseNumber, postalCode, postalArea } from './address';

const street = (value: string, country?: string) => streetAddress(value, { country })?.street;

describe('streetAddress: house number extraction', () => {
  it.each([
    ['Industriestr. 12a', 'industriestrasse', '12a'],
    ['Industriestraße 12 a', 'industriestrasse', '12a'],
    ['Industriestrasse 12A', 'industriestrasse', '12a'],
    ['Hauptstr.12', 'hauptstrasse', '12'],
    ['Hauptstraße 12-14', 'hauptstrasse', '12-14'],
    ['Hauptstraße 12 - 14', 'hauptstrasse', '12-14'],
    ['Straße des 17. Juni 135', 'strasse des 17 juni', '135'],
    ['12 Main St', 'main street', '12'],
    ['12a Main St', 'main street', '12a'],
    ['1600 Pennsylvania Ave NW', 'pennsylvania avenue northwest', '1600'],
    ['12 N Main St Ste 100', 'north main street suite 100', '12'],
    ['Via Roma, 5', 'via roma', '5'],
    ['Via Roma n. 5', 'via roma', '5'],
    ['Via Roma 5/B', 'via roma', '5/b'],
    ['ul. Długa 5/7', 'dluga', '5/7'],
    ['12 rue de la Paix', 'rue de la paix', '12'],
    ['12 bis rue de la Paix', 'rue de la paix', '12bis'],
    ['Calle Mayor, 5', 'calle mayor', '5'],
    ['Kalverstraat 92', 'kalverstraat', '92'],
    ['Hauptstraße Nr. 7', 'hauptstrasse', '7'],
  ])('%s -> %s / %s', (input, expectedStreet, expectedNumber) => {
    expect(streetAddress(input)).toEqual({ street: expectedStreet, houseNumber: expectedNumber });
  });

  it('leaves road numbers and ordinal street names alone', () => {
    expect(streetAddress('Route 66')).toEqual({ street: 'route 66', houseNumber: null });
    expect(streetAddress('5th Avenue')).toEqual({ street: '5th avenue', houseNumber: null });
    expect(streetAddress('Flughafenstraße')).toEqual({ street: 'flughafenstrasse', houseNumber: null });
  });

  it('prefers a separately stored house number', () => {
    expect(streetAddress('Hauptstr.', { houseNumber: '12 a' })).toEqual({ street: 'hauptstrasse', houseNumber: '12a' });
    expect(streetAddress('Hauptstr. 3', { houseNumber: '12' })).toEqual({ street: 'hauptstrasse', houseNumber: '12' });
    expect(streetAddress(null, { houseNumber: '12' })).toEqual({ street: '', houseNumber: '12' });
  });

  it('returns a bare number as house number', () => {
    expect(streetAddress('12')).toEqual({ street: '', houseNumber: '12' });
    expect(streetAddress('Nr. 5')).toEqual({ street: '', houseNumber: '5' });
  });

  it('returns null for empty and garbage input', () => {
    expect(streetAddress(null)).toBeNull();
    expect(streetAddress(undefined)).toBeNull();
    expect(streetAddress('')).toBeNull();
    expect(streetAddress('  ,. - ')).toBeNull();
  });
});

describe('streetAddress: German', () => {
  it.each([
    ['Hauptstraße 1', 'hauptstrasse'],
    ['Hauptstrasse 1', 'hauptstrasse'],
    ['Hauptstr. 1', 'hauptstrasse'],
    ['Hauptstr 1', 'hauptstrasse'],
    ['HAUPTSTR. 1', 'hauptstrasse'],
    ['Haupt-Straße 1', 'hauptstrasse'],
    ['Haupt Str. 1', 'hauptstrasse'],
    ['Berliner Straße 1', 'berlinerstrasse'],
    ['Berliner Str. 1', 'berlinerstrasse'],
    ['Karl-Marx-Str. 5', 'karl marxstrasse'],
    ['Karl Marx Straße 5', 'karl marxstrasse'],
    ['Gartenweg 3', 'gartenweg'],
    ['Garten-Weg 3', 'gartenweg'],
    ['Marienplatz 1', 'marienplatz'],
    ['Marien Pl. 1', 'marienplatz'],
    ['Lindenallee 4', 'lindenallee'],
    ['Linden-Allee 4', 'lindenallee'],
    ['Mittlerer Ring 8', 'mittlererring'],
    ['Am Ring 3', 'am ring'],
    ['Mühlgasse 2', 'muehlgasse'],
    ['Muehlgasse 2', 'muehlgasse'],
  ])('%s -> %s', (input, expected) => {
    expect(street(input, 'DE')).toBe(expected);
  });

  it('expands "Str." to strasse without a country too', () => {
    expect(street('Industriestr. 5')).toBe('industriestrasse');
    expect(street('Pl. 5', 'DE')).toBe('platz');
  });
});

describe('streetAddress: English', () => {
  it.each([
    ['12 Main Street', '12 Main St.'],
    ['12 Main Street', '12 Main St'],
    ['12 Oak Avenue', '12 Oak Ave'],
    ['12 Oak Avenue', '12 Oak Av.'],
    ['12 Mill Road', '12 Mill Rd'],
    ['12 Sunset Boulevard', '12 Sunset Blvd'],
    ['12 Lake Drive', '12 Lake Dr'],
    ['12 Elm Lane', '12 Elm Ln'],
    ['12 King Court', '12 King Ct'],
    ['12 Park Place', '12 Park Pl'],
    ['12 Pacific Coast Highway', '12 Pacific Coast Hwy'],
    ['12 Garden State Parkway', '12 Garden State Pkwy'],
    ['12 Main Street Suite 4', '12 Main St Ste 4'],
    ['12 North Main Street', '12 N Main St'],
    ['12 South Main Street', '12 S. Main St.'],
    ['12 East Main Street', '12 E Main St'],
    ['12 West Main Street', '12 W Main St'],
  ])('%s == %s', (full, abbreviated) => {
    expect(streetAddress(abbreviated, { country: 'US' })).toEqual(streetAddress(full, { country: 'US' }));
    expect(streetAddress(abbreviated, { country: 'US' })?.houseNumber).toBe('12');
  });

  it('reads a leading "St" as saint', () => {
    expect(street("St. Mary's Rd 5", 'GB')).toBe('saint marys road');
    expect(street('12 Main St', 'GB')).toBe('main street');
  });
});

describe('streetAddress: French, Italian, Dutch, Polish, Spanish', () => {
  it.each([
    ['12 Rue de la Paix', '12 rue de la Paix', 'FR'],
    ['10 Avenue des Champs-Élysées', '10 Av. des Champs-Elysées', 'FR'],
    ['5 Boulevard Haussmann', '5 Bd Haussmann', 'FR'],
    ['3 Chemin des Vignes', '3 Ch. des Vignes', 'FR'],
    ['1 Place Vendôme', '1 Pl. Vendôme', 'FR'],
    ['Via Roma 5', 'V. Roma 5', 'IT'],
    ['Viale Monza 12', 'V.le Monza 12', 'IT'],
    ['Piazza Garibaldi 3', 'P.za Garibaldi 3', 'IT'],
    ['Piazza Garibaldi 3', 'P.zza Garibaldi 3', 'IT'],
    ['Corso Buenos Aires 33', 'C.so Buenos Aires 33', 'IT'],
    ['Dorpsstraat 5', 'Dorpsstr. 5', 'NL'],
    ['Dorpsstraat 5', 'Dorps Straat 5', 'NL'],
    ['Stationsweg 5', 'Stations Weg 5', 'NL'],
    ['Beukenlaan 5', 'Beuken Laan 5', 'NL'],
    ['Marktplein 1', 'Markt Plein 1', 'NL'],
    ['Prinsengracht 263', 'Prinsen Gracht 263', 'NL'],
    ['Długa 5', 'ul. Długa 5', 'PL'],
    ['Długa 5', 'ulica Długa 5', 'PL'],
    ['aleja Jerozolimskie 123', 'al. Jerozolimskie 123', 'PL'],
    ['plac Defilad 1', 'pl. Defilad 1', 'PL'],
    ['Calle Mayor 5', 'C/ Mayor 5', 'ES'],
    ['Calle Mayor 5', 'C/Mayor, 5', 'ES'],
    ['Avenida Diagonal 640', 'Avda. Diagonal 640', 'ES'],
  ])('%s == %s (%s)', (full, abbreviated, country) => {
    const a = streetAddress(full, { country });
    expect(a).not.toBeNull();
    expect(streetAddress(abbreviated, { country })).toEqual(a);
  });

  it('produces the expected canonical words', () => {
    expect(street('V.le Monza 12')).toBe('viale monza');
    expect(street('P.za Duomo 1')).toBe('piazza duomo');
    expect(street('C.so Italia 1')).toBe('corso italia');
    expect(street('Kalverstr. 12', 'NL')).toBe('kalverstraat');
    expect(street('Kalverstr. 12', 'DE')).toBe('kalverstrasse');
    expect(street('pl. Defilad 1', 'PL')).toBe('plac defilad');
    expect(street('1 Pl. Vendôme', 'FR')).toBe('place vendome');
    expect(street('Av. Diagonal 640', 'ES')).toBe('avenida diagonal');
    expect(street('Rue du Rhône 5', 'CH')).toBe('rue du rhone');
  });
});

describe('houseNumber', () => {
  it.each([
    ['12 a', '12a'], ['12A', '12a'], ['12 - 14', '12-14'], ['12-14', '12-14'], ['5/7', '5/7'], ['5 / 7', '5/7'],
    ['Nr. 5', '5'], ['No. 5', '5'], ['#5', '5'], ['n° 5', '5'], [' 0012 ', '0012'], ['12bis', '12bis'],
  ])('%s -> %s', (input, expected) => {
    expect(houseNumber(input)).toBe(expected);
  });
  it('accepts numbers and rejects values without a digit', () => {
    expect(houseNumber(12)).toBe('12');
    expect(houseNumber('s/n')).toBeNull();
    expect(houseNumber('o. Nr.')).toBeNull();
    expect(houseNumber('')).toBeNull();
    expect(houseNumber(null)).toBeNull();
  });
});

describe('postalCode', () => {
  it.each([
    ['80331', 'DE', '80331', '80331'],
    ['01067', 'DE', '01067', '01067'],
    ['1067', 'DE', '01067', '01067'],
    ['D-80331', 'DE', '80331', '80331'],
    ['DE-80331', 'Deutschland', '80331', '80331'],
    ['SW1A 1AA', 'GB', 'SW1A 1AA', 'SW1A 1AA'],
    ['sw1a1aa', 'GB', 'SW1A 1AA', 'SW1A 1AA'],
    ['SW1A  1AA', 'United Kingdom', 'SW1A 1AA', 'SW1A 1AA'],
    ['M1 1AE', 'GB', 'M1 1AE', 'M1 1AE'],
    ['1234 AB', 'NL', '1234AB', '1234AB'],
    ['1234ab', 'NL', '1234AB', '1234AB'],
    ['NL-1234 AB', 'NL', '1234AB', '1234AB'],
    ['12345-6789', 'US', '12345', '12345-6789'],
    ['123456789', 'US', '12345', '12345-6789'],
    ['02134', 'US', '02134', '02134'],
    ['2134', 'US', '02134', '02134'],
    ['00-950', 'PL', '00-950', '00-950'],
    ['00950', 'PL', '00-950', '00-950'],
    ['1010', 'AT', '1010', '1010'],
    ['A-1010', 'AT', '1010', '1010'],
    ['CH-8001', 'CH', '8001', '8001'],
    ['75001', 'FR', '75001', '75001'],
    ['F-75001', 'FR', '75001', '75001'],
    ['00100', 'IT', '00100', '00100'],
    ['114 55', 'SE', '11455', '11455'],
    ['0150', 'NO', '0150', '0150'],
    ['1000-001', 'PT', '1000-001', '1000-001'],
    ['〒100-0001', 'JP', '100-0001', '100-0001'],
    ['1000001', 'JP', '100-0001', '100-0001'],
    ['k1a0b1', 'CA', 'K1A 0B1', 'K1A 0B1'],
    ['D02X285', 'IE', 'D02 X285', 'D02 X285'],
    ['01310-100', 'BR', '01310-100', '01310-100'],
  ])('%s (%s) -> %s', (input, country, code, full) => {
    expect(postalCode(input, country)).toEqual({ postalCode: code, full, valid: true });
  });

  it('marks codes that do not fit the country format', () => {
    expect(postalCode('123', 'DE')).toEqual({ postalCode: '123', full: '123', valid: false });
    expect(postalCode('1234', 'NL')).toEqual({ postalCode: '1234', full: '1234', valid: false });
    expect(postalCode('ABC 123', 'GB')).toEqual({ postalCode: 'ABC123', full: 'ABC123', valid: false });
  });

  it('normalizes without a country', () => {
    expect(postalCode(' 80331 ')).toEqual({ postalCode: '80331', full: '80331', valid: true });
    expect(postalCode('sw1a 1aa')).toEqual({ postalCode: 'SW1A1AA', full: 'SW1A1AA', valid: true });
    expect(postalCode('D-80331')).toEqual({ postalCode: '80331', full: '80331', valid: true });
    expect(postalCode(80331)).toEqual({ postalCode: '80331', full: '80331', valid: true });
  });

  it('returns null without a digit', () => {
    expect(postalCode('N/A', 'DE')).toBeNull();
    expect(postalCode('-')).toBeNull();
    expect(postalCode('unknown')).toBeNull();
    expect(postalCode('')).toBeNull();
    expect(postalCode(null)).toBeNull();
  });
});

describe('postalArea', () => {
  it.each([
    ['80331', 'DE', '80'],
    ['1067', 'DE', '01'],
    ['SW1A 1AA', 'GB', 'SW1A'],
    ['M1 1AE', 'GB', 'M1'],
    ['94105-1234', 'US', '941'],
    ['1234 AB', 'NL', '12'],
    ['75008', 'FR', '75'],
    ['00-950', 'PL', '00'],
    ['K1A 0B1', 'CA', 'K1A'],
    ['100-0001', 'JP', '100'],
    ['80331', undefined, '803'],
  ])('%s (%s) -> %s', (input, country, expected) => {
    expect(postalArea(input, country)).toBe(expected);
  });
  it('returns null without a usable code', () => {
    expect(postalArea('n/a', 'DE')).toBeNull();
    expect(postalArea(null, 'DE')).toBeNull();
  });
});
