/**
 * A minimal 5-field cron matcher (minute hour day-of-month month day-of-week, UTC) and the sync
 * scheduler that `mdm serve` runs: each configured schedule fires its source's full or delta sync;
 * a source never runs twice at once (a tick that finds it running is skipped).
 *
 * Fields take `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, and lists `a,b`; months and
 * weekdays also take names (`jan`, `mon`); weekday 0 and 7 are Sunday. As in classic cron, when
 * both day-of-month and day-of-week are restricted a day matching either fires.
 *
 * @example
 * ```ts
 * cronMatches(parseCron('*\/5 * * * *'), new Date('2026-03-01T10:15:00Z')); // true
 * const scheduler = startScheduler(database, config);
 * await scheduler.stop();
 * ```
 */
import type { Database } from '../db/database';
import { logger as defaultLogger, type Logger } from '../core/logger';
import type { SourceConfig, SourcesConfig } from './sources-config';

export interface CronSpec {
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
  text: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

function parseField(text: string, name: string, min: number, max: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  const value = (v: string): number => {
    const i = names?.indexOf(v.toLowerCase()) ?? -1;
    if (i >= 0) return i + (names === MONTHS ? 1 : 0);
    if (!/^\d+$/.test(v)) throw new Error(`cron ${name} "${v}" is not a number`);
    return Number(v);
  };
  for (const part of text.split(',')) {
    const m = /^([^/]+)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new Error(`cron ${name} "${part}" is not valid`);
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new Error(`cron ${name} step must be at least 1`);
    let lo: number;
    let hi: number;
    if (m[1] === '*') {
      lo = min;
      hi = max;
    } else if (m[1].includes('-')) {
      const [a, b] = m[1].split('-');
      lo = value(a);
      hi = value(b);
    } else {
      lo = value(m[1]);
      hi = m[2] === undefined ? lo : max;
    }
    if (lo < min || hi > max || lo > hi) throw new Error(`cron ${name} "${part}" is out of range ${min}-${max}`);
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses a 5-field cron expression; throws an Error saying which field is wrong. */
export function parseCron(text: string): CronSpec {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5) throw new Error(`cron "${text}" must have 5 fields (minute hour day-of-month month day-of-week)`);
  const dayOfWeek = parseField(fields[4], 'day-of-week', 0, 7, DAYS);
  if (dayOfWeek.has(7)) dayOfWeek.add(0);
  return {
    minute: parseField(fields[0], 'minute', 0, 59),
    hour: parseField(fields[1], 'hour', 0, 23),
    dayOfMonth: parseField(fields[2], 'day-of-month', 1, 31),
    month: parseField(fields[3], 'month', 1, 12, MONTHS),
    dayOfWeek,
    domRestricted: fields[2] !== '*',
    dowRestricted: fields[4] !== '*',
    text,
  };
}

/** Whether the minute of `date` (UTC) matches. */
export function cronMatches(spec: CronSpec, date: Date): boolean {
  if (!spec.minute.has(date.getUTCMinutes()) || !spec.hour.has(date.getUTCHours()) || !spec.month.has(date.getUTCMonth() + 1)) return false;
  const dom = spec.dayOfMonth.has(date.getUTCDate());
  const dow = spec.dayOfWeek.has(date.getUTCDay());
  if (spec.domRestricted && spec.dowRestricted) return dom || dow;
  return dom && dow;
}

/** The next minute strictly after `after` that matches (searches up to ~4 years), or null. */
export function nextCronTime(spec: CronSpec, after: Date): Date | null {
  const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
  for (let i = 0; i < 4 * 366 * 24 * 60; i++) {
    if (cronMatches(spec, t)) return t;
    t.setTime(t.getTime() + 60_000);
  }
  return null;
}

export type SyncRunner = (database: Database, source: SourceConfig, mode: 'full' | 'delta') => Promise<unknown>;

export interface SchedulerOptions {
  /** Runs one sync (default: `syncSource` from the sync service). */
  run?: SyncRunner;
  logger?: Logger;
  now?: () => Date;
}

export interface Scheduler {
  /** Runs what is due at `now` (the timer calls this once per minute; tests call it directly). */
  tick(now?: Date): Promise<void>;
  /** Names of the sources with a sync in progress. */
  running(): string[];
  /** Stops the timer and waits for running syncs to end. */
  stop(): Promise<void>;
}

/**
 * Starts the schedules of every configured source. A full and a delta due in the same minute run
 * as one full sync; a source whose previous sync still runs is skipped until the next due time.
 */
export function startScheduler(database: Database, config: SourcesConfig, options: SchedulerOptions = {}): Scheduler {
  const log = options.logger ?? defaultLogger;
  const now = options.now ?? (() => new Date());
  const run: SyncRunner =
    options.run ??
    (async (db, source, mode) => {
      const { syncSource } = await import('./sync.service');
      return syncSource(db, source, { mode });
    });
  const plans = config.sources.map((source) => ({ source, schedules: source.schedules.map((s) => ({ mode: s.mode, spec: parseCron(s.cron) })) }));
  const inflight = new Map<string, Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const tick = async (at: Date = now()): Promise<void> => {
    const started: Promise<void>[] = [];
    for (const plan of plans) {
      const due = plan.schedules.filter((s) => cronMatches(s.spec, at));
      if (due.length === 0) continue;
      const mode = due.some((s) => s.mode === 'full') ? 'full' : 'delta';
      const name = plan.source.name;
      if (inflight.has(name)) {
        log.warn({ source: name, mode }, 'sync skipped: the previous sync of this source is still running');
        continue;
      }
      const p = (async () => {
        const t0 = Date.now();
        try {
          await run(database, plan.source, mode);
          log.info({ source: name, mode, ms: Date.now() - t0 }, 'scheduled sync finished');
        } catch (error) {
          log.error({ source: name, mode, error: (error as Error).message }, 'scheduled sync failed');
        } finally {
          inflight.delete(name);
        }
      })();
      inflight.set(name, p);
      started.push(p);
    }
    await Promise.resolve();
  };

  const arm = () => {
    if (stopped) return;
    const ms = 60_000 - (now().getTime() % 60_000);
    timer = setTimeout(() => {
      void tick(now());
      arm();
    }, ms);
    timer.unref?.();
  };
  if (plans.some((p) => p.schedules.length > 0)) arm();

  return {
    tick,
    running: () => [...inflight.keys()],
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.all([...inflight.values()]);
    },
  };
}
