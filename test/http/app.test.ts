import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('HTTP app', () => {
  it('answers /healthz and /readyz', async () => {
    const app = createApp({ database });
    const health = await app.request('/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await app.request('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: database.kind });
  });

  it('answers an unknown route with a JSON 404', async () => {
    const res = await createApp({ database }).request('/nope');
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
  });

  it('answers a failure it did not foresee with a JSON 500 that names the correlation id, and logs it through the hub logger', async () => {
    const app = createApp({ database });
    app.get('/boom', () => {
      throw new Error('unexpected state');
    });
    const res = await app.request('/boom', { headers: { 'x-request-id': 'boom-1' } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: 'INTERNAL', message: 'the hub could not answer this request (logged as boom-1)' } });
  });
});
