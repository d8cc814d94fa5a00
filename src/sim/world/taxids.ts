/**
 * Tax identifiers per country with valid check structure (EU VAT numbers, Swiss UID, US EIN,
 * Japanese corporate number), DUNS numbers, and their formatting noise. Every number is derived
 * from a unique entity index (offset by the world's seed) through a bijection, so two
 * organizations of one world never share one.
 */
import {
  iso7064Mod11_10,
  luhnCheckDigit,
  luhnChecksum,
  modDigits,
  weightedSum,
} from './checkdigits';
import type { CountryProfile } from './countries';
import { groupDigits } from './noise';
import { affinePermutation, type Rng } from './random';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

const perm7 = affinePermutation(1e7, 7);
const perm8 = affinePermutation(1e8, 8);
const perm9e7 = affinePermutation(9e7, 9);
const perm9 = affinePermutation(1e9, 10);
const permDuns = affinePermutation(1e9, 11);

/** Picks the last digit of `body` so that `check(body + d)` is acceptable (not the invalid "10"). */
function completeWith(body: string, ok: (candidate: string) => boolean): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = body + d;
    if (ok(candidate)) return candidate;
  }
  throw new Error(`no completion for ${body}`);
}

const NL_WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2];
const PL_WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7];
const GB_WEIGHTS = [8, 7, 6, 5, 4, 3, 2];
const CH_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4];
const US_EIN_PREFIXES = ['10', '12', '20', '22', '26', '27', '30', '35', '36', '38', '41', '45', '46', '51', '54', '56', '61', '74', '82', '83', '86', '88', '91', '93', '98'];

function esCifControl(digits7: string): number {
  let sum = 0;
  for (let i = 0; i < 7; i++) {
    const d = digits7.charCodeAt(i) - 48;
    if (i % 2 === 1) sum += d;
    else {
      const x = d * 2;
      sum += x > 9 ? x - 9 : x;
    }
  }
  return (10 - (sum % 10)) % 10;
}

function jpCorporateCheck(base12: string): number {
  let sum = 0;
  for (let n = 1; n <= 12; n++) {
    const p = base12.charCodeAt(12 - n) - 48;
    sum += p * (n % 2 === 1 ? 1 : 2);
  }
  return 9 - (sum % 9);
}

/**
 * The tax id of organization number `index` in `country`, in its compact canonical form
 * (`DE136695976`, `ATU13585627`, `FR61954506077`, `IT01212120016`, `NL004495445B01`,
 * `PL8567346215`, `GB…`, `BE0…`, `ESB…`, `SE…01`, `CHE-123.456.789 MWST`, US EIN `12-3456789`,
 * JP qualified-invoice number `T` + 13 digits).
 *
 * @example
 * ```ts
 * taxIdFor(countryByCode('DE'), 17, worldSeed) // 'DE' + 9 digits passing ISO 7064 Mod 11,10
 * ```
 */
export function taxIdFor(country: CountryProfile, index: number, salt = 0): string {
  const i = index + salt;
  switch (country.code) {
    case 'DE': {
      const body = String(10_000_000 + perm9e7(i));
      return `DE${body}${iso7064Mod11_10(body)}`;
    }
    case 'AT': {
      const body = pad(perm7(i), 7);
      return `ATU${body}${(6 - luhnChecksum(body) + 10) % 10}`;
    }
    case 'FR': {
      const siren8 = pad(perm8(i), 8);
      const siren = siren8 + luhnCheckDigit(siren8);
      const key = (12 + 3 * (Number(siren) % 97)) % 97;
      return `FR${pad(key, 2)}${siren}`;
    }
    case 'IT': {
      const office = pad(1 + (index % 100), 3);
      const body = pad(perm7(i), 7) + office;
      return `IT${body}${luhnCheckDigit(body)}`;
    }
    case 'NL': {
      const nine = completeWith(pad(perm7(i), 7), (c) => weightedSum(c, NL_WEIGHTS) % 11 !== 10);
      return `NL${nine}${weightedSum(nine, NL_WEIGHTS) % 11}B01`;
    }
    case 'PL': {
      const nine = completeWith(String(1 + (index % 9)) + pad(perm7(i), 7), (c) => weightedSum(c, PL_WEIGHTS) % 11 !== 10);
      return `PL${nine}${weightedSum(nine, PL_WEIGHTS) % 11}`;
    }
    case 'GB': {
      const body = pad(perm7(i), 7);
      const check = (97 - (weightedSum(body, GB_WEIGHTS) % 97)) % 97;
      return `GB${body}${pad(check, 2)}`;
    }
    case 'BE': {
      const first8 = `0${pad(perm7(i), 7)}`;
      return `BE${first8}${pad(97 - modDigits(first8, 97), 2)}`;
    }
    case 'ES': {
      const body = pad(perm7(i), 7);
      return `ESB${body}${esCifControl(body)}`;
    }
    case 'SE': {
      const nine = `55${pad(perm7(i), 7)}`;
      return `SE${nine}${luhnCheckDigit(nine)}01`;
    }
    case 'CH': {
      const eight = completeWith(pad(perm7(i), 7), (c) => (11 - (weightedSum(c, CH_WEIGHTS) % 11)) % 11 !== 10);
      const check = (11 - (weightedSum(eight, CH_WEIGHTS) % 11)) % 11;
      const nine = eight + check;
      return `CHE-${nine.slice(0, 3)}.${nine.slice(3, 6)}.${nine.slice(6)} MWST`;
    }
    case 'US':
      return `${US_EIN_PREFIXES[index % US_EIN_PREFIXES.length]}-${pad(perm7(i), 7)}`;
    case 'JP': {
      const base = `010${pad(perm9(i), 9)}`;
      return `T${jpCorporateCheck(base)}${base}`;
    }
    default:
      throw new Error(`no tax id format for ${country.code}`);
  }
}

/**
 * The DUNS number of organization number `index` (9 digits, never the placeholders).
 *
 * @example
 * ```ts
 * dunsFor(3, worldSeed) // e.g. '315508226'
 * ```
 */
export function dunsFor(index: number, salt = 0): string {
  const n = permDuns(index + salt);
  return n === 0 || n === 999_999_999 ? pad((n + 123_456_789) % 1e9, 9) : pad(n, 9);
}

/**
 * A tax id as typed in another system: without the country prefix, with spaces or dots, lower case.
 *
 * @example
 * ```ts
 * taxIdVariant(rng, 'DE136695976') // e.g. 'DE 136 695 976' or '136695976'
 * ```
 */
export function taxIdVariant(rng: Rng, taxId: string): string {
  if (taxId.startsWith('CHE')) return rng.pick([taxId.replace(/[-.]/g, ''), taxId.replace(' MWST', ''), taxId.replace('MWST', 'TVA')]);
  if (taxId.startsWith('T')) return rng.chance(0.5) ? taxId.slice(1) : `T ${groupDigits(taxId.slice(1), 4, '-')}`;
  const m = /^([A-Z]{2})([A-Z]?)(\d+)(.*)$/.exec(taxId);
  if (!m) return taxId.replace('-', rng.pick(['', ' ']));
  const [, prefix, letter, digits, rest] = m;
  switch (rng.int(4)) {
    case 0:
      return `${letter}${digits}${rest}`;
    case 1:
      return `${prefix} ${letter}${groupDigits(digits, 3)}${rest}`;
    case 2:
      return taxId.toLowerCase();
    default:
      return `${prefix}${letter}${groupDigits(digits, 3, '.')}${rest}`;
  }
}

/**
 * DUNS as written with dashes (`NN-NNN-NNNN`).
 *
 * @example
 * ```ts
 * dunsVariant('006273905') // '00-627-3905'
 * ```
 */
export function dunsVariant(duns: string): string {
  return `${duns.slice(0, 2)}-${duns.slice(2, 5)}-${duns.slice(5)}`;
}
