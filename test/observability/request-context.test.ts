import { Writable } from 'node:stream';
import { Hono } from 'hono';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { logger } from '../../src/core/logger';
import { createApp } from '../../src/http/app';
import { requestContext } from '../../src/observability/request-context.middleware';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

/** A pino logger writing JSON lines into an array. */
function capture(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { log: pino({ level: 'debug' }, stream), lines };
}

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('request context middleware', () => {
  it('takes X-Request-Id, answers it, logs it and exposes it to handlers', async () => {
    const { log, lines } = capture();
    const app = new Hono();
    app.use('*', requestContext({ logger: log }));
    app.get('/things/:id', (c) => c.json({ seen: c.get('correlationId') }));
    const res = await app.request('/things/7?apiKey=should-not-be-logged', { headers: { 'X-Request-Id': 'req-abc.123' } });
    expect(res.headers.get('x-request-id')).toBe('req-abc.123');
    expect(await res.json()).toEqual({ seen: 'req-abc.123' });
    const line = JSON.parse(lines.at(-1)!);
    expect(line).toMatchObject({ correlationId: 'req-abc.123', method: 'GET', path: '/things/7', route: '/things/:id', status: 200, msg: 'request' });
    expect(typeof line.durationMs).toBe('number');
    expect(lines.join('\n')).not.toContain('should-not-be-logged');
  });

  it('falls back to the traceparent trace id, then to a generated id; refuses ids that are not plain tokens', async () => {
    const app = new Hono();
    app.use('*', requestContext({ logger: pino({ level: 'silent' }) }));
    app.get('/', (c) => c.text(c.get('correlationId')));
    const traced = await app.request('/', { headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' } });
    expect(await traced.text()).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const fresh = await app.request('/');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const injected = await app.request('/', { headers: { 'X-Request-Id': 'anna.meier@example.com {"fake":1}' } });
    expect(injected.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps API keys, query strings and personal data out of the whole app\'s logs', async () => {
    const { key } = await createApiKey(database.db, { role: 'steward', name: 'log test' });
    const { lines } = capture();
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    const symbols = pino.symbols as unknown as { streamSym: symbol };
    const target = logger as unknown as Record<symbol, unknown>;
    const savedStream = target[symbols.streamSym];
    const savedLevel = logger.level;
    target[symbols.streamSym] = stream;
    logger.level = 'debug';
    try {
      const app = createApp({ database });
      const personal = { name: 'Anna Meier', email: 'anna.meier@example.com', phone: '+49 711 1234567' };
      const query = `query FindCustomer { goldenRecordByXref(entity: "customer", source: "crm", sourceId: "${personal.email}") { redirected } }`;
      for (const authorization of [`Bearer ${key}`, 'Bearer mdm_000000000000_wrongwrongwrongwrongwrongwrongwrongwrongwro']) {
        const body = JSON.stringify({ query, operationName: 'FindCustomer', variables: personal });
        // Real clients announce the length; the middleware only inspects bodies that do.
        const res = await app.request(`/graphql?token=${encodeURIComponent('secret-in-query')}`, {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), 'x-request-id': 'pii-test-1' },
          body,
        });
        expect(res.headers.get('x-request-id')).toBe('pii-test-1');
      }
      const text = lines.join('\n');
      const requests = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
      expect(requests).toHaveLength(2);
      expect(requests[0]).toMatchObject({ correlationId: 'pii-test-1', method: 'POST', path: '/graphql', operation: 'FindCustomer' });
      expect(requests.map((r) => r.status)).toEqual([200, 401]);
      for (const secret of [key, key.slice('mdm_'.length + 13) /* the secret part (it may contain '_') */, 'wrongwrong', 'Bearer', 'secret-in-query', 'Anna', 'Meier', 'anna.meier', '1234567']) {
        expect(text, secret).not.toContain(secret);
      }
    } finally {
      target[symbols.streamSym] = savedStream;
      logger.level = savedLevel;
    }
  });
});
