import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/db/database';
import type { Simulator } from '../../src/sim/index';
import { runCli } from '../helpers/cli';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { SECRETS, startSource, worldRecords } from './helpers';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let database: TestDatabase;
let env: Record<string, string>;
let sim: Simulator;
const world = worldRecords(31, 2000);
const expected = world.filter((r) => r.source === 'erp').length;

beforeAll(async () => {
  database = await openTestDatabase();
  if (database.kind === 'pglite') await database.close(); // the CLI children need the data directory to themselves
  const started = await startSource('erp', world, { pageSize: 60 });
  sim = started.sim;
  const dir = mkdtempSync(join(tmpdir(), 'mdm-sync-cli-'));
  const file = join(dir, 'sources.json');
  writeFileSync(
    file,
    JSON.stringify({
      sources: [
        {
          name: 'erp', kind: 'sap', baseUrl: sim.url, pageSize: 60, batchSize: 60, auth: { type: 'basic', username: 'MDM_READ', passwordEnv: 'MDM_TEST_ERP_PASSWORD' },
          retry: { maxRetries: 3, baseDelayMs: 5 }, schedules: [{ mode: 'delta', cron: '*/5 * * * *' }],
        },
      ],
    }),
  );
  env = { ...database.env, MDM_SOURCES: file, MDM_TEST_ERP_PASSWORD: SECRETS.erp, MDM_LOG_LEVEL: 'info' };
});
afterAll(async () => {
  await sim?.close();
  if (database?.kind === 'postgres') await database.close();
});

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  if (database.kind === 'postgres') return fn(database);
  const db = await openDatabase({ dataDir: env.MDM_DATA_DIR });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const count = () =>
  withDb(async (db) => Number((await db.db.selectFrom('source_record').select((eb) => eb.fn.countAll<string>().as('n')).where('source', '=', 'erp').executeTakeFirstOrThrow()).n));

describe('mdm sync', () => {
  it('a sync killed with SIGKILL mid-way and run again loses and duplicates nothing', async () => {
    sim.faults.add({ match: /\/sap\/opu/, delayMs: 120, times: 100_000 });
    const child = spawn(process.execPath, ['bin/mdm.js', 'sync', '--source', 'erp', '--mode', 'full'], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: 'test', ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((r) => child.on('exit', r));
    // Let it store a few pages, then kill it without warning.
    const deadline = Date.now() + 30_000;
    while (sim.requests.filter((r) => r.path.startsWith('/sap/opu') && r.status === 200).length < 6 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    await exited;
    sim.faults.clear();
    const partial = await count();
    expect(partial).toBeLessThan(expected);

    const rerun = await runCli(['sync', '--source', 'erp', '--mode', 'delta', '--json'], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toMatch(/"msg":"sync finished"/);
    const summary = JSON.parse(rerun.stdout.trim().split('\n').at(-1)!);
    expect(summary).toMatchObject({ source: 'erp', mode: 'delta', updated: 0, quarantined: 0 });
    expect(summary.inserted + summary.deleted + partial).toBe(expected);
    expect(summary.watermarks.map((w: { feed: string }) => w.feed).sort()).toEqual(['A_BusinessPartner', 'A_Product', 'A_ServiceContract', 'Equipment']);
    expect(await count()).toBe(expected);

    const quiet = await runCli(['sync', '--source', 'erp', '--json'], env);
    expect(JSON.parse(quiet.stdout.trim().split('\n').at(-1)!)).toMatchObject({ inserted: 0, updated: 0, deleted: 0 });
    // Logs went to stderr as JSON lines: no secret in them.
    expect(rerun.stdout + rerun.stderr + quiet.stdout + quiet.stderr).not.toContain(SECRETS.erp);
  });

  it('exits 2 with one clear line for an unknown source, a bad mode or a missing config', async () => {
    const unknown = await runCli(['sync', '--source', 'nope'], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe('mdm: source nope is not configured (configured: erp)\n');
    const mode = await runCli(['sync', '--source', 'erp', '--mode', 'sometimes'], env);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toMatch(/--mode sometimes is not supported/);
    const missing = await runCli(['sync', '--source', 'erp'], { ...env, MDM_SOURCES: '' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no sources configuration: pass --config <file> or set MDM_SOURCES/);
  });
});
