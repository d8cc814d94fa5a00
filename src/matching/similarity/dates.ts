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
  if (a.year === b.year) {
    return a.day !== a.month && a.day === b.month && a.month === b.day;
  }
  if (a.month !== b.month || a.day !== b.day) return false;
  return isYearTypo(a.year, b.year);
}

function isYearTypo(a: number, b: number): boolean {
  const x = String(a).padStart(4, '0');
  const y = String(b).padStart(4, '0');
  if (x.length !== y.length) return false;
  const diffs: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) diffs.push(i);
  if (diffs.length === 1) return true;
  return (
    diffs.length === 2 && diffs[1] === diffs[0] + 1 && x[diffs[0]] === y[diffs[1]] && x[diffs[1]] === y[diffs[0]]
  );
}
