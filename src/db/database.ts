import { resolve } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { type BulkRunner, pgBulkRunner, pgliteBulkRunner } from './bulk';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import type { DB } from './schema';
import { logger } from '../core/logger';
import { preparedStatementsEnabled, statementName } from './prepared';

/**
 * The hub's database: Kysely over node-postgres, on an embedded PGlite by default or on a
 * PostgreSQL server when a URL is given. Only the pool differs; every query runs through the
 * same code path.
 *
 * @example
 * ```ts
 * const database = await openDatabase({ dataDir: './.mdm' });
 * await database.db.selectFrom('source_record').selectAll().execute();
 * await database.close();
 * ```
 */
export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: 'pglite' | 'postgres';
  /** Where the data lives, safe to print (no password). */
  readonly description: string;
  /** The underlying pool, for driver-level work (bulk copy) that Kysely does not cover. */
  readonly pool: pg.Pool;
  /** Runs bulk writes (COPY + set-based SQL) in one transaction. */
  readonly bulk: BulkRunner;
  /** Connections that may write at once (1 for the embedded database). */
  readonly writeConcurrency: number;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent the embedded database is used. */
  databaseUrl?: string;
  /** Directory of the embedded database (default `./.mdm`). `memory://` keeps it in memory. */
  dataDir?: string;
  /** Connections to a PostgreSQL server (default 8). The embedded database has one. */
  poolSize?: number;
  /** Named statements for `executePrepared` on a PostgreSQL server (default: `MDM_PG_PREPARED`, on). */
  preparedStatements?: boolean;
}

// int8 (bigint ids, counts) stays a string: JS numbers would silently round past 2^53.
// numeric stays a string for the same reason.

const PGLITE_CONF = ['shared_buffers=32MB', 'wal_buffers=1MB'].join('\n');

/** Time allowed to establish one connection to a PostgreSQL server. */
export const CONNECT_TIMEOUT_MS = 10_000;
const KEEPALIVE_IDLE_MS = 30_000;

/** node-postgres' client with a connect timeout of its own (see the pool options below). */
class TimedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(typeof config === 'string' ? { connectionString: config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS } : { ...config, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  }
}

/**
 * A TimedClient that runs the texts marked by `executePrepared` as named statements (parsed and
 * planned once per connection; see src/db/prepared.ts). Kysely calls `query(text, values)`; every
 * other call goes through unchanged.
 */
class PreparingClient extends TimedClient {}
const plainQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(PreparingClient.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function query(this: pg.Client, ...args: unknown[]) {
  const [text, values] = args;
  const name = args.length === 2 && typeof text === 'string' && Array.isArray(values) ? statementName(text) : undefined;
  return name === undefined ? plainQuery.apply(this, args) : plainQuery.call(this, { name, text, values });
};

/** Hides the password of a connection string. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgresql (unparseable DATABASE_URL)';
  }
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.databaseUrl) {
    const prepared = options.preparedStatements ?? preparedStatementsEnabled();
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 8,
      application_name: 'mdm-hub',
      // A new connection that is not established within 10 s fails ("timeout expired") instead
      // of hanging on a server that accepts TCP but does not answer. Set on the client, not on
      // the pool: the pool's own connectionTimeoutMillis would also fail a query that waits that
      // long for a free connection of a busy (not dead) pool.
      Client: prepared ? PreparingClient : TimedClient,
      // Applies to named statements only (an unnamed one is always planned with its values): those
      // run by executePrepared are key lookups whose plan does not depend on the values.
      ...(prepared ? { options: '-c plan_cache_mode=force_generic_plan' } : {}),
      // TCP keepalive finds a connection left half-open by a network cut (probes after 30 s idle).
      keepAlive: true,
      keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
    });
    pool.on('error', () => {
      // An idle client lost its connection (server restart); the pool replaces it on next use.
    });
    // A client checked out of the pool (a transaction between statements, a LISTEN or lock
    // connection) that loses its connection emits 'error' with no pool listener attached: without
    // this one the process would exit. The client stops being queryable, its user's next query
    // fails, and the pool drops it when it is released.
    pool.on('connect', (client) => {
      client.on('error', (error: Error & { code?: string }) => {
        logger.warn({ code: error.code, error: error.message.slice(0, 200) }, 'a database connection was lost; it is replaced on next use');
      });
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    try {
      await db.selectNoFrom((eb) => eb.lit(1).as('one')).execute();
    } catch (error) {
      await db.destroy().catch(() => undefined);
      throw error;
    }
    return {
      db,
      kind: 'postgres',
      description: describeDatabaseUrl(options.databaseUrl),
      pool,
      bulk: pgBulkRunner(pool),
      writeConcurrency: Math.max(1, Math.min(3, (options.poolSize ?? 8) - 1)),
      close: () => db.destroy(),
    };
  }

  const dataDir = options.dataDir ?? './.mdm';
  const memory = dataDir.startsWith('memory://');
  let lock: DataDirLock | undefined;
  if (!memory) lock = acquireDataDirLock(resolve(dataDir), dataDir);
  // Loaded only for the embedded database: a PostgreSQL run never pays for the WASM build.
  const [{ PGlite }, { createPgConfig }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/node-postgres'),
  ]);
  let pglite: PGlite;
  try {
    // A smaller buffer pool keeps the embedded server's memory bounded (the WASM heap never shrinks).
    pglite = await PGlite.create(memory ? dataDir : resolve(dataDir), { postgresqlconf: PGLITE_CONF });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    description: memory ? 'embedded (in memory)' : `embedded in ${dataDir}`,
    pool,
    bulk: pgliteBulkRunner(pglite),
    writeConcurrency: 1,
    async close() {
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}

/** Opens the database the environment selects: `DATABASE_URL`, else `MDM_DATA_DIR` (default `./.mdm`). */
export function openDatabaseFromEnv(env: NodeJS.ProcessEnv = process.env): Promise<Database> {
  return openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.MDM_DATA_DIR || './.mdm' });
}

/** SQLSTATE classes and codes that mean the server went away or is not accepting work yet. */
const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGES = /Connection terminated|connection error and is not queryable|Client was closed and is not queryable|terminating connection|the database system is (starting up|shutting down|in recovery mode)|timeout exceeded when trying to connect|^timeout expired$/i;

/**
 * True when an error means the database server is unreachable for now (restarting, down, a
 * connection lost or refused), as opposed to a problem with the request: the caller may retry.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as (Error & { code?: string; cause?: unknown; errors?: unknown[] }) | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e !== 'object') return false;
    if (typeof e.code === 'string' && (UNAVAILABLE_CODES.has(e.code) || e.code.startsWith('08'))) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    // Node's AggregateError (connecting to ::1 and 127.0.0.1 both refused).
    if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x))) return true;
  }
  return false;
}
