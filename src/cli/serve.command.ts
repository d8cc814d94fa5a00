import type { Command } from 'commander';
import { logger } from '../core/logger';
import { createApp } from '../http/app';
import { startServer } from '../http/server';
import { openMigratedDatabase } from './context';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the hub: HTTP API on a port')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '4000')
    .option('--host <host>', 'address to bind', process.env.HOST ?? '127.0.0.1')
    .option('--sources <file>', 'source systems and their schedules (default: MDM_SOURCES)')
    .action(async (opts: { port: string; host: string; sources?: string }) => {
      const database = await openMigratedDatabase();
      const app = createApp({ database });
      const { server, port } = await startServer(app, Number(opts.port), opts.host);
      logger.info({ port, database: database.description }, 'hub listening');
      // Change events go out to subscribers while the hub runs.
      const { startDispatcher } = await import('../events/dispatcher');
      const dispatcher = startDispatcher(database);
      // Events pushed to /ingest are resolved from the inbox as they arrive.
      const { startInboxWorker } = await import('../realtime/inbox-worker');
      const inbox = startInboxWorker(database);
      // Scheduled pulls from the source systems configured in MDM_SOURCES (or --sources).
      let scheduler: { stop(): unknown } | undefined;
      const sourcesPath = opts.sources ?? process.env.MDM_SOURCES;
      if (sourcesPath) {
        const [{ loadSourcesConfig }, { startScheduler }] = await Promise.all([import('../ingest/sources-config'), import('../ingest/schedule')]);
        scheduler = startScheduler(database, await loadSourcesConfig(sourcesPath));
      }
      process.stdout.write(`mdm hub on http://${opts.host}:${port} (database: ${database.description})\n`);
      const stop = async () => {
        server.close();
        await dispatcher.stop();
        await inbox.stop();
        await scheduler?.stop();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
