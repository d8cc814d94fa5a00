import cluster from 'node:cluster';
import type { Command } from 'commander';
import { UsageError } from '../core/errors';
import { logger } from '../core/logger';
import { openMigratedDatabase } from './context';

interface ServeOptions {
  port: string;
  host: string;
  sources?: string;
  workers: string;
}

/** Starts the background work of the hub (change events out, the inbox, scheduled syncs). */
async function startBackground(database: Awaited<ReturnType<typeof openMigratedDatabase>>, sourcesOption?: string) {
  // Change events go out to subscribers while the hub runs.
  const { startDispatcher } = await import('../events/dispatcher');
  const dispatcher = startDispatcher(database);
  // Events pushed to /ingest are resolved from the inbox as they arrive.
  const { startInboxWorker } = await import('../realtime/inbox-worker');
  const inbox = startInboxWorker(database);
  // Scheduled pulls from the source systems configured in MDM_SOURCES (or --sources).
  let scheduler: { stop(): unknown } | undefined;
  const sourcesPath = sourcesOption ?? process.env.MDM_SOURCES;
  if (sourcesPath) {
    const [{ loadSourcesConfig }, { startScheduler }] = await Promise.all([import('../ingest/sources-config'), import('../ingest/schedule')]);
    scheduler = startScheduler(database, await loadSourcesConfig(sourcesPath));
  }
  return async () => {
    await dispatcher.stop();
    await inbox.stop();
    await scheduler?.stop();
  };
}

/** The HTTP application and server, loaded only by the commands that serve. */
async function loadHttp() {
  const [{ createApp }, { startServer }] = await Promise.all([import('../http/app'), import('../http/server')]);
  return { createApp, startServer };
}

/** One process: HTTP and background work. */
async function serveSingle(opts: ServeOptions): Promise<void> {
  const database = await openMigratedDatabase();
  const { createApp, startServer } = await loadHttp();
  const app = createApp({ database });
  const { server, port } = await startServer(app, Number(opts.port), opts.host);
  logger.info({ port, database: database.description }, 'hub listening');
  const stopBackground = await startBackground(database, opts.sources);
  process.stdout.write(`mdm hub on http://${opts.host}:${port} (database: ${database.description})\n`);
  const stop = async () => {
    server.close();
    await stopBackground();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * `--workers N` (PostgreSQL only): the primary process migrates the database, runs the background
 * work and starts N worker processes that share the port and answer HTTP (Node's cluster module
 * hands out connections). A worker that dies is replaced.
 */
async function servePrimary(opts: ServeOptions, workers: number): Promise<void> {
  const database = await openMigratedDatabase();
  if (database.kind !== 'postgres') {
    await database.close();
    throw new UsageError('--workers needs PostgreSQL (DATABASE_URL): the embedded database lives in one process');
  }
  let stopping = false;
  const listening = new Promise<number>((resolve) => {
    let ready = 0;
    cluster.on('listening', (_worker, address) => {
      if (++ready === workers) resolve(address.port);
    });
  });
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    logger.error({ worker: worker.id, code, signal }, 'hub worker exited; starting another');
    cluster.fork();
  });
  for (let i = 0; i < workers; i++) cluster.fork();
  const port = await listening;
  logger.info({ port, workers, database: database.description }, 'hub listening');
  const stopBackground = await startBackground(database, opts.sources);
  process.stdout.write(`mdm hub on http://${opts.host}:${port} (database: ${database.description}, ${workers} workers)\n`);
  const stop = async () => {
    stopping = true;
    const exited = Object.values(cluster.workers ?? {}).map(
      (w) => new Promise<void>((resolve) => (w!.isDead() ? resolve() : (w!.once('exit', () => resolve()), w!.kill('SIGTERM')))),
    );
    await Promise.all(exited);
    await stopBackground();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** A cluster worker: HTTP only, on the port the primary was given. */
async function serveWorker(opts: ServeOptions): Promise<void> {
  const database = await openMigratedDatabase();
  const { createApp, startServer } = await loadHttp();
  const app = createApp({ database });
  const { server } = await startServer(app, Number(opts.port), opts.host);
  const stop = async () => {
    server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => undefined); // the primary decides when workers stop
  process.once('SIGTERM', stop);
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the hub: HTTP API on a port')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '4000')
    .option('--host <host>', 'address to bind', process.env.HOST ?? '127.0.0.1')
    .option('--sources <file>', 'source systems and their schedules (default: MDM_SOURCES)')
    .option('--workers <n>', 'HTTP worker processes sharing the port (PostgreSQL only; default MDM_WORKERS or 1)', process.env.MDM_WORKERS ?? '1')
    .action(async (opts: ServeOptions) => {
      const workers = Number(opts.workers);
      if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers must be a whole number from 1 to 64 (got "${opts.workers}")`);
      if (cluster.isWorker) return serveWorker(opts);
      if (workers === 1) return serveSingle(opts);
      return servePrimary(opts, workers);
    });
}
