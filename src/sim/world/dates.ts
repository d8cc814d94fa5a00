/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC), without `Date` objects on the
 * hot path (Howard Hinnant's civil-from-days algorithm). The world's dates are day numbers; they
 * become ISO strings only when a record is written.
 */

/**
 * Day number of a civil date.
 *
 * @example
 * ```ts
 * daysFromCivil(1970, 1, 2) // 1
 * ```
 */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * Civil date `[year, month, day]` of a day number.
 *
 * @example
 * ```ts
 * civilFromDays(0) // [1970, 1, 1]
 * ```
 */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [era * 400 + yoe + (m <= 2 ? 1 : 0), m, d];
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * `YYYY-MM-DD` of a civil date.
 *
 * @example
 * ```ts
 * formatIsoDate(2024, 5, 7) // '2024-05-07'
 * ```
 */
export function formatIsoDate(y: number, m: number, d: number): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/**
 * `YYYY-MM-DD` of a day number.
 *
 * @example
 * ```ts
 * isoDate(19860) // '2024-05-17'
 * ```
 */
export function isoDate(days: number): string {
  const [y, m, d] = civilFromDays(days);
  return formatIsoDate(y, m, d);
}

/**
 * ISO-8601 UTC timestamp (`YYYY-MM-DDTHH:MM:SSZ`) of seconds since the epoch.
 *
 * @example
 * ```ts
 * isoTimestamp(0) // '1970-01-01T00:00:00Z'
 * ```
 */
export function isoTimestamp(seconds: number): string {
  const days = Math.floor(seconds / 86400);
  let rest = seconds - days * 86400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const mi = Math.floor(rest / 60);
  const s = Math.floor(rest - mi * 60);
  return `${isoDate(days)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}Z`;
}

/**
 * Day number of a `YYYY-MM-DD` string.
 *
 * @example
 * ```ts
 * daysOfIso('1970-01-11') // 10
 * ```
 */
export function daysOfIso(iso: string): number {
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}
