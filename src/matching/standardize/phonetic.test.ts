import { describe, it, expect } from 'vitest';
import { phoneticCodes, nameTokensPhonetic } from './phonetic';

describe('phoneticCodes', () => {
  it.each([
    ['Schmidt', 'XMT', 'SMT'],
    ['smith', 'SM0', 'XMT'],
    ['Müller', 'MLR', 'MLR'],
    ['Catherine', 'K0RN', 'KTRN'],
    ['Xavier', 'SF', 'SFR'],
  ])('%s -> %s / %s', (token, primary, alternate) => {
    expect(phoneticCodes(token)).toEqual({ primary, alternate });
  });

  it.each([
    ['Müller', 'Mueller'], ['Müller', 'Muller'], ['MÜLLER', 'mueller'],
    ['Schmidt', 'Schmitt'], ['Schmidt', 'Schmid'], ['Meyer', 'Maier'], ['Meier', 'Mayer'],
    ['Catherine', 'Kathryn'], ['Stephen', 'Steven'], ['Philipp', 'Filip'], ['Smith', 'Smyth'],
    ['Jürgen', 'Jurgen'], ['Dvořák', 'Dvorak'],
  ])('%s and %s share their codes', (a, b) => {
    expect(phoneticCodes(a)).toEqual(phoneticCodes(b));
  });

  it.each([
    ['Schmidt', 'Müller'], ['Meyer', 'Becker'], ['Thompson', 'Thomas'],
  ])('%s and %s differ', (a, b) => {
    expect(phoneticCodes(a)?.primary).not.toBe(phoneticCodes(b)?.primary);
  });

  it('has the alternate equal to the primary for single-reading tokens', () => {
    expect(phoneticCodes('Meyer')).toEqual({ primary: 'MR', alternate: 'MR' });
  });

  it.each([[''], ['   '], ['4711'], ['日立'], ['---']])('%s -> null', (token) => {
    expect(phoneticCodes(token)).toBeNull();
  });
});

describe('nameTokensPhonetic', () => {
  it('returns distinct codes in token order', () => {
    expect(nameTokensPhonetic(['schmidt', 'schmitt', 'mueller'])).toEqual(['XMT', 'SMT', 'MLR']);
    expect(nameTokensPhonetic(['mueller', 'maschinenbau'])).toEqual(['MLR', 'MXNNP']);
  });

  it('keeps digit-only and non-Latin tokens verbatim, drops empty ones', () => {
    expect(nameTokensPhonetic(['schmitt', 'werk', '3'])).toEqual(['XMT', 'SMT', 'ARK', 'FRK', '3']);
    expect(nameTokensPhonetic(['日立', '製作所'])).toEqual(['日立', '製作所']);
    expect(nameTokensPhonetic(['', '  ', '--'])).toEqual([]);
    expect(nameTokensPhonetic([])).toEqual([]);
  });

  it('gives equal keys for spelling variants of a name', () => {
    expect(nameTokensPhonetic(['Müller', 'Schmidt'])).toEqual(nameTokensPhonetic(['Mueller', 'Schmitt']));
  });
});
