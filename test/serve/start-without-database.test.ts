import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib/hub-server';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../bench/drills/faults-lib/postgres-server';
import { createApiKey } from '../../src/auth/api-key.service';
import { explainFatal, isRetryableAtStart, retryDelayMs } from '../../src/cli/serve-start';
import { MigrationError } from '../../src/core/errors';
import { openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import { runCli } from '../helpers/cli';
import { openTestDatabase } from '../helpers/database';

/**
 * `mdm serve` started before its database: it listens at once (`/healthz` 200, `/readyz` and
 * every other route 503), tries the PostgreSQL server again until it answers, then serves; what
 * retrying cannot fix (authentication, a missing database) ends it at once with a clear message.
 * The PostgreSQL parts run on a throwaway server of their own, which they stop and start.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'start-test-pw-4c1f';
const cleanups: Array<() => Promise<void>> = [];
let server: ThrowawayPostgres;

beforeAll(async () => {
  server = await startThrowawayPostgres({ maxConnections: 30 });
}, 120_000);

/** Each test starts with the server up, whatever the one before it left (a failed test may leave it stopped). */
beforeEach(async () => {
  const probe = new pg.Client({ connectionString: server.url });
  const up = await probe.connect().then(() => true, () => false);
  await probe.end().catch(() => undefined);
  if (!up) await server.start();
}, 90_000);

afterAll(async () => {
  for (const c of cleanups) await c().catch(() => undefined);
  await server?.destroy();
});

interface Served {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
  base: string;
}

async function spawnServe(env: Record<string, string>, port: number, args: string[] = []): Promise<Served> {
  const child = spawn(process.execPath, ['bin/mdm.js', 'serve', '--port', String(port), ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', MDM_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.unshift(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, exited, output: () => output, base: `http://127.0.0.1:${port}` };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, served?: Served): Promise<void> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return;
    if (served && served.child.exitCode !== null) throw new Error(`${what}: mdm serve exited with ${served.child.exitCode}:\n${served.output()}`);
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s${served ? `\n${served.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const query = (key?: string) =>
  ({
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query: '{ goldenRecord(id: "G-0000000000000") { requestedId } }' }),
  }) satisfies RequestInit;

describe('mdm serve before its PostgreSQL server', () => {
  it('listens at once, answers 503 while the server is away, and serves once it starts', async () => {
    await server.stop('fast');
    const url = new URL(server.url);
    url.password = PASSWORD; // the throwaway server trusts local connections; the password must still never be logged
    const served = await spawnServe({ DATABASE_URL: url.toString() }, await freePort());
    const { base } = served;

    await waitFor('listening', async () => (await fetch(`${base}/healthz`)).status === 200, 20_000, served);
    // Not ready from the first answer; the reason says "starting" until the first attempt has failed.
    const first = await fetch(`${base}/readyz`);
    expect(first.status).toBe(503);
    expect(((await first.json()) as { reason: string }).reason).toMatch(/^(starting: |database unavailable: )/);
    await waitFor('the first attempt failed', async () => ((await (await fetch(`${base}/readyz`)).json()) as { reason: string }).reason.startsWith('database unavailable'), 20_000, served);
    const readyz = await fetch(`${base}/readyz`);
    expect(readyz.status).toBe(503);
    const body = (await readyz.json()) as { status: string; reason: string };
    expect(body.status).toBe('not-ready');
    // The reason names the error, not the server's address (no authentication is needed to read it).
    expect(body.reason).toBe('database unavailable: ECONNREFUSED');

    const graphql = await fetch(`${base}/graphql`, query('anything'));
    expect(graphql.status).toBe(503);
    expect(graphql.headers.get('retry-after')).toBe('5');
    expect(((await graphql.json()) as { error: { code: string } }).error.code).toBe('DATABASE_UNAVAILABLE');
    const ingest = await fetch(`${base}/ingest/erp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(ingest.status).toBe(503);
    expect(((await ingest.json()) as { error: { code: string } }).error.code).toBe('DATABASE_UNAVAILABLE');

    // One log line per attempt, naming host:port/database and never the password.
    await waitFor('two attempts logged', async () => (served.output().match(/database unreachable at start-up/g) ?? []).length >= 2, 10_000, served);

    await server.start();
    await waitFor('ready', async () => (await fetch(`${base}/readyz`)).status === 200, 30_000, served);
    await waitFor('started', async () => served.output().includes(`mdm hub on ${base}`), 10_000, served);

    const admin = await openDatabase({ databaseUrl: server.url, poolSize: 1 });
    cleanups.push(() => admin.close());
    const { key } = await createApiKey(admin.db, { role: 'reader', name: 'start test' });
    const answered = await fetch(`${base}/graphql`, query(key));
    expect(answered.status).toBe(200);
    expect(await answered.json()).toEqual({ data: { goldenRecord: null } });
    expect((await fetch(`${base}/graphql`, query())).status).toBe(401);

    const lines = served
      .output()
      .split('\n')
      .filter((l) => l.includes('database unreachable at start-up'))
      .map((l) => JSON.parse(l) as { attempt: number; database: string; retryInMs: number });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines[0]).toMatchObject({ attempt: 1, database: `127.0.0.1:${server.port}/postgres` });
    expect(lines[0].retryInMs).toBeGreaterThanOrEqual(250);
    expect(lines[0].retryInMs).toBeLessThanOrEqual(500);
    expect(served.output()).not.toContain(PASSWORD);

    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  }, 60_000);

  it('with --workers, the workers listen at once and answer once the database is up', async () => {
    await server.stop('fast');
    const served = await spawnServe({ DATABASE_URL: server.url }, await freePort(), ['--workers', '2']);
    await waitFor('listening', async () => (await fetch(`${served.base}/healthz`)).status === 200, 30_000, served);
    const readyz = await fetch(`${served.base}/readyz`);
    expect(readyz.status).toBe(503);
    expect(((await readyz.json()) as { reason: string }).reason).toMatch(/^(starting: |database unavailable: )/);
    await waitFor('a worker\'s first attempt failed', async () => ((await (await fetch(`${served.base}/readyz`)).json()) as { reason: string }).reason.startsWith('database unavailable: '), 20_000, served);
    await server.start();
    await waitFor('started', async () => served.output().includes(`mdm hub on ${served.base}`), 30_000, served);
    // A new connection may go to either worker: all of them answer 200.
    await waitFor('both workers ready', async () => {
      const statuses = await Promise.all(Array.from({ length: 8 }, async () => (await fetch(`${served.base}/readyz`, { headers: { connection: 'close' } })).status));
      return statuses.every((s) => s === 200);
    }, 20_000, served);
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  }, 60_000);

  it('ends at once, saying what to fix, on a missing database, an unknown user, a wrong password or a changed migration', async () => {
    const boot = new pg.Client({ connectionString: server.url });
    await boot.connect();
    await boot.query(`CREATE ROLE hub_pw LOGIN PASSWORD 'right-${PASSWORD}'`);
    // Passwords are checked for this role only; everything else stays trusted.
    const hba = join(server.dir, 'pg_hba_test.conf');
    writeFileSync(hba, ['host all hub_pw 127.0.0.1/32 scram-sha-256', 'host all all 127.0.0.1/32 trust', 'local all all trust', ''].join('\n'), { mode: 0o644 });
    await boot.query(`ALTER SYSTEM SET hba_file = '${hba}'`);
    await boot.end();
    await server.restart('fast');

    const adminQuery = async (statement: string) => {
      const c = new pg.Client({ connectionString: server.url });
      await c.connect();
      await c.query(statement);
      await c.end();
    };
    const at = (path: string, user = 'postgres', password = '') => `postgresql://${user}${password ? `:${password}` : ''}@127.0.0.1:${server.port}/${path}`;
    const missing = await runCli(['serve', '--port', '0'], { DATABASE_URL: at('no_such_db'), MDM_LOG_LEVEL: 'info' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`the database of DATABASE_URL does not exist on 127.0.0.1:${server.port}/no_such_db`);
    expect(missing.stderr).toContain('create it (createdb) or fix the database name in DATABASE_URL');
    expect(missing.stdout).not.toContain('trying again');

    const unknown = await runCli(['serve', '--port', '0'], { DATABASE_URL: at('postgres', 'nobody_here'), MDM_LOG_LEVEL: 'info' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('refused user "nobody_here"');

    const wrong = await runCli(['serve', '--port', '0'], { DATABASE_URL: at('postgres', 'hub_pw', 'wrong-secret-9d2'), MDM_LOG_LEVEL: 'info' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('refused the password of user "hub_pw"');
    expect(wrong.stderr).toContain('fix the password in DATABASE_URL');
    expect(wrong.stdout + wrong.stderr).not.toContain('wrong-secret-9d2');
    expect(wrong.stdout).not.toContain('trying again');

    // A landed migration whose file changed: never retried, never re-applied.
    await adminQuery(`CREATE DATABASE changed_hub`);
    const changed = await openDatabase({ databaseUrl: at('changed_hub'), poolSize: 1 });
    expect((await migrateToLatest(changed.db)).error).toBeUndefined();
    const first = await changed.db.selectFrom('schema_migration').select('name').orderBy('name').executeTakeFirstOrThrow();
    await changed.db.updateTable('schema_migration').set({ checksum: 'edited' }).where('name', '=', first.name).execute();
    await changed.close();
    const edited = await runCli(['serve', '--port', '0'], { DATABASE_URL: at('changed_hub'), MDM_LOG_LEVEL: 'info' });
    expect(edited.code).toBe(1);
    expect(edited.stderr).toContain(`cannot start: migration ${first.name} was changed after it was applied`);
    expect(edited.stdout).not.toContain('trying again');

    // The right password passes the same check.
    const right = new pg.Client({ connectionString: at('postgres', 'hub_pw', `right-${PASSWORD}`) });
    await right.connect();
    await right.end();
  }, 60_000);

  it('gives up after --wait-for-database seconds, and at once with 0', async () => {
    const nobody = `postgresql://postgres@127.0.0.1:${await freePort()}/postgres`;
    const now = await runCli(['serve', '--port', '0', '--wait-for-database', '0'], { DATABASE_URL: nobody, MDM_LOG_LEVEL: 'info' });
    expect(now.code).toBe(1);
    expect(now.stderr).toContain('is unreachable (--wait-for-database 0: no retries)');
    expect(now.stdout).not.toContain('trying again');

    const bounded = await runCli(['serve', '--port', '0'], { DATABASE_URL: nobody, MDM_WAIT_FOR_DATABASE: '1.5', MDM_LOG_LEVEL: 'info' });
    expect(bounded.code).toBe(1);
    expect(bounded.stderr).toMatch(/stayed unreachable for \d+ s \(--wait-for-database 1\.5\)/);
    expect(bounded.stdout).toContain('trying again');

    const bad = await runCli(['serve', '--port', '0', '--wait-for-database', 'soon'], { DATABASE_URL: nobody });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--wait-for-database (or MDM_WAIT_FOR_DATABASE) must be a number of seconds, 0 or more (got "soon")');
  }, 60_000);
});

describe('mdm serve on the configured database', () => {
  it('listens first and becomes ready once the database is open and migrated', async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const { key } = await createApiKey(database.db, { role: 'reader', name: 'start test' });
    await database.detach();
    const served = await spawnServe(database.env, await freePort());
    await waitFor('ready', async () => (await fetch(`${served.base}/readyz`)).status === 200, 30_000, served);
    const answered = await fetch(`${served.base}/graphql`, query(key));
    expect(await answered.json()).toEqual({ data: { goldenRecord: null } });
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  }, 60_000);
});

describe('start-up retry rules', () => {
  it('retries what a server coming up answers and not what retrying cannot fix', () => {
    const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });
    expect(isRetryableAtStart(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isRetryableAtStart(pgError('53300', 'sorry, too many clients already'))).toBe(true);
    expect(isRetryableAtStart(pgError('ENOTFOUND', 'getaddrinfo ENOTFOUND db'))).toBe(true);
    expect(isRetryableAtStart(new Error('timeout expired'))).toBe(true);
    expect(isRetryableAtStart(pgError('28P01', 'password authentication failed for user "hub"'))).toBe(false);
    expect(isRetryableAtStart(pgError('3D000', 'database "hub" does not exist'))).toBe(false);
    const changed = new MigrationError('migration 0003_x.sql was changed after it was applied; landed migrations are never edited, add a new file instead');
    expect(isRetryableAtStart(changed)).toBe(false);
    expect(explainFatal(changed, 'postgresql://hub:pw@db:5432/hub')).toBe(`cannot start: ${changed.message}`);
    expect(explainFatal(pgError('28P01', 'password authentication failed for user "hub"'), 'postgresql://hub:pw@db/hub')).not.toContain('pw@');
  });

  it('waits 0.5 s doubling to 10 s between attempts, with jitter', () => {
    expect([1, 2, 3, 4, 5, 6, 9].map((a) => retryDelayMs(a, () => 1))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect([1, 2, 6].map((a) => retryDelayMs(a, () => 0))).toEqual([250, 500, 5000]);
  });
});
