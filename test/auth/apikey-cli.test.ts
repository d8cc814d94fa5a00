import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

// The CLI runs in child processes; on PGlite they need the data directory to themselves.
let database: TestDatabase;
let env: Record<string, string>;
beforeAll(async () => {
  database = await openTestDatabase();
  env = database.env;
  if (database.kind === 'pglite') await database.close();
});
afterAll(async () => {
  if (database?.kind === 'postgres') await database.close();
});

describe('mdm apikey', () => {
  it('creates a key and prints it once, lists keys without secrets, and revokes by id', async () => {
    const created = await runCli(['apikey', 'create', '--role', 'reader', '--name', 'crm integration'], env);
    expect(created.code).toBe(0);
    const key = created.stdout.match(/mdm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/)?.[0];
    expect(key).toBeDefined();
    expect(created.stdout).toMatch(/not shown again/);

    const listed = await runCli(['apikey', 'list'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^#(\d+) mdm_[0-9a-f]{12}_… reader "crm integration" active, never used$/m);
    expect(listed.stdout).not.toContain(key!.slice('mdm_'.length + 13));
    const id = /^#(\d+)/m.exec(listed.stdout)![1];

    const revoked = await runCli(['apikey', 'revoke', id], env);
    expect(revoked.code).toBe(0);
    const after = await runCli(['apikey', 'list', '--json'], env);
    const rows = JSON.parse(after.stdout.trim().split('\n').at(-1)!) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id, name: 'crm integration', role: 'reader' });
    expect(rows[0].revokedAt).not.toBeNull();
    expect(after.stdout).not.toContain(key!.slice('mdm_'.length + 13));
  });

  it('exits 2 with one line for an unknown role or key id', async () => {
    const bad = await runCli(['apikey', 'create', '--role', 'root'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^mdm: role "root" is not known/);
    const missing = await runCli(['apikey', 'revoke', '424242'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('mdm: no API key with id 424242 (see `mdm apikey list`)');
  });
});
