import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { type Database, openDatabase } from '../../src/db/database';
import { resolve } from '../../src/golden-record/resolve.service';
import { createApp } from '../../src/http/app';
import { processInboxBatch } from '../../src/realtime/inbox-worker';
import { generateWorld } from '../../src/sim/world';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { ingestRecords } from '../helpers/ingest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTITIES = ['product', 'customer', 'location', 'serial', 'asset', 'contract'];
const opened: TestDatabase[] = [];

afterEach(async () => {
  for (const d of opened.splice(0)) await d.close().catch(() => undefined);
});

const world = [...generateWorld({ seed: 23, size: 500 })].map((r) => r.record as unknown as Record<string, unknown>);
const cut = Math.floor(world.length * 0.6);

/** A database with 60% of the world resolved and the rest (plus changed versions) pushed to the inbox. */
async function prepared(): Promise<{ database: TestDatabase; events: number }> {
  const database = await openTestDatabase();
  opened.push(database);
  await ingestRecords(database, world.slice(0, cut));
  await resolve(database);
  const app = createApp({ database });
  const { key } = await createApiKey(database.db, { role: 'admin' });
  const later = world.slice(cut);
  const changed = world.slice(0, 60).map((r): Record<string, unknown> => ({ ...r, updatedAt: '2030-01-01T00:00:00Z', name: `${String(r.name ?? '')} (changed)` }));
  let events = 0;
  for (const source of ['erp', 'crm', 'fsm']) {
    const mine = [...later, ...changed].filter((r) => r.source === source);
    for (let i = 0; i < mine.length; i += 20) {
      const res = await app.request(`/ingest/${source}/records`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(mine.slice(i, i + 20)),
      });
      expect(res.status).toBe(202);
      events += (await res.json()).accepted;
    }
  }
  return { database, events };
}

async function withDb<T>(database: TestDatabase, fn: (db: Database) => Promise<T>): Promise<T> {
  if (database.kind === 'postgres') return fn(database);
  const db = await openDatabase({ dataDir: database.env.MDM_DATA_DIR });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function drain(db: Database): Promise<void> {
  while ((await processInboxBatch(db, { batchSize: 50 })).claimed > 0);
}

/** What must hold after any run: every event processed once, nothing lost or duplicated, and the batch clusters. */
async function settled(db: Database): Promise<Record<string, string[]>> {
  const inbox = await db.db.selectFrom('inbox_event').select(['status']).execute();
  expect(inbox.every((e) => e.status === 'done')).toBe(true);
  const live = await db.db.selectFrom('source_record').select(['id', 'entity', 'source', 'source_id', 'attributes', 'deleted']).execute();
  expect(new Set(live.map((r) => `${r.entity}|${r.source}|${r.source_id}`)).size).toBe(live.length);
  const expectedKeys = new Set(world.map((r) => `${r.entity}|${r.source}|${r.sourceId}`));
  expect(live.length).toBe(expectedKeys.size);
  // The changed versions won.
  const byKey = new Map(live.map((r) => [`${r.entity}|${r.source}|${r.source_id}`, r]));
  for (const r of world.slice(0, 60)) expect(String(byKey.get(`${r.entity}|${r.source}|${r.sourceId}`)!.attributes.name ?? '')).toContain('(changed)');
  // Every live record is in exactly one active golden record.
  const xrefs = await db.db
    .selectFrom('xref')
    .innerJoin('golden_record', 'golden_record.id', 'xref.golden_id')
    .select(['xref.record_id', 'xref.entity', 'xref.source', 'xref.source_id', 'xref.golden_id', 'golden_record.status'])
    .execute();
  expect(xrefs.every((x) => x.status === 'active')).toBe(true);
  expect(new Set(xrefs.map((x) => x.record_id)).size).toBe(xrefs.length);
  expect(xrefs.length).toBe(live.filter((r) => !r.deleted).length);
  // After the nightly batch run, the clusters are those of a batch run (the reference).
  await resolve(db, { force: true });
  const out: Record<string, string[]> = {};
  const after = await db.db.selectFrom('xref').select(['entity', 'source', 'source_id', 'golden_id']).execute();
  for (const e of ENTITIES) {
    const groups = new Map<string, string[]>();
    for (const x of after.filter((x) => x.entity === e)) groups.set(x.golden_id, [...(groups.get(x.golden_id) ?? []), `${x.source}|${x.source_id}`]);
    out[e] = [...groups.values()].map((g) => g.sort().join(',')).sort();
  }
  return out;
}

describe('inbox processing killed with SIGKILL', () => {
  it('loses and duplicates nothing: after a restart every acknowledged event is processed, as in an uninterrupted run', async () => {
    const reference = await prepared();
    await drain(reference.database);
    const expected = await settled(reference.database);

    const { database, events } = await prepared();
    await database.detach(); // the worker process needs the embedded database to itself
    for (let round = 0; round < 3; round++) {
      const child = spawn(process.execPath, ['bin/mdm.js', 'inbox', 'work', '--batch-size', '1', '--lease-ms', '300'], {
        cwd: ROOT, env: { ...process.env, NODE_ENV: 'test', ...database.env }, stdio: ['ignore', 'pipe', 'ignore'],
      });
      const exited = new Promise((r) => child.on('exit', r));
      // Kill it without warning while it works through the inbox.
      await new Promise<void>((r) => child.stdout.once('data', () => r()));
      await new Promise((r) => setTimeout(r, 300 + round * 400));
      child.kill('SIGKILL');
      await exited;
    }
    const done = await withDb(database, async (db) => (await db.db.selectFrom('inbox_event').select('id').where('status', '=', 'done').execute()).length);
    console.log(`killed 3 times: ${done} of ${events} events processed before the restart`);
    expect(done).toBeLessThan(events);
    // Restart: the leases of the killed worker lapse and another worker finishes the inbox.
    await new Promise((r) => setTimeout(r, 400));
    const got = await withDb(database, async (db) => {
      await drain(db);
      return settled(db);
    });
    expect(got).toEqual(expected);
  }, 180_000); // three kills and restarts of a child process; slow when the machine is busy
});
