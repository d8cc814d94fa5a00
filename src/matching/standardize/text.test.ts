import { describe, it, expect } from 'vitest';
import { foldDiacritics, fold, collapseWhitespace, stripPunctuation, normalizeText, tokenize, toText } from './text';

describe('foldDiacritics', () => {
  it.each([
    ['Müller', 'Muller'],
    ['Ångström', 'Angstrom'],
    ['Crème brûlée', 'Creme brulee'],
    ['Niño', 'Nino'],
    ['Dvořák', 'Dvorak'],
    ['Straße', 'Strasse'],
    ['GROẞE', 'GROSSE'],
    ['Æsir', 'AEsir'],
    ['encyclopædia', 'encyclopaedia'],
    ['Søren Kierkegaard', 'Soren Kierkegaard'],
    ['Łódź', 'Lodz'],
    ['Đorđević', 'Dordevic'],
    ['Œuvre cœur', 'OEuvre coeur'],
    ['Þór', 'THor'],
    ['Íslandsbanki', 'Islandsbanki'],
    ['İstanbul', 'Istanbul'],
    ['ﬁnance', 'finance'],
    ['ＡＢＣ１２３', 'ABC123'],
  ])('%s -> %s', (input, expected) => {
    expect(foldDiacritics(input)).toBe(expected);
  });

  it('expands German umlauts on request, precomposed or decomposed', () => {
    expect(foldDiacritics('Müller', { germanUmlauts: true })).toBe('Mueller');
    expect(foldDiacritics('Mu\u0308ller', { germanUmlauts: true })).toBe('Mueller');
    expect(foldDiacritics('ÄÖÜ äöü', { germanUmlauts: true })).toBe('AeOeUe aeoeue');
    // Diaeresis on other letters is not an umlaut.
    expect(foldDiacritics('Noël Citroën', { germanUmlauts: true })).toBe('Noel Citroen');
  });

  it('returns ASCII input unchanged and keeps non-Latin scripts intact', () => {
    expect(foldDiacritics('plain ascii 123')).toBe('plain ascii 123');
    expect(foldDiacritics('ブリヂストン')).toBe('ブリヂストン');
    expect(foldDiacritics('삼성전자')).toBe('삼성전자');
    expect(foldDiacritics('हिन्दी')).toBe('हिन्दी');
  });
});

describe('fold (canonical)', () => {
  it('makes Müller and Mueller identical and Muller one edit away', () => {
    expect(fold('Müller')).toBe('mueller');
    expect(fold('Mueller')).toBe('mueller');
    expect(fold('MÜLLER')).toBe('mueller');
    expect(fold('Muller')).toBe('muller');
  });
  it('lowercases and folds other diacritics', () => {
    expect(fold('ÉCOLE Française')).toBe('ecole francaise');
    expect(fold('Größe')).toBe('groesse');
  });
});

describe('collapseWhitespace / stripPunctuation / normalizeText / tokenize', () => {
  it('collapses all kinds of whitespace', () => {
    expect(collapseWhitespace('  Acme \u00a0  Corp\t\n')).toBe('Acme Corp');
    expect(collapseWhitespace('a\u3000b')).toBe('a b');
    expect(collapseWhitespace('   ')).toBe('');
  });
  it('deletes apostrophes and turns other punctuation into spaces', () => {
    expect(stripPunctuation("O'Brien & Sons, Inc.")).toBe('OBrien Sons Inc');
    expect(stripPunctuation('O’Neil')).toBe('ONeil');
    expect(stripPunctuation('Hans-Peter')).toBe('Hans Peter');
    expect(stripPunctuation('a/b\\c|d')).toBe('a b c d');
    expect(stripPunctuation('«quoted» „text“')).toBe('quoted text');
    expect(stripPunctuation('!!!')).toBe('');
  });
  it('normalizes and tokenizes', () => {
    expect(normalizeText('  Müller-Lüdenscheidt, Dr. ')).toBe('mueller luedenscheidt dr');
    expect(tokenize('Gebr. Müller & Söhne')).toEqual(['gebr', 'mueller', 'soehne']);
    expect(tokenize(' -- ')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });
});

describe('toText', () => {
  it('trims strings and stringifies finite numbers', () => {
    expect(toText('  abc ')).toBe('abc');
    expect(toText(1067)).toBe('1067');
    expect(toText(0)).toBe('0');
  });
  it('returns null for missing, blank and non-finite values', () => {
    expect(toText('   ')).toBeNull();
    expect(toText('')).toBeNull();
    expect(toText(null)).toBeNull();
    expect(toText(undefined)).toBeNull();
    expect(toText(Number.NaN)).toBeNull();
    expect(toText(Number.POSITIVE_INFINITY)).toBeNull();
  });
});
