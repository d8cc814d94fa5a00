/**
 * Check-digit algorithms for the identifiers the world issues (GS1 GTIN/GLN, Luhn, ISO 7064,
 * and the national VAT checks used in `taxids.ts`). Algorithms follow the published rules
 * summarized in `shared/reference/source-systems.md` section 4.
 */

function digitsOf(s: string): number[] {
  const out: number[] = new Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) - 48;
  return out;
}

/**
 * GS1 mod-10 check digit for the data digits of a GTIN-8/12/13/14 or GLN (without the check digit):
 * weights 3,1,3,1,… from the rightmost data digit.
 *
 * @example
 * ```ts
 * gs1CheckDigit('400638133393') // 1  (GTIN 4006381333931)
 * ```
 */
export function gs1CheckDigit(data: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = data.length - 1; i >= 0; i--) {
    sum += (data.charCodeAt(i) - 48) * weight;
    weight = weight === 3 ? 1 : 3;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * True when `code` is all digits, of a GS1 length (8, 12, 13, 14) and its last digit is the GS1 check digit.
 *
 * @example
 * ```ts
 * isValidGs1('4012345000009') // true (a GLN)
 * ```
 */
export function isValidGs1(code: string): boolean {
  if (!/^\d+$/.test(code) || ![8, 12, 13, 14].includes(code.length)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/**
 * Appends the GS1 check digit.
 *
 * @example
 * ```ts
 * withGs1Check('401234500000') // '4012345000009'
 * ```
 */
export function withGs1Check(data: string): string {
  return data + String(gs1CheckDigit(data));
}

/**
 * Luhn checksum of a digit string (0 = valid when the string includes its check digit).
 *
 * @example
 * ```ts
 * luhnChecksum('79927398713') // 0
 * ```
 */
export function luhnChecksum(number: string): number {
  const d = digitsOf(number);
  let sum = 0;
  for (let i = d.length - 1, pos = 0; i >= 0; i--, pos++) {
    if (pos % 2 === 0) sum += d[i];
    else {
      const x = d[i] * 2;
      sum += x > 9 ? x - 9 : x;
    }
  }
  return sum % 10;
}

/**
 * The Luhn check digit to append to `number`.
 *
 * @example
 * ```ts
 * luhnCheckDigit('7992739871') // 3
 * ```
 */
export function luhnCheckDigit(number: string): number {
  return (10 - luhnChecksum(number + '0')) % 10;
}

/**
 * ISO 7064 Mod 11,10 check digit (German VAT numbers).
 *
 * @example
 * ```ts
 * iso7064Mod11_10('13669597') // 6  (DE136695976)
 * ```
 */
export function iso7064Mod11_10(number: string): number {
  let p = 10;
  for (let i = 0; i < number.length; i++) {
    let s = (number.charCodeAt(i) - 48 + p) % 10;
    if (s === 0) s = 10;
    p = (2 * s) % 11;
  }
  return (11 - p) % 10;
}

/**
 * Weighted sum of digits (`weights[i]` × digit i).
 *
 * @example
 * ```ts
 * weightedSum('123', [3, 2, 1]) // 10
 * ```
 */
export function weightedSum(number: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += (number.charCodeAt(i) - 48) * weights[i];
  return sum;
}

/**
 * Big-number remainder of a digit string (for mod-97 checks on long numbers).
 *
 * @example
 * ```ts
 * modDigits('0403019261', 97) // 0403019261 mod 97
 * ```
 */
export function modDigits(number: string, m: number): number {
  let r = 0;
  for (let i = 0; i < number.length; i++) r = (r * 10 + (number.charCodeAt(i) - 48)) % m;
  return r;
}
