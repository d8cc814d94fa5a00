import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * `npm start` end to end: the demo command in a child process starts the simulated ERP, CRM and
 * FSM, syncs them through the adapters, resolves and serves; the golden records it serves carry
 * cross-references from all three systems.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let child: ChildProcess;
let stdout = '';
let stderr = '';
let exited: Promise<number | null>;
let cleanup: () => Promise<void>;
let graphqlUrl = '';
let key = '';

/** A database of its own for the child: a fresh PostgreSQL database, or an empty PGlite directory. */
async function childEnv(): Promise<Record<string, string>> {
  if (process.env.DATABASE_URL) {
    // The child migrates and uses it; this process only keeps it to drop it afterwards.
    const database: TestDatabase = await openTestDatabase();
    cleanup = () => database.close();
    return database.env;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mdm-demo-'));
  cleanup = async () => rmSync(dir, { recursive: true, force: true });
  return { MDM_DATA_DIR: join(dir, 'data'), DATABASE_URL: '' };
}

beforeAll(async () => {
  const env = await childEnv();
  child = spawn(process.execPath, ['bin/mdm.js', 'demo', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr!.on('data', (d) => (stderr += d));
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      stdout += d;
      if (/^database: /m.test(stdout)) resolve();
    });
    void exited.then((code) => reject(new Error(`demo exited with ${code} before serving:\n${stdout}\n${stderr}`)));
  });
  graphqlUrl = /^GraphQL: (http:\/\/127\.0\.0\.1:\d+\/graphql)/m.exec(stdout)![1];
  key = /Authorization: Bearer (mdm_[A-Za-z0-9_-]+)/.exec(stdout)![1];
}, 240_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await exited;
  }
  await cleanup?.();
});

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  expect(body.errors).toBeUndefined();
  return body.data!;
}

interface Page {
  goldenRecordsConnection: {
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: { id: string; crossReferences: Array<{ source: string; sourceId: string }> } }>;
  };
}

describe('npm start (mdm demo)', () => {
  it('syncs each simulated source through its adapter and prints where the simulators listen', () => {
    for (const [name, api] of [['erp', 'SAP OData v2'], ['crm', 'Salesforce REST'], ['fsm', 'ServiceNow Table API']]) {
      expect(stdout).toMatch(new RegExp(`^source ${name} \\(${api} simulator\\): http://127\\.0\\.0\\.1:\\d+$`, 'm'));
      const synced = new RegExp(`^synced ${name}: read (\\d+), inserted (\\d+), .*quarantined (\\d+) `, 'm').exec(stdout);
      expect(synced, `${name} sync line`).not.toBeNull();
      expect(Number(synced![1])).toBeGreaterThan(100);
      expect(Number(synced![3])).toBe(0);
    }
    expect(stdout).toMatch(/^resolved customer: \d+ records -> \d+ golden records/m);
  });

  it('serves the simulators while the hub runs, behind their authentication', async () => {
    const erp = /^ {2}erp SAP OData v2: (http:\/\/127\.0\.0\.1:\d+) {2}try: curl -s -u '([^:]+):([^']+)'/m.exec(stdout);
    expect(erp).not.toBeNull();
    const path = '/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$top=1&$format=json';
    expect((await fetch(`${erp![1]}${path}`)).status).toBe(401);
    const res = await fetch(`${erp![1]}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${erp![2]}:${erp![3]}`).toString('base64')}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { d: { results: unknown[] } }).d.results).toHaveLength(1);
  });

  it('refuses GraphQL without the printed key', async () => {
    const res = await fetch(graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ goldenRecordsConnection(entity: CUSTOMER, first: 1) { edges { node { id } } } }' }) });
    expect(res.status).toBe(401);
  });

  it('serves golden records with cross-references from the ERP, the CRM and the FSM', async () => {
    const query = `query ($after: String) {
      goldenRecordsConnection(entity: CUSTOMER, first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        edges { node { id crossReferences { source sourceId } } }
      }
    }`;
    const sources = new Set<string>();
    let allThree = 0;
    let records = 0;
    let after: string | null = null;
    for (;;) {
      const page: Page = await graphql<Page>(query, { after });
      for (const { node } of page.goldenRecordsConnection.edges) {
        records++;
        const mine = new Set(node.crossReferences.map((x) => x.source));
        for (const s of mine) sources.add(s);
        if (mine.has('erp') && mine.has('crm') && mine.has('fsm')) allThree++;
      }
      if (!page.goldenRecordsConnection.pageInfo.hasNextPage) break;
      after = page.goldenRecordsConnection.pageInfo.endCursor;
    }
    expect(records).toBeGreaterThan(100);
    expect([...sources].sort()).toEqual(['crm', 'erp', 'fsm']);
    // The world holds customers known to all three systems; resolution joins many of them.
    expect(allThree).toBeGreaterThan(10);
  });

  it('stops cleanly on SIGTERM', async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
