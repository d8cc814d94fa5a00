import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { runCli } from '../helpers/cli';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * `mdm serve --workers N`: HTTP worker processes sharing one port (PostgreSQL), refused with a
 * clear message on the embedded database, which lives in one process. `--no-inbox-worker`: a hub
 * that accepts events and leaves them to inbox workers of other processes.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/**
 * Starts `mdm serve` with the arguments on the test database and waits for its start-up line
 * (which must match `started`); the process is killed after the tests if still running.
 */
async function startServe(args: string[], database: TestDatabase, started: RegExp): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child: ChildProcess = spawn(process.execPath, ['bin/mdm.js', 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', ...database.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.unshift(async () => {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      const m = started.exec(stdout);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`)));
  });
  return { child, url, exited };
}

/** `mdm serve` with the arguments on the embedded database: refused, with the message. */
async function expectRefusedOnEmbedded(args: string[], message: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'mdm-serve-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  const res = await runCli(['serve', ...args, '--port', '0'], { DATABASE_URL: '', MDM_DATA_DIR: join(dir, 'data') });
  expect(res.code).not.toBe(0);
  expect(res.stderr).toContain(message);
}

describe('mdm serve --workers', () => {
  it('refuses a worker count that is not a whole number from 1 to 64', async () => {
    const res = await runCli(['serve', '--workers', '0'], { DATABASE_URL: '', MDM_DATA_DIR: mkdtempSync(join(tmpdir(), 'mdm-serve-')) });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--workers must be a whole number from 1 to 64 (got "0")');
  });

  it('serves from worker processes on PostgreSQL and refuses workers on the embedded database', async () => {
    if (!process.env.DATABASE_URL) {
      await expectRefusedOnEmbedded(['--workers', '2'], '--workers needs PostgreSQL (DATABASE_URL): the embedded database lives in one process');
      return;
    }
    const database: TestDatabase = await openTestDatabase();
    cleanups.push(() => database.close());
    const { key } = await createApiKey(database.db, { role: 'reader', name: 'serve test' });
    const { child, url, exited } = await startServe(['--workers', '2', '--port', '0'], database, /mdm hub on (http:\/\/127\.0\.0\.1:\d+) \(database: .*, 2 workers\)/);

    expect(childPids(child.pid!)).toHaveLength(2);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query: '{ goldenRecord(id: "G-0000000000000") { requestedId } }' }),
      });
      expect(await res.json()).toEqual({ data: { goldenRecord: null } });
    }
    const unauthenticated = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
    expect(unauthenticated.status).toBe(401);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});

describe('mdm serve --no-inbox-worker', () => {
  it('accepts pushed events and leaves them to `mdm inbox work` on PostgreSQL; refused on the embedded database', async () => {
    if (!process.env.DATABASE_URL) {
      await expectRefusedOnEmbedded(['--no-inbox-worker'], '--no-inbox-worker needs PostgreSQL (DATABASE_URL)');
      return;
    }
    const database: TestDatabase = await openTestDatabase();
    cleanups.push(() => database.close());
    const { key } = await createApiKey(database.db, { role: 'ingest:crm', name: 'serve test' });
    const { child, url, exited } = await startServe(['--no-inbox-worker', '--port', '0'], database, /mdm hub on (http:\/\/127\.0\.0\.1:\d+)/);
    const res = await fetch(`${url}/ingest/crm/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/cloudevents+json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ specversion: '1.0', id: 'e-1', source: '/crm', type: 'record.changed', data: { entity: 'customer', source: 'crm', sourceId: 'C-1', name: 'Acme GmbH' } }),
    });
    expect(res.status).toBe(202);
    // Stored, and nobody in the hub takes it: its own worker would have been woken at once.
    await new Promise((r) => setTimeout(r, 1000));
    const status = async () => (await database.db.selectFrom('inbox_event').select(['status']).where('event_id', '=', 'e-1').executeTakeFirstOrThrow()).status;
    expect(await status()).toBe('pending');
    // An inbox worker of another process (here this one) processes it.
    const { processInboxBatch } = await import('../../src/realtime/inbox-worker');
    expect((await processInboxBatch(database, {})).processed).toBe(1);
    expect(await status()).toBe('done');
    expect(await database.db.selectFrom('xref').select('golden_id').where('source', '=', 'crm').where('source_id', '=', 'C-1').executeTakeFirst()).toBeDefined();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);
});
