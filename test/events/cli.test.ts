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

describe('mdm subscriber and mdm events', () => {
  it('adds a subscriber printing its secret once, lists it without secret, replays and removes it', async () => {
    const added = await runCli(['subscriber', 'add', '--url', 'https://erp.example.com/mdm-events', '--entity', 'customer,product', '--events', 'created,merged'], env);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const secret = /^whsec_[A-Za-z0-9_-]{43}$/m.exec(added.stdout)?.[0];
    expect(secret).toBeDefined();
    expect(added.stdout).toMatch(/entities=customer,product events=golden.created,golden.merged/);

    const listed = await runCli(['subscriber', 'list', '--json'], env);
    expect(listed.code).toBe(0);
    const rows = JSON.parse(listed.stdout.trim().split('\n').at(-1)!) as Array<Record<string, unknown>>;
    expect(rows).toMatchObject([{ name: 'erp.example.com/mdm-events', url: 'https://erp.example.com/mdm-events', entities: ['customer', 'product'], eventTypes: ['golden.created', 'golden.merged'], active: true }]);
    expect(listed.stdout).not.toContain(secret!);

    const given = await runCli(['subscriber', 'add', '--url', 'http://127.0.0.1:9/x', '--name', 'crm', '--secret', 'a-given-secret-0123456789'], env);
    expect(given.code).toBe(0);
    expect(given.stdout).not.toContain('a-given-secret-0123456789');

    const bad = await runCli(['subscriber', 'add', '--url', 'ftp://x', '--name', 'x'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must use http or https/);

    const replay = await runCli(['events', 'replay', '--subscriber', 'crm', '--since', '1h', '--json'], env);
    expect(replay.code).toBe(0);
    expect(JSON.parse(replay.stdout.trim().split('\n').at(-1)!)).toMatchObject({ deadLetters: 0, redelivered: 0 });
    const status = await runCli(['events', 'status'], env);
    expect(status.stdout).toMatch(/"crm": 0 unread, 0 pending \(0 retrying\), 0 dead letters/);

    const removed = await runCli(['subscriber', 'remove', 'crm'], env);
    expect(removed.code).toBe(0);
    const missing = await runCli(['events', 'replay', '--subscriber', 'crm'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no subscriber "crm"/);
  });
});
