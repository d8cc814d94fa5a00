/**
 * Dates from the shapes found in ERP, CRM and field-service exports,
 * normalized to ISO `YYYY-MM-DD`.
 *
 * Resolution order for the ambiguous numeric forms:
 * 1. year first (ISO `2024-03-05`, `2024/03/05`, `2024.03.05`, `20240305`);
 * 2. dotted day-first (`05.03.2024`, `5.3.24`): dots are only used day-first;
 * 3. slashed or dashed `a/b/yyyy`: day-first (`05/03/2024` is 5 March) unless
 *    that is impossible (`12/31/2024`), then US month-first. With
 *    `{ order: 'mdy' }` (a source known to be US) month-first is tried first.
 *
 * Times and zone offsets after an ISO date are ignored: the calendar date is
 * taken as written. Two-digit years are read 00-49 -> 2000-2049 and
 * 50-99 -> 1950-1999. Month names are understood in English, German, French,
 * Italian, Spanish and Dutch ("5 March 2024", "March 5, 2024",
 * "05-MAR-2024", "5. März 2024", "1er janvier 2024", "5 de marzo de 2024"). .NET JSON dates `/Date(ms)/` and
 * `/Date(ms+hhmm)/` are converted in their stated offset (UTC without one).
 *
 * @module
 */
import { fold, toText, type Raw } from './text';

/** Options of {@link isoDate}. */
export interface DateOptions {
  /** Preferred order for `a/b/yyyy`: day-first (default) or month-first. */
  order?: 'dmy' | 'mdy';
}

const MONTHS: ReadonlyMap<string, number> = (() => {
  const names: ReadonlyArray<readonly string[]> = [
    ['january', 'jan', 'januar', 'jaenner', 'janvier', 'janv', 'gennaio', 'gen', 'enero', 'ene', 'januari'],
    ['february', 'feb', 'februar', 'feber', 'fevrier', 'fevr', 'fev', 'febbraio', 'febrero', 'februari'],
    ['march', 'mar', 'maerz', 'marz', 'mrz', 'mars', 'marzo', 'maart', 'mrt'],
    ['april', 'apr', 'avril', 'avr', 'aprile', 'abril', 'abr'],
    ['may', 'mai', 'maggio', 'mag', 'mayo', 'mei'],
    ['june', 'jun', 'juni', 'juin', 'giugno', 'giu', 'junio'],
    ['july', 'jul', 'juli', 'juillet', 'juil', 'luglio', 'lug', 'julio'],
    ['august', 'aug', 'aout', 'agosto', 'ago', 'augustus'],
    ['september', 'sep', 'sept', 'septembre', 'settembre', 'set', 'septiembre'],
    ['october', 'oct', 'oktober', 'okt', 'octobre', 'ottobre', 'ott', 'octubre', 'oktober'],
    ['november', 'nov', 'novembre', 'noviembre'],
    ['december', 'dec', 'dezember', 'dez', 'decembre', 'dicembre', 'dic', 'diciembre'],
  ];
  const m = new Map<string, number>();
  names.forEach((list, i) => {
    for (const n of list) if (!m.has(n)) m.set(n, i + 1);
  });
  return m;
})();

const DOTNET_RE = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/;
const YMD_RE = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[T\s])/;
const YMD_COMPACT_RE = /^(\d{4})(\d{2})(\d{2})(?:$|T\d)/;
const DMY_DOT_RE = /^(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4}|\d{2})(?:$|\s)/;
const AMBIGUOUS_RE = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4}|\d{2})(?:$|[T\s])/;
const DAY_MONTH_NAME_RE = /^(\d{1,2})(?:er|st|nd|rd|th)?\.?[\s-]*([a-z]+)\.?[\s,-]*(\d{4}|\d{2})(?:$|[t\s])/;
/** Spanish/Portuguese "5 de marzo de 2024". */
const DE_RE = /\s(?:de|del)\s/g;
const MONTH_NAME_DAY_RE = /^([a-z]+)\.?\s*(\d{1,2})(?:st|nd|rd|th)?\.?,?\s*(\d{4})(?:$|[t\s])/;
const MS_PER_MINUTE = 60_000;

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  return n;
}

/** `YYYY-MM-DD` if the triple is a real calendar date in years 1000-9999, else `null`. */
function ymd(year: number, month: number, day: number): string | null {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

function fromEpochMs(ms: number, offsetMinutes: number): string | null {
  const d = new Date(ms + offsetMinutes * MS_PER_MINUTE);
  if (Number.isNaN(d.getTime())) return null;
  return ymd(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * Parses a date to ISO `YYYY-MM-DD`, or `null` when the value is missing,
 * not a date, or not a real calendar date (e.g. 31 April). See the module
 * notes for the accepted shapes and how ambiguity is resolved.
 *
 * Numbers are read as `YYYYMMDD` when they have 8 digits and as epoch
 * milliseconds from 1e11 on; `Date` objects give their UTC date.
 *
 * @example
 * ```ts
 * isoDate('2024-03-05T23:30:00+01:00')  // '2024-03-05'
 * isoDate('20240305')                   // '2024-03-05'
 * isoDate('05.03.2024')                 // '2024-03-05'
 * isoDate('05/03/2024')                 // '2024-03-05'  (day-first)
 * isoDate('12/31/2024')                 // '2024-12-31'  (only US order is possible)
 * isoDate('03/05/2024', { order: 'mdy' }) // '2024-03-05'
 * isoDate('/Date(1709596800000)/')      // '2024-03-05'
 * isoDate('5. März 2024')               // '2024-03-05'
 * isoDate('2024-02-30')                 // null
 * ```
 */
export function isoDate(value: Raw | Date, options?: DateOptions): string | null {
  if (value instanceof Date) {
    const t = value.getTime();
    return Number.isNaN(t) ? null : fromEpochMs(t, 0);
  }
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return null;
    if (value >= 10_000_000 && value <= 99_999_999) {
      const s = String(value);
      return ymd(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)));
    }
    return Math.abs(value) >= 1e11 ? fromEpochMs(value, 0) : null;
  }
  const text = toText(value);
  if (text === null) return null;

  let m = DOTNET_RE.exec(text);
  if (m) {
    let offset = 0;
    if (m[2] !== undefined) {
      const sign = m[2][0] === '-' ? -1 : 1;
      offset = sign * (Number(m[2].slice(1, 3)) * 60 + Number(m[2].slice(3, 5)));
    }
    return fromEpochMs(Number(m[1]), offset);
  }

  m = YMD_RE.exec(text) ?? YMD_COMPACT_RE.exec(text);
  if (m) return ymd(Number(m[1]), Number(m[2]), Number(m[3]));

  m = DMY_DOT_RE.exec(text);
  if (m) return ymd(fullYear(m[3]), Number(m[2]), Number(m[1]));

  m = AMBIGUOUS_RE.exec(text);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    const y = fullYear(m[3]);
    return options?.order === 'mdy' ? (ymd(y, a, b) ?? ymd(y, b, a)) : (ymd(y, b, a) ?? ymd(y, a, b));
  }

  const f = fold(text).replace(DE_RE, ' ');
  m = DAY_MONTH_NAME_RE.exec(f);
  if (m) {
    const month = MONTHS.get(m[2]);
    return month === undefined ? null : ymd(fullYear(m[3]), month, Number(m[1]));
  }
  m = MONTH_NAME_DAY_RE.exec(f);
  if (m) {
    const month = MONTHS.get(m[1]);
    return month === undefined ? null : ymd(Number(m[3]), month, Number(m[2]));
  }
  return null;
}
