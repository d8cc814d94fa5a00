/** A calendar date split into parts, with its day number since 1970-01-01 for differences. */
export interface DateParts {
  year: number;
  month: number;
  day: number;
  /** Days since 1970-01-01 (UTC). */
  days: number;
}

const MS_PER_DAY = 86_400_000;

/**
 * Parse `YYYY-MM-DD` (or `YYYYMMDD`) into parts; null when malformed or not a real date.
 *
 * @example
 * ```ts
 * parseDate('1980-02-29') // { year: 1980, month: 2, day: 29, days: 3711 }
 * parseDate('1981-02-29') // null
 * ```
 */
export function parseDate(value: string): DateParts | null {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})/.exec(value);
  if (!match) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  const time = Date.UTC(year, month - 1, day);
  const check = new Date(time);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return { year, month, day, days: Math.round(time / MS_PER_DAY) };
}

/**
 * A date as one integer, year * 10000 + month * 100 + day (e.g. 19800301), cheap to store and compare.
 *
 * @example
 * ```ts
 * packDate(parseDate('1980-03-01')!) // 19800301
 * ```
 */
export function packDate(date: DateParts): number {
  return date.year * 10000 + date.month * 100 + date.day;
}

/**
 * Whether two dates differ only by a common keying error: day and month swapped (same year), or
 * same day and month with a year that has one digit changed or two adjacent digits swapped.
 *
 * @example
 * ```ts
 * isDateTransposed(parseDate('1980-03-04')!, parseDate('1980-04-03')!) // true
 * isDateTransposed(parseDate('1985-03-04')!, parseDate('1958-03-04')!) // true: adjacent digits swapped
 * isDateTransposed(parseDate('1980-03-04')!, parseDate('1991-03-04')!) // false: two digits changed
 * ```
 */
export function isDateTransposed(a: DateParts, b: DateParts): boolean {
  return isPackedDateTransposed(packDate(a), packDate(b));
}

/**
 * `isDateTransposed` on packed dates (see `packDate`).
 *
 * @example
 * ```ts
 * isPackedDateTransposed(19800304, 19800403) // true
 * ```
 */
export function isPackedDateTransposed(a: number, b: number): boolean {
  const yearA = Math.floor(a / 10000);
  const yearB = Math.floor(b / 10000);
  const monthA = Math.floor(a / 100) % 100;
  const monthB = Math.floor(b / 100) % 100;
  const dayA = a % 100;
  const dayB = b % 100;
  if (yearA === yearB) return dayA !== monthA && dayA === monthB && monthA === dayB;
  if (monthA !== monthB || dayA !== dayB) return false;
  return isYearTypo(yearA, yearB);
}

/** One of four digits changed, or two adjacent digits swapped. */
function isYearTypo(a: number, b: number): boolean {
  if (a < 0 || b < 0 || a > 9999 || b > 9999) return false;
  let first = -1;
  let second = -1;
  let count = 0;
  for (let i = 0, x = a, y = b; i < 4; i++, x = Math.floor(x / 10), y = Math.floor(y / 10)) {
    if (x % 10 === y % 10) continue;
    count++;
    if (count === 1) first = i;
    else if (count === 2) second = i;
    else return false;
  }
  if (count === 1) return true;
  if (count !== 2 || second !== first + 1) return false;
  const digit = (n: number, i: number) => Math.floor(n / 10 ** i) % 10;
  return digit(a, first) === digit(b, second) && digit(a, second) === digit(b, first);
}
