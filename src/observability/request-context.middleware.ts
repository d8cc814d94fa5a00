import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Histogram } from 'prom-client';
import { logger as rootLogger, type Logger } from '../core/logger';
import { bodyText } from '../http/body-once';
import { correlationIdFrom } from './correlation';
import type { HttpLabels, OperationNamer } from './http-metrics';

declare module 'hono' {
  interface ContextVariableMap {
    /** The request's correlation id (X-Request-Id, else traceparent trace id, else generated). */
    correlationId: string;
    /** A logger bound to the request's correlation id. */
    logger: Logger;
  }
}

export interface RequestContextOptions {
  logger?: Logger;
  /** Where request durations go; none: not measured. */
  histogram?: Histogram<HttpLabels>;
  /** Names GraphQL operations; required to label `/graphql` requests by operation. */
  operations?: OperationNamer;
  /** Path of the GraphQL endpoint (default `/graphql`). */
  graphqlPath?: string;
  /** Paths logged at debug level only (probes and scrapes). */
  quietPaths?: readonly string[];
}

const MAX_INSPECTED_BODY = 64 * 1024;

/**
 * The text of a body that announces at most `max` bytes, read once for the whole hub (`bodyText`:
 * GraphQL's parser takes the same text); undefined for a longer body or one of unknown length,
 * which is left alone.
 */
async function readAtMost(req: Request, max: number): Promise<string | undefined> {
  const length = Number(req.headers.get('content-length') ?? 'NaN');
  if (!(length <= max)) return undefined;
  const text = await bodyText(req);
  return text.length <= max ? text : undefined;
}

async function graphqlOperation(req: Request, url: URL, namer: OperationNamer): Promise<string> {
  if (req.method === 'GET') return namer.name(url.searchParams.get('operationName'), url.searchParams.get('query'));
  if (req.method !== 'POST' || !req.headers.get('content-type')?.includes('json')) return 'unknown';
  try {
    const text = await readAtMost(req, MAX_INSPECTED_BODY);
    if (text === undefined) return 'unknown';
    const body = JSON.parse(text) as { operationName?: unknown; query?: unknown } | unknown[];
    if (Array.isArray(body)) return 'batch';
    return namer.name(body?.operationName, body?.query);
  } catch {
    return 'unknown';
  }
}

/**
 * Per request: the correlation id (set on `c.get('correlationId')` and answered as `X-Request-Id`),
 * a child logger bound to it (`c.get('logger')`), one log line when the request ends (method, path
 * without query string, route, status, duration) and the request duration histogram. Headers,
 * query strings and bodies are never logged: they carry API keys and personal data.
 *
 * @example
 * ```ts
 * app.use('*', requestContext({ histogram: createHttpMetrics(registry), operations: new OperationNamer() }));
 * app.get('/x', (c) => c.text(c.get('correlationId')));
 * ```
 */
export function requestContext(options: RequestContextOptions = {}): MiddlewareHandler {
  const base = options.logger ?? rootLogger;
  const graphqlPath = options.graphqlPath ?? '/graphql';
  const quiet = new Set(options.quietPaths ?? ['/healthz', '/readyz', '/metrics']);
  return async function requestContextMiddleware(c, next) {
    const started = performance.now();
    const correlationId = correlationIdFrom({ requestId: c.req.header('x-request-id'), traceparent: c.req.header('traceparent') });
    const log = base.child({ correlationId });
    c.set('correlationId', correlationId);
    c.set('logger', log);
    const path = c.req.path;
    const operation =
      options.operations && path === graphqlPath ? await graphqlOperation(c.req.raw, new URL(c.req.url), options.operations) : '';
    let failed = false;
    try {
      await next();
    } catch (error) {
      failed = true;
      throw error;
    } finally {
      const status = failed ? 500 : c.res.status;
      c.res.headers.set('X-Request-Id', correlationId);
      const matched = routePath(c);
      const route = !matched || matched === '*' || matched === '/*' ? (status === 404 ? 'unmatched' : '*') : matched;
      const seconds = (performance.now() - started) / 1000;
      options.histogram?.observe({ method: c.req.method, route, status: String(status), operation }, seconds);
      const line = { method: c.req.method, path: path.length > 200 ? `${path.slice(0, 200)}…` : path, route, status, durationMs: Math.round(seconds * 10000) / 10, ...(operation ? { operation } : {}) };
      if (quiet.has(path)) log.debug(line, 'request');
      else if (status >= 500) log.error(line, 'request');
      else log.info(line, 'request');
    }
  };
}
