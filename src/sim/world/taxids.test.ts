import { describe, expect, it } from 'vitest';
import { iso7064Mod11_10, luhnChecksum, modDigits, weightedSum } from './checkdigits';
import { COUNTRIES } from './countries';
import { dunsFor, dunsVariant, taxIdFor } from './taxids';

/** Validators written from the published rules (shared/reference/source-systems.md section 4). */
const VALID: Record<string, (id: string) => boolean> = {
  DE: (id) => /^DE[1-9]\d{8}$/.test(id) && iso7064Mod11_10(id.slice(2, 10)) === Number(id[10]),
  AT: (id) => /^ATU\d{8}$/.test(id) && (6 - luhnChecksum(id.slice(3, 10)) + 10) % 10 === Number(id[10]),
  FR: (id) => {
    if (!/^FR\d{11}$/.test(id)) return false;
    const siren = id.slice(4);
    return luhnChecksum(siren) === 0 && (12 + 3 * (Number(siren) % 97)) % 97 === Number(id.slice(2, 4));
  },
  IT: (id) => /^IT\d{11}$/.test(id) && luhnChecksum(id.slice(2)) === 0,
  NL: (id) => /^NL\d{9}B\d{2}$/.test(id) && weightedSum(id.slice(2, 11), [9, 8, 7, 6, 5, 4, 3, 2, -1]) % 11 === 0,
  PL: (id) => /^PL\d{10}$/.test(id) && weightedSum(id.slice(2, 11), [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 === Number(id[11]),
  GB: (id) => /^GB\d{9}$/.test(id) && (weightedSum(id.slice(2, 9), [8, 7, 6, 5, 4, 3, 2]) + Number(id.slice(9))) % 97 === 0,
  BE: (id) => /^BE[01]\d{9}$/.test(id) && 97 - modDigits(id.slice(2, 10), 97) === Number(id.slice(10)),
  ES: (id) => {
    if (!/^ES[AB]\d{8}$/.test(id)) return false;
    let sum = 0;
    for (let i = 0; i < 7; i++) {
      const d = Number(id[3 + i]);
      sum += i % 2 === 1 ? d : ((2 * d) % 10) + Math.floor((2 * d) / 10);
    }
    return (10 - (sum % 10)) % 10 === Number(id[10]);
  },
  SE: (id) => /^SE\d{10}01$/.test(id) && luhnChecksum(id.slice(2, 12)) === 0,
  CH: (id) => {
    const m = /^CHE-(\d{3})\.(\d{3})\.(\d{3}) MWST$/.exec(id);
    if (!m) return false;
    const d = m[1] + m[2] + m[3];
    const check = (11 - (weightedSum(d.slice(0, 8), [5, 4, 3, 2, 7, 6, 5, 4]) % 11)) % 11;
    return check !== 10 && check === Number(d[8]);
  },
  US: (id) => /^\d{2}-\d{7}$/.test(id),
  JP: (id) => {
    if (!/^T\d{13}$/.test(id)) return false;
    const base = id.slice(2);
    let sum = 0;
    for (let n = 1; n <= 12; n++) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
    return 9 - (sum % 9) === Number(id[1]);
  },
};

describe('validators', () => {
  it('accept the published sample numbers', () => {
    for (const id of ['DE136695976', 'ATU13585627', 'FR61954506077', 'IT01212120016', 'NL004495445B01', 'PL8567346215', 'BE0403019261']) {
      expect(VALID[id.slice(0, 2)](id), id).toBe(true);
    }
  });
});

describe('taxIdFor', () => {
  it('issues valid, unique tax ids for every country of the world', () => {
    for (const country of COUNTRIES) {
      const seen = new Set<string>();
      for (let i = 0; i < 3000; i++) {
        const id = taxIdFor(country, i, 42);
        expect(VALID[country.code](id), `${country.code} ${id}`).toBe(true);
        seen.add(id);
      }
      expect(seen.size, country.code).toBe(3000);
    }
    // The Belgian format too (not a customer country, but supported).
    expect(VALID.BE(taxIdFor({ ...COUNTRIES[0], code: 'BE' }, 5))).toBe(true);
  });

  it('depends on the world seed', () => {
    const de = COUNTRIES[0];
    expect(taxIdFor(de, 1, 1)).not.toBe(taxIdFor(de, 1, 2));
  });
});

describe('DUNS', () => {
  it('issues unique 9-digit numbers', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const d = dunsFor(i, 7);
      expect(d).toMatch(/^\d{9}$/);
      expect(d).not.toBe('000000000');
      seen.add(d);
    }
    expect(seen.size).toBe(10_000);
    expect(dunsVariant('006273905')).toBe('00-627-3905');
  });
});
