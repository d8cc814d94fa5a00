import { Hono } from 'hono';
import { logger } from '../core/logger';
import { HTTPException } from 'hono/http-exception';
import { type FailedAuthConfig, failedAuthLimit } from '../auth/failed-auth-limit';
import { type Database, isDatabaseUnavailable } from '../db/database';
import { migrationsCurrent } from '../db/migrate';
import { consoleRoutes } from '../console/console.routes';
import { graphqlRoutes } from '../graphql/graphql.routes';
import { createObservability } from '../observability';
import { inboxBacklog } from '../realtime/inbox.repository';
import { webhookConfigFromEnv, webhookRoutes } from '../realtime/webhook.routes';

export interface AppOptions {
  database: Database;
  /** Failed-authentication limits; default from the environment (docs/security.md). */
  authFailures?: Partial<FailedAuthConfig>;
}

/**
 * The hub's HTTP application. Later capabilities mount their routes here
 * (`/graphql`, `/ingest`, `/console`, `/metrics`).
 *
 * @example
 * ```ts
 * const app = createApp({ database });
 * const res = await app.request('/healthz'); // 200 {"status":"ok"}
 * ```
 */
export function createApp({ database, authFailures }: AppOptions): Hono {
  const app = new Hono();
  const observability = createObservability({ database });
  app.use('*', observability.middleware);
  // Addresses with too many failed authentications get 429 on /graphql, /ingest and /console/api.
  app.use('*', failedAuthLimit({ config: authFailures }));

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  const inboxBound = webhookConfigFromEnv().maxBacklog;
  app.get('/readyz', async (c) => {
    try {
      const current = await migrationsCurrent(database.db);
      if (!current) return c.json({ status: 'not-ready', reason: 'migrations pending' }, 503);
      const backlog = await observability.readiness();
      if (!backlog.ok) return c.json({ status: 'not-ready', reason: backlog.reason }, 503);
      const inbox = await inboxBacklog(database.db);
      if (inbox >= inboxBound) return c.json({ status: 'not-ready', reason: `inbox backlog of ${inbox} events is at its bound of ${inboxBound} (see \`mdm inbox status\`)` }, 503);
      return c.json({ status: 'ready', database: database.kind });
    } catch {
      return c.json({ status: 'not-ready', reason: 'database unreachable' }, 503);
    }
  });

  app.route('/graphql', graphqlRoutes({ database }));
  app.route('/console', consoleRoutes({ database }));
  app.route('/ingest', webhookRoutes({ database }));
  app.route('/metrics', observability.routes);

  // The database restarting or down: 503 with Retry-After on every route, never a bare 500.
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse();
    if (isDatabaseUnavailable(error)) {
      c.header('Retry-After', '5');
      return c.json({ error: { code: 'DATABASE_UNAVAILABLE', message: 'the database is unreachable (restarting or down): retry after 5 s (an event sent again is stored once)' } }, 503);
    }
    // Through the hub's logger (JSON, redaction), never the raw object to the console.
    const correlationId = (c.get as (key: string) => string | undefined)('correlationId') ?? null;
    logger.error({ correlationId, path: c.req.path, error: error instanceof Error ? `${error.name}: ${error.message.slice(0, 300)}` : 'non-error thrown' }, 'request failed');
    return c.json({ error: { code: 'INTERNAL', message: `the hub could not answer this request${correlationId ? ` (logged as ${correlationId})` : ''}` } }, 500);
  });

  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}
