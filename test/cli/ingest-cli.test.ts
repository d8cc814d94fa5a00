import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

// The CLI runs in child processes; on PGlite they need the data directory to themselves.
let database: TestDatabase;
let env: Record<string, string>;
const dir = mkdtempSync(join(tmpdir(), 'mdm-cli-'));

beforeAll(async () => {
  database = await openTestDatabase();
  env = database.env;
  if (database.kind === 'pglite') await database.close();
});
afterAll(async () => {
  if (database?.kind === 'postgres') await database.close();
});

describe('mdm ingest / quarantine list', () => {
  it('prints the JSON summary as the last line and exits 0 even with quarantined records', async () => {
    const file = join(dir, 'a.jsonl');
    writeFileSync(file, '{"entity":"product","source":"erp","sourceId":"P1","partNumber":"PMP-200"}\nnot json\n');
    const res = await runCli(['ingest', '--file', file, '--json'], env);
    expect(res.code).toBe(0);
    const last = res.stdout.trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toEqual({ read: 2, inserted: 1, updated: 0, unchanged: 0, stale: 0, deleted: 0, quarantined: 1 });

    const list = await runCli(['quarantine', 'list', '--json'], env);
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout.trim().split('\n').at(-1)!);
    expect(rows[0]).toMatchObject({ file, line: 2, excerpt: 'not json' });
    expect(rows[0].reason).toMatch(/^line 2: not valid JSON/);
  });

  it('exits 2 with one clear line when the file or the mapping cannot be read', async () => {
    const missing = await runCli(['ingest', '--file', join(dir, 'nope.jsonl')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe(`mdm: cannot read file ${join(dir, 'nope.jsonl')}: no such file`);

    const file = join(dir, 'b.csv');
    writeFileSync(file, 'a,b\n1,2\n');
    const badMapping = join(dir, 'bad.mapping.json');
    writeFileSync(badMapping, '{"fields": {"sourceId": 7}}');
    const bad = await runCli(['ingest', '--file', file, '--mapping', badMapping], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^mdm: mapping .*bad.mapping.json is invalid: fields\.sourceId/);

    const noMapping = await runCli(['ingest', '--file', file, '--mapping', join(dir, 'none.json')], env);
    expect(noMapping.code).toBe(2);
    expect(noMapping.stderr.trim()).toMatch(/^mdm: cannot read mapping .*none.json: ENOENT$/);
  });

  it('rejects an unknown entity option before reading anything', async () => {
    const res = await runCli(['ingest', '--file', join(dir, 'a.jsonl'), '--entity', 'machine'], env);
    expect(res.code).toBe(2);
    expect(res.stderr.trim()).toBe('mdm: --entity machine is not an entity type (customer, product, serial, asset, contract, location)');
  });
});
