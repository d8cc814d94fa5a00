import { setTimeout as sleep } from 'node:timers/promises';
import { Hono } from 'hono';
import { MigrationError, UsageError } from '../core/errors';
import { logger } from '../core/logger';
import { type Database, isDatabaseUnavailable, openDatabaseFromEnv } from '../db/database';
import { migrateToLatest, migrationsCurrent } from '../db/migrate';

/**
 * Start-up of `mdm serve` on a database that may not be there yet: the PostgreSQL server is
 * tried again with exponential backoff and jitter while it is unreachable (refused, unknown
 * host, timeout, starting up, too many connections), and the process ends at once on what
 * retrying cannot fix (authentication, a missing database, a migration checksum mismatch).
 */

/** First wait between attempts; it doubles up to {@link RETRY_MAX_MS}. */
export const RETRY_FIRST_MS = 500;
export const RETRY_MAX_MS = 10_000;

/** What retrying cannot fix: the message says what is wrong and how to fix it. */
export class DatabaseStartupError extends Error {
  override readonly name = 'DatabaseStartupError';
}

/** Migrations another process applies are not all applied yet. */
class MigrationsPending extends Error {
  constructor() {
    super('migrations not applied yet (the primary process applies them)');
  }
}

/** `host:port/dbname` of a connection string: never the user, the password or the parameters. */
export function databaseTarget(url: string): string {
  try {
    const parsed = new URL(url);
    const db = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || '(default database)';
    return `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}/${db}`;
  } catch {
    return 'postgresql (unparseable DATABASE_URL)';
  }
}

function userOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || '(default user)';
  } catch {
    return '(unknown user)';
  }
}

/** The error's SQLSTATE or system code, looking through wrappers. */
function codeOf(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown; errors?: unknown[] } | undefined, depth = 0; e && typeof e === 'object' && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
    if (Array.isArray(e.errors)) for (const x of e.errors) if (typeof (x as { code?: unknown })?.code === 'string') return (x as { code: string }).code;
  }
  return undefined;
}

/** A short reason for logs and /readyz: the code and the first line of the message, no URL. */
export function shortReason(error: unknown): string {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message.split('\n')[0].slice(0, 160) : String(error).slice(0, 160);
  return code && !message.includes(code) ? `${code} ${message}` : message || code || 'unknown error';
}

/**
 * The reason `/readyz` and the 503 answers give (they need no authentication): a system error's
 * code without the address it names, a server's message, never the connection string.
 */
export function publicReason(error: unknown): string {
  const code = codeOf(error);
  if (code && /^E[A-Z]+$/.test(code)) return code;
  return shortReason(error);
}

/** True when trying again later may succeed (the server is down, starting, full or not resolvable yet). */
export function isRetryableAtStart(error: unknown): boolean {
  if (error instanceof MigrationError || error instanceof DatabaseStartupError) return false;
  return isDatabaseUnavailable(error);
}

/** The error retrying cannot fix, as a message that says what is wrong and how to fix it. */
export function explainFatal(error: unknown, url: string): string {
  const target = databaseTarget(url);
  const code = codeOf(error);
  const reason = shortReason(error);
  if (error instanceof MigrationError) return `cannot start: ${error.message}`;
  if (code === '28P01') return `cannot start: the database server at ${target} refused the password of user "${userOf(url)}" (${reason}): fix the password in DATABASE_URL (percent-encode special characters)`;
  if (code === '28000') return `cannot start: the database server at ${target} refused user "${userOf(url)}" (${reason}): fix the user in DATABASE_URL or allow it in the server's pg_hba.conf`;
  if (code === '3D000') return `cannot start: the database of DATABASE_URL does not exist on ${target} (${reason}): create it (createdb) or fix the database name in DATABASE_URL`;
  if (code === '42501') return `cannot start: user "${userOf(url)}" lacks a privilege on ${target} (${reason}): grant it or use the owner of the database in DATABASE_URL`;
  return `cannot start: the database at ${target} answered an error that retrying cannot fix (${reason}): check DATABASE_URL and the server`;
}

/** The wait before attempt `attempt + 1`: 0.5 s doubling to 10 s, each drawn between half and all of it. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Reads the bound on the wait: `--wait-for-database <seconds>`, else `MDM_WAIT_FOR_DATABASE`;
 * undefined means no bound, 0 means one attempt.
 */
export function parseWaitForDatabase(option: string | undefined, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = option ?? env.MDM_WAIT_FOR_DATABASE;
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`--wait-for-database (or MDM_WAIT_FOR_DATABASE) must be a number of seconds, 0 or more (got "${raw}")`);
  }
  return seconds;
}

export interface StartupProgress {
  /** The database is not reachable yet: why. */
  waiting(reason: string): void;
  /** Connected; migrations are running. */
  migrating(): void;
}

/**
 * Opens the database the environment selects and migrates it, trying a PostgreSQL server again
 * while it is unreachable. Throws {@link DatabaseStartupError} for what retrying cannot fix, for
 * a wait longer than `waitSeconds`, or when `signal` aborts.
 */
export async function openMigratedDatabaseWhenReachable(options: {
  waitSeconds?: number;
  progress?: StartupProgress;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
  /** false: another process migrates; wait until its migrations are applied (a cluster worker). */
  migrate?: boolean;
}): Promise<Database> {
  const env = options.env ?? process.env;
  const url = env.DATABASE_URL || undefined;
  const target = url ? databaseTarget(url) : undefined;
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    let database: Database | undefined;
    try {
      database = await openDatabaseFromEnv(env);
      options.progress?.migrating();
      if (options.migrate === false) {
        if (await migrationsCurrent(database.db).catch(() => false)) return database;
        throw new MigrationsPending();
      }
      const { error } = await migrateToLatest(database.db);
      if (error) throw error instanceof MigrationError || isDatabaseUnavailable(error) ? error : new Error(`migration failed: ${error.message}`);
      return database;
    } catch (error) {
      await database?.close().catch(() => undefined);
      // The embedded database has no server to wait for: its errors are reported as they are.
      if (!url) throw error;
      if (!isRetryableAtStart(error) && !(error instanceof MigrationsPending)) throw new DatabaseStartupError(explainFatal(error, url));
      const reason = shortReason(error);
      const elapsedMs = Date.now() - started;
      const limitMs = options.waitSeconds === undefined ? Infinity : options.waitSeconds * 1000;
      const pending = error instanceof MigrationsPending;
      const remainingMs = limitMs - elapsedMs;
      // The last attempt falls at the bound, not after it.
      const delayMs = Math.min(pending ? RETRY_FIRST_MS : retryDelayMs(attempt), remainingMs);
      if (remainingMs <= 0) {
        const waited = options.waitSeconds === 0 ? 'is unreachable (--wait-for-database 0: no retries)' : `stayed unreachable for ${Math.round(elapsedMs / 1000)} s (--wait-for-database ${options.waitSeconds})`;
        throw new DatabaseStartupError(`cannot start: the database at ${target} ${waited}: ${reason}; start the server or raise --wait-for-database (MDM_WAIT_FOR_DATABASE)`);
      }
      if (pending) {
        options.progress?.migrating();
      } else {
        logger.warn({ attempt, database: target, reason, retryInMs: delayMs }, 'database unreachable at start-up; trying again');
        options.progress?.waiting(publicReason(error));
      }
      try {
        await sleep(delayMs, undefined, { signal: options.signal });
      } catch {
        throw new DatabaseStartupError('stopped while waiting for the database');
      }
    }
  }
}

export const STARTING_RETRY_AFTER_S = 5;

/**
 * What the listener answers until the hub is ready: `/healthz` 200 (the process is alive),
 * `/readyz` 503 with the reason, every other route 503 `DATABASE_UNAVAILABLE` with Retry-After.
 */
export function startingApp(reason: () => string): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => c.json({ status: 'not-ready', reason: reason() }, 503));
  app.all('*', (c) => {
    c.header('Retry-After', String(STARTING_RETRY_AFTER_S));
    return c.json({ error: { code: 'DATABASE_UNAVAILABLE', message: `the hub is starting (${reason()}): retry after ${STARTING_RETRY_AFTER_S} s` } }, 503);
  });
  return app;
}

/**
 * A front application whose handler can be swapped once: it answers with `startingApp` until
 * `ready(app)` hands it the hub's application.
 */
export function switchableApp(): { front: Hono; state: StartupProgress; ready(app: Hono): void } {
  let reason = 'starting: opening the database';
  const starting = startingApp(() => reason);
  let current: Hono = starting;
  const front = new Hono();
  front.fetch = (request, env, ctx) => current.fetch(request, env, ctx);
  return {
    front,
    state: {
      waiting: (why) => (reason = `database unavailable: ${why}`),
      migrating: () => (reason = 'starting: applying database migrations'),
    },
    ready: (app) => (current = app),
  };
}
