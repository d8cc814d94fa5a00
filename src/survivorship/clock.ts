/**
 * The source of "now" for the pure survivorship layer. Trust decay depends on the age of a value,
 * so time is passed in rather than read from the system: tests and replays use a fixed clock.
 *
 * @example
 * ```ts
 * const clock = fixedClock('2026-03-01T00:00:00Z');
 * clock.now().toISOString(); // '2026-03-01T00:00:00.000Z'
 * surviveGoldenRecord(records, config, [], systemClock);
 * ```
 */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock stopped at one instant.
 *
 * @example
 * ```ts
 * fixedClock(new Date(0)).now().getTime(); // 0
 * ```
 */
export function fixedClock(at: string | Date): Clock {
  const ms = typeof at === 'string' ? Date.parse(at) : at.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`fixedClock: "${String(at)}" is not a date (expected ISO-8601)`);
  return { now: () => new Date(ms) };
}
