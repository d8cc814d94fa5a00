import { Hono } from 'hono';
import { bodyLimit } from '../http/body-limit';
import { apiKeyAuth, type AuthEnv, unauthenticated } from '../auth/api-key-auth.middleware';
import type { Database } from '../db/database';
import { type GraphqlConfig, graphqlConfigFromEnv } from './config';
import { createGraphqlContext } from './context';
import { ErrorCode } from './errors';
import { isSchemaBrowsingRequest } from './introspection';
import { createGraphqlServer } from './yoga';

export interface GraphqlRoutesOptions {
  database: Database;
  /** Overrides of the limits and switches read from the environment (`graphqlConfigFromEnv`). */
  config?: Partial<GraphqlConfig>;
}

/**
 * The `/graphql` sub-app: body limit (413), API-key auth (401), then graphql-yoga with a fresh
 * context per request. GraphiQL opens on a browser GET. Without a key, only schema browsing
 * (GraphiQL and introspection-only queries) is possible, and only when
 * `anonymousSchemaBrowsing` (`MDM_GRAPHIQL_ANONYMOUS=1`) is on.
 *
 * @example
 * ```ts
 * app.route('/graphql', graphqlRoutes({ database }));
 * await app.request('/graphql', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
 *   body: JSON.stringify({ query: '{ goldenRecord(id: "G-1") { redirected record { id } } }' }) });
 * ```
 */
export function graphqlRoutes(options: GraphqlRoutesOptions): Hono<AuthEnv> {
  const config: GraphqlConfig = { ...graphqlConfigFromEnv(), ...options.config };
  const yoga = createGraphqlServer(config);
  const routes = new Hono<AuthEnv>();

  routes.use(
    '*',
    bodyLimit({
      maxSize: config.maxBodyBytes,
      onError: (c) =>
        c.json({ error: { code: ErrorCode.PayloadTooLarge, message: `request body is over the limit of ${config.maxBodyBytes} bytes` } }, 413),
    }),
  );
  routes.use('*', apiKeyAuth({ database: options.database, allowAnonymous: () => config.anonymousSchemaBrowsing }));

  routes.all('/', async (c) => {
    const principal = c.get('principal');
    if (principal.kind === 'anonymous' && !(await isSchemaBrowsingRequest(c.req.raw))) {
      return unauthenticated(c, 'without an API key only GraphiQL and introspection are available: send "Authorization: Bearer <key>"');
    }
    const res = await yoga.fetch(c.req.raw, createGraphqlContext({ db: options.database.db, database: options.database, principal, config, correlationId: (c.get as (key: string) => string | undefined)('correlationId') ?? null }));
    // yoga refuses an Accept or a Content-Type it cannot serve with an empty body; the hub says why.
    if ((res.status === 406 || res.status === 415) && !(res.headers.get('content-type') ?? '').includes('json')) {
      return res.status === 406
        ? c.json({ error: { code: 'NOT_ACCEPTABLE', message: `no answer format matches Accept "${(c.req.header('accept') ?? '').slice(0, 100)}": accept application/json or application/graphql-response+json (text/event-stream for subscriptions)` } }, 406)
        : c.json({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: `content type "${(c.req.header('content-type') ?? '(none)').slice(0, 100)}" is not accepted: send application/json` } }, 415);
    }
    return res;
  });
  return routes;
}
