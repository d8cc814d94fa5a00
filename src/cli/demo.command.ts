import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { logger } from '../core/logger';
import { createApp } from '../http/app';
import { startServer } from '../http/server';
import { ingestFile } from '../ingest/file-ingest.service';
import { openMigratedDatabase } from './context';

const DEMO_DIR = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));

/** `npm start`: the hub on the embedded database, loaded with the demo world, serving HTTP. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('load the demo data in fixtures/demo and serve the hub (what npm start runs)')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '4000')
    .action(async (opts: { port: string }) => {
      const database = await openMigratedDatabase();
      const files = readdirSync(DEMO_DIR).filter((f) => f.endsWith('.jsonl')).sort();
      for (const file of files) {
        const result = await ingestFile(database, { file: `${DEMO_DIR}${file}` });
        process.stdout.write(
          `demo data ${file}: read ${result.read}, inserted ${result.inserted}, unchanged ${result.unchanged}, quarantined ${result.quarantined}\n`,
        );
      }
      const { resolve } = await import('../golden-record/resolve.service');
      const resolved = await resolve(database);
      for (const r of resolved) {
        if (r.status === 'resolved') {
          process.stdout.write(`resolved ${r.entity}: ${r.records} records -> ${r.clusters} golden records, ${r.queued} pairs for review\n`);
        }
      }
      // A fresh key for this demo session (printed once, stored hashed like every key).
      const { createApiKey } = await import('../auth/api-key.service');
      const { key } = await createApiKey(database.db, { role: 'steward', name: `demo ${new Date().toISOString()}` });
      const app = createApp({ database });
      const { server, port } = await startServer(app, Number(opts.port));
      logger.info({ port }, 'demo hub listening');
      // Change events go out to subscribers while the hub runs.
      const { startDispatcher } = await import('../events/dispatcher');
      const dispatcher = startDispatcher(database);
      process.stdout.write(`mdm hub (demo) on http://127.0.0.1:${port}  health: http://127.0.0.1:${port}/healthz\n`);
      process.stdout.write(`steward console: http://127.0.0.1:${port}/console  (sign in with the key below)\n`);
      process.stdout.write(`GraphQL: http://127.0.0.1:${port}/graphql  (send "Authorization: Bearer ${key}", a steward key made for this session)\n`);
      process.stdout.write(`try: curl -s -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d '{"query":"{ goldenRecordsConnection(entity: CUSTOMER, first: 3) { edges { node { id attributes } } } }"}' http://127.0.0.1:${port}/graphql\n`);
      process.stdout.write(`database: ${database.description} (set DATABASE_URL to use a PostgreSQL server)\n`);
      const stop = async () => {
        server.close();
        await dispatcher.stop();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
