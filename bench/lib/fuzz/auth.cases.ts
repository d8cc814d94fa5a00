import type { Rng } from '../../../src/sim/world/random';
import type { FuzzContext, HttpCase, HttpRequestSpec } from './types';
import { SQL_INJECTIONS } from './values';

/**
 * Authentication and routing cases: every protected surface (`/graphql`, `/ingest`,
 * `/console/api`) with no key, a malformed header, a malformed key, an unknown key, a revoked key,
 * a known prefix with a wrong secret, a key of the wrong role and a good key; webhook signatures;
 * other paths and methods. The refusals of unknown, revoked and malformed keys must be identical
 * per surface (no enumeration). Requests come from a small pool of addresses, so the failed-auth
 * limit answers 429 to some of them.
 */

type Surface = 'graphql' | 'webhook' | 'console-session' | 'console-ops';

/** Addresses of the authentication cases: the only ones that may be rate limited. */
export const AUTH_CLIENT_PREFIX = '10.66.';
const clientOf = (rng: Rng) => `${AUTH_CLIENT_PREFIX}0.${rng.range(1, 16)}`;

function requestFor(surface: Surface, authorization: string | undefined, client: string, extra: Record<string, string> = {}): HttpRequestSpec {
  const headers: Record<string, string> = { ...extra };
  if (authorization !== undefined) headers.authorization = authorization;
  switch (surface) {
    case 'graphql':
      return { method: 'POST', path: '/graphql', headers: { ...headers, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ query: '{ goldenRecords(ids: ["G-0000000000000"]) { requestedId } }' }), client };
    case 'webhook':
      return { method: 'POST', path: '/ingest/erp/records', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ entity: 'product', sourceId: 'AUTH-PROBE', name: 'probe' }), client };
    case 'console-session':
      return { method: 'GET', path: '/console/api/session', headers, client };
    case 'console-ops':
      return { method: 'GET', path: '/console/api/ops', headers, client };
  }
}

/** A key with a known prefix and another secret. */
function wrongSecret(key: string): string {
  const last = key.at(-1) === 'A' ? 'B' : 'A';
  return `${key.slice(0, -1)}${last}`;
}

export function authCases() {
  const credentials = (rng: Rng, ctx: FuzzContext): HttpCase => {
    const surface = rng.pick<Surface>(['graphql', 'webhook', 'console-session', 'console-ops']);
    const client = clientOf(rng);
    const r = rng.int(11);
    let authorization: string | undefined;
    let kind: string;
    let statuses: number[];
    let sameBodyAs: string | undefined;
    switch (r) {
      case 0:
        authorization = undefined;
        kind = 'no-key';
        statuses = [401];
        break;
      case 1:
        authorization = rng.pick(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'bearer  a b', 'Token abc', `Bearer ${'k'.repeat(8000)}`, '', '   ', 'Bearer\tx']);
        kind = 'malformed-header';
        statuses = authorization.trim() === '' ? [401] : [401];
        break;
      case 2:
        authorization = `Bearer ${rng.pick(['mdm_', 'mdm_zzzzzzzzzzzz_' + 'a'.repeat(43), 'mdm_0123456789ab_short', SQL_INJECTIONS[rng.int(SQL_INJECTIONS.length)].replace(/\s/g, ''), 'x'.repeat(200)])}`;
        kind = 'malformed-key';
        statuses = [401];
        sameBodyAs = surface;
        break;
      case 3:
        authorization = `Bearer mdm_${rng.digits(12).replace(/./g, (d) => '0123456789abcdef'[Number(d)])}_${'Q'.repeat(43)}`;
        kind = 'unknown-key';
        statuses = [401];
        sameBodyAs = surface;
        break;
      case 4:
        authorization = `Bearer ${ctx.keys.revoked}`;
        kind = 'revoked-key';
        statuses = [401];
        sameBodyAs = surface;
        break;
      case 5:
        authorization = `Bearer ${wrongSecret(ctx.keys[rng.pick(['reader', 'admin'] as const)])}`;
        kind = 'wrong-secret';
        statuses = [401];
        sameBodyAs = surface;
        break;
      case 6: {
        const key = rng.pick([ctx.keys.reader, ctx.keys.steward, ctx.keys.ingest.crm]);
        authorization = `Bearer ${key}`;
        kind = 'wrong-role';
        statuses = surface === 'webhook' ? [403] : surface === 'console-ops' ? [403] : surface === 'graphql' ? [200] : [200];
        if (surface === 'webhook' && key === ctx.keys.ingest.crm) statuses = [403];
        break;
      }
      case 7: {
        const signature = rng.pick([`sha256=${'0'.repeat(64)}`, 'sha256=zz', 'sha1=abc', '', `sha256=${'f'.repeat(63)}`]);
        const req = { ...requestFor('webhook', undefined, client), path: '/ingest/fsm/records' };
        req.headers['x-hub-signature-256'] = signature;
        return { target: 'auth', kind: 'bad-signature', request: req, expect: { type: 'status', statuses: [401, 429] } };
      }
      default:
        authorization = `Bearer ${ctx.keys.admin}`;
        kind = 'good-key';
        statuses = surface === 'webhook' ? [202] : [200];
    }
    const request = requestFor(surface, authorization, client);
    return { target: 'auth', kind: `${surface}:${kind}`, request, expect: { type: 'status', statuses: [...statuses, 429], sameBodyAs } };
  };

  const routing = (rng: Rng, ctx: FuzzContext): HttpCase => {
    const path = rng.pick([
      '/', '/healthz', '/readyz', '/metrics', '/console', '/console/', '/console/index.html', '/console/console.css', '/console/api', '/console/api/',
      '/console/api/unknown', '/console/../graphql', '/%2e%2e/%2e%2e/etc/passwd', '/graphql/extra', '/ingest', '/ingest/', `/x${'y'.repeat(rng.range(1000, 20_000))}`,
      '/graphql?query=%7B__typename%7D', `/healthz?${'a=1&'.repeat(500)}`, '/console/api/session?key=mdm_x', '/%00', '/console/%ff',
    ]);
    const method = rng.pick(['GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS', 'PATCH']);
    const headers: Record<string, string> = rng.chance(0.5) ? { authorization: `Bearer ${ctx.keys.reader}` } : {};
    if (method !== 'GET' && method !== 'HEAD') headers['content-type'] = rng.pick(['application/json', 'text/plain']);
    const request: HttpRequestSpec = { method, path, headers, body: method === 'GET' || method === 'HEAD' ? undefined : '{}', client: `10.3.0.${rng.range(1, 254)}` };
    return { target: 'auth', kind: 'routing', request, expect: { type: 'any' } };
  };

  return { credentials, routing };
}
