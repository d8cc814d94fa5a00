import { describe, expect, it } from 'vitest';
import { jaro, jaroWinkler } from './jaro-winkler';
import { mulberry32, randomInt } from '../scoring/random';

// Winkler (1994), "Advanced methods for record linkage", string comparator table.
const PUBLISHED: [string, string, number, number][] = [
  ['SHACKLEFORD', 'SHACKELFORD', 0.97, 0.982],
  ['DUNNINGHAM', 'CUNNIGHAM', 0.896, 0.896],
  ['NICHLESON', 'NICHULSON', 0.926, 0.956],
  ['JONES', 'JOHNSON', 0.79, 0.832],
  ['MASSEY', 'MASSIE', 0.889, 0.933],
  ['ABROMS', 'ABRAMS', 0.889, 0.922],
  ['JERALDINE', 'GERALDINE', 0.926, 0.926],
  ['MARHTA', 'MARTHA', 0.944, 0.961],
  ['MICHELLE', 'MICHAEL', 0.869, 0.921],
  ['JULIES', 'JULIUS', 0.889, 0.933],
  ['TANYA', 'TONYA', 0.867, 0.88],
  ['DWAYNE', 'DUANE', 0.822, 0.84],
  ['SEAN', 'SUSAN', 0.783, 0.805],
  ['JON', 'JOHN', 0.917, 0.933],
  ['JON', 'JAN', 0.778, 0.8],
  ['DIXON', 'DICKSONX', 0.767, 0.813],
];

/** Textbook Jaro with arrays, to cross-check the buffered implementation. */
function referenceJaro(s: string, t: string): number {
  if (s === t) return 1;
  if (!s.length || !t.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(s.length, t.length) / 2) - 1);
  const sm = new Array(s.length).fill(false);
  const tm = new Array(t.length).fill(false);
  let matches = 0;
  for (let i = 0; i < s.length; i++) {
    for (let j = Math.max(0, i - window); j < Math.min(t.length, i + window + 1); j++) {
      if (!tm[j] && s[i] === t[j]) {
        sm[i] = tm[j] = true;
        matches++;
        break;
      }
    }
  }
  if (!matches) return 0;
  const a = [...s].filter((_, i) => sm[i]);
  const b = [...t].filter((_, j) => tm[j]);
  const half = a.filter((c, i) => c !== b[i]).length;
  return (matches / s.length + matches / t.length + (matches - Math.floor(half / 2)) / matches) / 3;
}

describe('jaroWinkler', () => {
  it.each(PUBLISHED)('%s / %s matches the published Jaro and Jaro-Winkler values', (a, b, j, jw) => {
    expect(jaro(a, b)).toBeCloseTo(j, 3);
    expect(jaroWinkler(a, b)).toBeCloseTo(jw, 3);
  });

  it('is 1 for equal strings, 0 with nothing in common or an empty side', () => {
    expect(jaroWinkler('ACME', 'ACME')).toBe(1);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
    expect(jaroWinkler('', 'ABC')).toBe(0);
    expect(jaroWinkler('', '')).toBe(1);
  });

  it('agrees with a textbook implementation and is symmetric on random strings', () => {
    const next = mulberry32(11);
    const alphabet = 'abcdeé';
    const word = () => Array.from({ length: 1 + randomInt(next, 40) }, () => alphabet[randomInt(next, 6)]).join('');
    for (let k = 0; k < 4000; k++) {
      const a = word();
      const b = word();
      expect(jaro(a, b)).toBeCloseTo(referenceJaro(a, b), 12);
      expect(jaroWinkler(a, b)).toBeCloseTo(jaroWinkler(b, a), 12);
    }
  });

  it('handles characters beyond Latin-1 and strings of 32 code units and more', () => {
    const pairs: [string, string][] = [
      ['łódź', 'lodz'],
      ['ΑΘΗΝΑ', 'ΑΘΗΝΑΙ'],
      ['müller', 'mueller'],
      ['a'.repeat(31) + 'b', 'a'.repeat(30) + 'ba'],
      ['abcdefghijklmnopqrstuvwxyz012345', 'bacdefghijklmnopqrstuvwxyz012354'],
      ['abcdefghijklmnopqrstuvwxyz0123456', 'abcdefghijklmnopqrstuvwxyz012345'],
    ];
    for (const [a, b] of pairs) {
      expect(jaro(a, b)).toBeCloseTo(referenceJaro(a, b), 12);
      expect(jaro(b, a)).toBeCloseTo(referenceJaro(b, a), 12);
    }
  });

  it('handles strings longer than the initial buffers', () => {
    const a = 'x'.repeat(300) + 'abc';
    const b = 'x'.repeat(300) + 'acb';
    expect(jaro(a, b)).toBeCloseTo(referenceJaro(a, b), 12);
  });

  it('boosts only above the threshold and only for a shared prefix', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeGreaterThan(jaro('MARTHA', 'MARHTA'));
    expect(jaroWinkler('XMARTHA', 'YMARHTA')).toBe(jaro('XMARTHA', 'YMARHTA'));
  });
});
