import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { logger } from '../core/logger';
import type { Database } from '../db/database';
import type { DemoSources } from '../sim/demo-sources';
import { openMigratedDatabase } from './context';

const DEMO_DIR = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));
const DEMO_WORLD = `${DEMO_DIR}world.jsonl`;

/** Starts the simulated ERP, CRM and FSM over the demo world and pulls each through its adapter. */
async function syncFromSimulators(database: Database): Promise<DemoSources> {
  const [{ readJsonlRecords, startDemoSources }, { syncSource }] = await Promise.all([import('../sim/demo-sources'), import('../ingest/sync.service')]);
  const demo = await startDemoSources(readJsonlRecords(DEMO_WORLD));
  // Per-feed progress at info would drown the summary; warnings and errors still show.
  const quiet = logger.level === 'info' ? logger.child({}, { level: 'warn' }) : logger;
  try {
    for (const s of demo.sources) {
      process.stdout.write(`source ${s.name} (${s.api} simulator): ${s.simulator.url}\n`);
      const r = await syncSource(database, s.config, { mode: 'full', logger: quiet });
      process.stdout.write(
        `synced ${s.name}: read ${r.read}, inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}, deleted ${r.deleted}, quarantined ${r.quarantined} in ${r.seconds.toFixed(1)} s (${r.requests} requests)\n`,
      );
    }
  } catch (error) {
    await demo.close();
    throw error;
  }
  return demo;
}

async function ingestFiles(database: Database): Promise<void> {
  const { ingestFile } = await import('../ingest/file-ingest.service');
  const files = readdirSync(DEMO_DIR).filter((f) => f.endsWith('.jsonl')).sort();
  for (const file of files) {
    const result = await ingestFile(database, { file: `${DEMO_DIR}${file}` });
    process.stdout.write(
      `demo data ${file}: read ${result.read}, inserted ${result.inserted}, unchanged ${result.unchanged}, quarantined ${result.quarantined}\n`,
    );
  }
}

/**
 * `npm start`: the hub on the embedded database. The demo world (fixtures/demo/world.jsonl) is
 * served by simulators of the three source systems on loopback ports, pulled through the real
 * adapters with a full sync, resolved, and the hub serves HTTP while the simulators keep running.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('start simulated ERP, CRM and FSM systems with the demo world, sync them, resolve and serve the hub (what npm start runs)')
    .option('--port <port>', 'port to listen on', process.env.PORT ?? '4000')
    .option('--from-files', 'load fixtures/demo/*.jsonl with the file ingest instead of syncing from the simulators')
    .action(async (opts: { port: string; fromFiles?: boolean }) => {
      const database = await openMigratedDatabase();
      let demo: DemoSources | null = null;
      if (opts.fromFiles) await ingestFiles(database);
      else demo = await syncFromSimulators(database);
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
      const [{ createApp }, { startServer }] = await Promise.all([import('../http/app'), import('../http/server')]);
      const app = createApp({ database });
      const { server, port } = await startServer(app, Number(opts.port));
      logger.info({ port }, 'demo hub listening');
      // Change events go out to subscribers while the hub runs.
      const { startDispatcher } = await import('../events/dispatcher');
      const dispatcher = startDispatcher(database);
      process.stdout.write(`mdm hub (demo) on http://127.0.0.1:${port}  health: http://127.0.0.1:${port}/healthz\n`);
      process.stdout.write(`steward console: http://127.0.0.1:${port}/console  (sign in with the key below)\n`);
      process.stdout.write(`GraphQL: http://127.0.0.1:${port}/graphql  (send "Authorization: Bearer ${key}", a steward key made for this session)\n`);
      process.stdout.write(`try: curl -s -H 'Authorization: Bearer ${key}' -H 'Content-Type: application/json' -d '{"query":"{ goldenRecordsConnection(entity: CUSTOMER, first: 3) { edges { node { id attributes crossReferences { source sourceId } } } } }"}' http://127.0.0.1:${port}/graphql\n`);
      if (demo) {
        process.stdout.write('source systems (simulated, credentials made for this session):\n');
        for (const s of demo.sources) process.stdout.write(`  ${s.name} ${s.api}: ${s.simulator.url}  try: ${s.example}\n`);
      }
      process.stdout.write(`database: ${database.description} (set DATABASE_URL to use a PostgreSQL server)\n`);
      const stop = async () => {
        server.close();
        await dispatcher.stop();
        await demo?.close();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
