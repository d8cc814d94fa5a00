import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { apiKeyAuth, type AuthEnv } from '../auth/api-key-auth.middleware';
import { hasScope } from '../auth/roles';
import type { Database } from '../db/database';
import { consoleBundle } from './bundle';
import { readOpsSnapshot } from './ops.repository';

export interface ConsoleRoutesOptions {
  database: Database;
}

const CSS = readFileSync(fileURLToPath(new URL('./app/console.css', import.meta.url)), 'utf8');

/** The page: static, no inline script (the CSP allows only same-origin scripts). */
const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>MDM hub · steward console</title>
<link rel="stylesheet" href="/console/console.css">
<script type="module" src="/console/app.js"></script>
</head>
<body>
<div id="app"><noscript>The steward console needs JavaScript.</noscript></div>
</body>
</html>
`;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * `/console`: the steward console (one HTML page, one CSS file, one JS bundle built in memory
 * with esbuild) and two small JSON endpoints behind the API-key middleware:
 * `GET /console/api/session` (the key's role and scopes, so the UI shows what the role may do)
 * and `GET /console/api/ops` (admin only: ingest runs, quarantine, queue depth, throughput).
 *
 * @example
 * ```ts
 * app.route('/console', consoleRoutes({ database }));
 * ```
 */
export function consoleRoutes({ database }: ConsoleRoutesOptions): Hono {
  const routes = new Hono();

  const pageHeaders = { ...SECURITY_HEADERS, 'Cache-Control': 'no-cache' };
  routes.get('/', (c) => c.html(PAGE, 200, pageHeaders));
  routes.get('/index.html', (c) => c.html(PAGE, 200, pageHeaders));

  routes.get('/console.css', (c) => c.body(CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'no-cache', ...SECURITY_HEADERS }));

  routes.get('/app.js', async (c) => {
    const bundle = await consoleBundle();
    if (c.req.header('if-none-match') === bundle.etag) return c.body(null, 304);
    return c.body(bundle.js, 200, {
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'no-cache',
      ETag: bundle.etag,
      ...SECURITY_HEADERS,
    });
  });

  const api = new Hono<AuthEnv>();
  api.use('*', apiKeyAuth({ database }));
  api.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  api.get('/session', (c) => {
    const principal = c.get('principal');
    return c.json({ role: principal.role, scopes: principal.scopes, keyId: principal.keyId });
  });
  api.get('/ops', async (c) => {
    const principal = c.get('principal');
    if (!hasScope(principal, 'admin')) {
      return c.json({ error: { code: 'FORBIDDEN', message: 'the operations dashboard needs an admin key' } }, 403);
    }
    return c.json(await readOpsSnapshot(database));
  });
  routes.route('/api', api);
  return routes;
}
