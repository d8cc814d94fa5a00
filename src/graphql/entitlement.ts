import { plainValue } from './pii';

/** Contract statuses that never entitle, whatever the dates say (compared in lower case). */
export const INACTIVE_CONTRACT_STATUSES: readonly string[] = ['cancelled', 'canceled', 'terminated', 'expired', 'inactive', 'void', 'draft', 'suspended', 'closed'];

export interface CoverageVerdict {
  active: boolean;
  startDate: string | null;
  endDate: string | null;
  status: string | null;
  serviceLevel: string | null;
  /** Why the contract does or does not cover the date, in words. */
  reason: string;
}

function isoDay(value: unknown): string | null {
  const v = plainValue(value);
  if (typeof v !== 'string') return null;
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(v.trim());
  return m ? m[1] : null;
}

function textOf(value: unknown): string | null {
  const v = plainValue(value);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/**
 * Whether a contract's golden attributes cover a day (`YYYY-MM-DD`): its status is not an
 * inactive one (see `INACTIVE_CONTRACT_STATUSES`), it has started (startDate <= day; a missing
 * start counts as started) and not ended (endDate >= day; a missing end is open-ended).
 *
 * @example
 * ```ts
 * contractCovers({ startDate: '2025-01-01', endDate: '2027-12-31' }, '2026-03-01').active // true
 * contractCovers({ startDate: '2021-01-01', endDate: '2023-12-31' }, '2026-03-01').reason // 'ended on 2023-12-31'
 * ```
 */
export function contractCovers(attributes: Record<string, unknown>, day: string): CoverageVerdict {
  const startDate = isoDay(attributes.startDate);
  const endDate = isoDay(attributes.endDate);
  const status = textOf(attributes.status);
  const serviceLevel = textOf(attributes.serviceLevel);
  const base = { startDate, endDate, status, serviceLevel };
  if (status && INACTIVE_CONTRACT_STATUSES.includes(status.toLowerCase())) return { ...base, active: false, reason: `status is ${status}` };
  if (startDate && startDate > day) return { ...base, active: false, reason: `starts on ${startDate}` };
  if (endDate && endDate < day) return { ...base, active: false, reason: `ended on ${endDate}` };
  return { ...base, active: true, reason: endDate ? `active until ${endDate}` : 'active, open-ended' };
}
