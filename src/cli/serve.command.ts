import cluster from 'node:cluster';
import type { Command } from 'commander';
import { UsageError } from '../core/errors';
import { logger } from '../core/logger';
import type { Database } from '../db/database';
import { DatabaseStartupError, openMigratedDatabaseWhenReachable, parseWaitForDatabase, switchableApp } from './serve-start';

interface ServeOptions {
  port: string;
  host: string;
  sources?: string;
  workers: string;
  waitForDatabase?: string;
  /** False with `--no-inbox-worker`: pushed events are left to `mdm inbox work` processes. */
  inboxWorker: boolean;
}

/** Starts the background work of the hub (change events out, the inbox, scheduled syncs). */
async function startBackground(database: Database, sourcesOption?: string, inboxWorker = true) {
  // Change events go out to subscribers while the hub runs.
  const { startDispatcher } = await import('../events/dispatcher');
  const dispatcher = startDispatcher(database);
  // Events pushed to /ingest are resolved from the inbox as they arrive.
  const { startInboxWorker } = await import('../realtime/inbox-worker');
  const inbox = inboxWorker ? startInboxWorker(database) : undefined;
  // Scheduled pulls from the source systems configured in MDM_SOURCES (or --sources).
  let scheduler: { stop(): unknown } | undefined;
  const sourcesPath = sourcesOption ?? process.env.MDM_SOURCES;
  if (sourcesPath) {
    const [{ loadSourcesConfig }, { startScheduler }] = await Promise.all([import('../ingest/sources-config'), import('../ingest/schedule')]);
    scheduler = startScheduler(database, await loadSourcesConfig(sourcesPath));
  }
  return async () => {
    await dispatcher.stop();
    await inbox?.stop();
    await scheduler?.stop();
  };
}

/** The HTTP application and server, loaded only by the commands that serve. */
async function loadHttp() {
  const [{ createApp }, { startServer }] = await Promise.all([import('../http/app'), import('../http/server')]);
  return { createApp, startServer };
}

/** Closes a listener and the connections it holds, so that a failed start-up ends the process. */
function closeListener(server: { close(): unknown; closeAllConnections?: () => void }): void {
  server.close();
  server.closeAllConnections?.();
}

/**
 * Listens first, then opens the database: while a PostgreSQL server is unreachable `/healthz`
 * answers 200, `/readyz` and every other route 503, and the connection is tried again (see
 * serve-start.ts). The hub's application takes over once the database is migrated.
 */
async function listenThenOpen(opts: ServeOptions, waitSeconds: number | undefined, { worker = false } = {}) {
  // A worker does not migrate: the primary does, and the worker waits for it.
  const { createApp, startServer } = await loadHttp();
  const hub = switchableApp();
  const { server, port } = await startServer(hub.front, Number(opts.port), opts.host);
  const aborted = new AbortController();
  const stopWaiting = () => {
    aborted.abort();
    closeListener(server);
    process.exit(0);
  };
  // A worker leaves SIGINT to the primary, which decides when workers stop.
  const ignore = () => undefined;
  process.once('SIGINT', worker ? ignore : stopWaiting);
  process.once('SIGTERM', stopWaiting);
  let database: Database;
  try {
    database = await openMigratedDatabaseWhenReachable({ waitSeconds, progress: hub.state, signal: aborted.signal, migrate: !worker });
  } catch (error) {
    closeListener(server);
    throw error;
  } finally {
    process.removeListener('SIGINT', worker ? ignore : stopWaiting);
    process.removeListener('SIGTERM', stopWaiting);
  }
  if (worker) process.on('SIGINT', ignore);
  // The caller hands the listener to the hub's application once its own signal handlers are set.
  return { server, port, database, ready: () => hub.ready(createApp({ database })) };
}

/** One process: HTTP and background work. */
async function serveSingle(opts: ServeOptions, waitSeconds: number | undefined): Promise<void> {
  const { server, port, database, ready } = await listenThenOpen(opts, waitSeconds);
  let stopBackground: (() => Promise<void>) | undefined;
  const stop = async () => {
    server.close();
    await stopBackground?.();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  ready();
  logger.info({ port, database: database.description }, 'hub listening');
  stopBackground = await startBackground(database, opts.sources, opts.inboxWorker);
  process.stdout.write(`mdm hub on http://${opts.host}:${port} (database: ${database.description})\n`);
}

/** Exit code of a worker that met what retrying cannot fix; the primary reports it and does not replace the worker. */
const WORKER_CANNOT_START = 78;

/**
 * `--workers N` (PostgreSQL only): the primary process migrates the database, runs the background
 * work and starts N worker processes that share the port and answer HTTP (Node's cluster module
 * hands out connections). A worker that dies is replaced. The workers listen at once and answer
 * 503 until the database is reachable, like a single process.
 */
async function servePrimary(opts: ServeOptions, workers: number, waitSeconds: number | undefined): Promise<void> {
  if (!process.env.DATABASE_URL) throw new UsageError('--workers needs PostgreSQL (DATABASE_URL): the embedded database lives in one process');
  let stopping = false;
  let database: Database | undefined;
  let stopBackground: (() => Promise<void>) | undefined;
  const aborted = new AbortController();
  const stopWorkers = async () => {
    stopping = true;
    const exited = Object.values(cluster.workers ?? {}).map(
      (w) => new Promise<void>((resolve) => (w!.isDead() ? resolve() : (w!.once('exit', () => resolve()), w!.kill('SIGTERM')))),
    );
    await Promise.all(exited);
  };
  const stop = async () => {
    aborted.abort();
    await stopWorkers();
    await stopBackground?.();
    await database?.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const listening = new Promise<number>((resolve) => {
    let ready = 0;
    cluster.on('listening', (_worker, address) => {
      if (++ready === workers) resolve(address.port);
    });
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping || code === WORKER_CANNOT_START) return;
    logger.error({ worker: worker.id, code, signal }, 'hub worker exited; starting another');
    cluster.fork();
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  const port = await listening;
  try {
    database = await openMigratedDatabaseWhenReachable({ waitSeconds, signal: aborted.signal });
  } catch (error) {
    // Stopped by a signal while waiting: stop() ends the process.
    if (aborted.signal.aborted) return;
    await stopWorkers();
    throw error;
  }
  logger.info({ port, workers, database: database.description }, 'hub listening');
  stopBackground = await startBackground(database, opts.sources, opts.inboxWorker);
  process.stdout.write(`mdm hub on http://${opts.host}:${port} (database: ${database.description}, ${workers} workers)\n`);
}

/** A cluster worker: HTTP only, on the port the primary was given. */
async function serveWorker(opts: ServeOptions, waitSeconds: number | undefined): Promise<void> {
  let started: Awaited<ReturnType<typeof listenThenOpen>>;
  try {
    started = await listenThenOpen(opts, waitSeconds, { worker: true });
  } catch (error) {
    // The primary meets the same error and reports it.
    if (error instanceof DatabaseStartupError) process.exit(WORKER_CANNOT_START);
    throw error;
  }
  const { server, database, ready } = started;
  const stop = async () => {
    server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  ready();
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the hub: HTTP API on a port')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '4000')
    .option('--host <host>', 'address to bind', process.env.HOST ?? '127.0.0.1')
    .option('--sources <file>', 'source systems and their schedules (default: MDM_SOURCES)')
    .option('--workers <n>', 'HTTP worker processes sharing the port (PostgreSQL only; default MDM_WORKERS or 1)', process.env.MDM_WORKERS ?? '1')
    .option('--no-inbox-worker', 'accept pushed events but leave their processing to `mdm inbox work` processes (on this machine or others)')
    .option('--wait-for-database <seconds>', 'how long to keep trying an unreachable PostgreSQL server at start-up (default MDM_WAIT_FOR_DATABASE, else no limit; 0 = fail at once)')
    .action(async (opts: ServeOptions) => {
      const workers = Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers must be a whole number from 1 to 64 (got "${opts.workers}")`);
      if (!opts.inboxWorker && !process.env.DATABASE_URL) {
        throw new UsageError('--no-inbox-worker needs PostgreSQL (DATABASE_URL): `mdm inbox work` cannot open the embedded database while the hub holds it, so pushed events would wait forever');
      }
      const waitSeconds = parseWaitForDatabase(opts.waitForDatabase);
      if (cluster.isWorker) return serveWorker(opts, waitSeconds);
      if (workers === 1) return serveSingle(opts, waitSeconds);
      return servePrimary(opts, workers, waitSeconds);
    });
}
