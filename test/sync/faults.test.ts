import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRetryAfter, redact, SourceHttpClient, SourceHttpError } from '../../src/ingest/http-client';
import { syncSource } from '../../src/ingest/sync.service';
import type { CrmSimulator } from '../../src/sim/crm/crm-simulator';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { countRecords, SECRETS, type SourceName, startSource, worldRecords } from './helpers';

let database: TestDatabase;
const world = worldRecords(23, 1500);

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), text: () => text };
}

describe('retries under injected faults', () => {
  it.each(['erp', 'crm', 'fsm'] as SourceName[])('%s: 429 with Retry-After, 500, 503, a dropped connection and a body cut short are retried; nothing is lost', async (name) => {
    const { sim, config } = await startSource(name, world, { pageSize: 100 });
    try {
      const retries: Array<{ reason: string; delayMs: number }> = [];
      const data = name === 'erp' ? /\/sap\/opu/ : name === 'crm' ? /\/services\/data/ : /\/api\/now/;
      sim.faults.add(
        { match: data, status: 429, retryAfter: 1 },
        { match: data, status: 500 },
        { match: data, drop: true },
        { match: data, status: 503, times: 2 },
        { match: data, dropMidBody: true },
        { match: data, delayMs: 300 },
      );
      const started = Date.now();
      const result = await syncSource(database, { ...config, name: `${name}-f`, retry: { maxRetries: 8, baseDelayMs: 5, maxDelayMs: 50 } }, { mode: 'full', http: { onRetry: (r) => retries.push(r) } });
      expect(sim.faults.pending).toBe(0);
      expect(result.retries).toBe(6);
      expect(retries.map((r) => r.reason)).toEqual([
        'HTTP 429',
        'HTTP 500',
        expect.stringMatching(/^network error/),
        'HTTP 503',
        'HTTP 503',
        expect.stringMatching(/not valid JSON|network error/),
      ]);
      // Retry-After: 1 is honoured (at least one second), the others back off with jitter.
      expect(retries[0].delayMs).toBeGreaterThanOrEqual(1000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(await countRecords(database, `${name}-f`)).toBe(world.filter((r) => r.source === name).length);
    } finally {
      await sim.close();
    }
  });

  it('gives up after the configured retries with one clear error, and records the failed run', async () => {
    const { sim, config } = await startSource('erp', world, { pageSize: 100 });
    try {
      sim.faults.add({ status: 503, times: 100 });
      const error = await syncSource(database, { ...config, name: 'erp-down', retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 2 } }, { mode: 'full' }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(SourceHttpError);
      expect((error as Error).message).toMatch(/^erp-down: GET http:\/\/127\.0\.0\.1:\d+\/sap\/opu\/odata\/sap\/API_BUSINESS_PARTNER\/A_BusinessPartner\?.* failed after 3 attempts: HTTP 503$/);
      const run = await database.db.selectFrom('ingest_run').selectAll().where('source', '=', 'erp-down').executeTakeFirstOrThrow();
      expect(run.status).toBe('failed');
    } finally {
      await sim.close();
    }
  });

  it('salesforce: an expired session is renewed once with the client credentials', async () => {
    const { sim, config } = await startSource('crm', world, { pageSize: 100 });
    try {
      const crm = sim as CrmSimulator;
      let expired = false;
      const result = await syncSource(database, { ...config, name: 'crm-token' }, {
        mode: 'full',
        batchSize: 1,
        onProgress: () => {
          if (!expired) {
            expired = true;
            crm.expireTokens();
          }
        },
      });
      expect(crm.tokensIssued).toBe(2);
      expect(result.read).toBe(world.filter((r) => r.source === 'crm').length);
    } finally {
      await sim.close();
    }
  });

  it('bounds the request rate per source', async () => {
    const { sim, config } = await startSource('fsm', world, { pageSize: 10 });
    try {
      const started = Date.now();
      const result = await syncSource(database, { ...config, name: 'fsm-rate', rateLimit: { requestsPerSecond: 20 } }, { mode: 'full' });
      const seconds = (Date.now() - started) / 1000;
      // A burst of 20, then 20 per second.
      expect(result.requests).toBeGreaterThan(25);
      expect(seconds).toBeGreaterThanOrEqual((result.requests - 20) / 20 - 0.2);
    } finally {
      await sim.close();
    }
  });
});

describe('secrets never appear in logs or errors', () => {
  it.each(['erp', 'crm', 'fsm'] as SourceName[])('%s: wrong credentials fail with a message that holds no secret', async (name) => {
    const { sim, config } = await startSource(name, world, { pageSize: 100 });
    try {
      const wrong = `${SECRETS[name]}-wrong`;
      const auth = config.auth.type === 'basic' ? { ...config.auth, password: wrong } : { ...config.auth, clientSecret: wrong };
      const { logger, text } = capture();
      const error = await syncSource(database, { ...config, name: `${name}-s`, auth }, { mode: 'full', logger }).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(name === 'crm' ? /HTTP 400: .*invalid_client/ : /HTTP 401/);
      const run = await database.db.selectFrom('ingest_run').selectAll().where('source', '=', `${name}-s`).executeTakeFirstOrThrow();
      for (const haystack of [(error as Error).message, (error as Error).stack ?? '', text(), run.error ?? '', JSON.stringify(error)]) {
        expect(haystack).not.toContain(wrong);
        expect(haystack).not.toContain(SECRETS[name]);
        expect(haystack).not.toContain(Buffer.from(`${'username' in auth ? auth.username : ''}:${wrong}`).toString('base64'));
      }
    } finally {
      await sim.close();
    }
  });

  it('a successful sync with retries logs no secret, token or authorization header', async () => {
    const { sim, config } = await startSource('crm', world, { pageSize: 100 });
    try {
      sim.faults.add({ match: /query/, status: 500, times: 2 });
      const { logger, text } = capture();
      const retries: string[] = [];
      await syncSource(database, { ...config, name: 'crm-log' }, { mode: 'full', logger, http: { onRetry: (r) => retries.push(JSON.stringify(r)) } });
      const all = text() + retries.join('\n');
      expect(all).toContain('sync finished');
      expect(all).not.toContain(SECRETS.crm);
      expect(all).not.toMatch(/Bearer|00D[A-Za-z0-9_-]{20}|authorization/i);
    } finally {
      await sim.close();
    }
  });

  it('redacts secrets and URL credentials in texts', () => {
    expect(redact('GET https://user:hunter22@host/x failed: hunter22', ['hunter22'])).toBe('GET https://***@host/x failed: ***');
  });

  it('the HTTP client retries network errors with exponential backoff and full jitter', async () => {
    const delays: number[] = [];
    let calls = 0;
    const client = new SourceHttpClient({
      source: 't',
      maxRetries: 4,
      baseDelayMs: 100,
      maxDelayMs: 350,
      random: () => 1,
      sleep: async (ms) => {
        delays.push(ms);
      },
      fetch: (async () => {
        calls++;
        if (calls < 5) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
        return new Response('{"ok":true}', { status: 200 });
      }) as typeof fetch,
    });
    const res = await client.getJson<{ ok: boolean }>('http://127.0.0.1:1/x');
    expect(res.body.ok).toBe(true);
    expect(delays).toEqual([100, 200, 350, 350]);
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
  });
});
