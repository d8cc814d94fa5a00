import type { Hono, MiddlewareHandler } from 'hono';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { Logger } from '../core/logger';
import type { Database } from '../db/database';
import { deliveryRegistry } from './delivery-metrics';
import { createHttpMetrics, OperationNamer } from './http-metrics';
import { metricsRoutes } from './metrics.routes';
import { type BacklogCheck, checkOutboxBacklog } from './readiness';
import { requestContext } from './request-context.middleware';
import { createTableMetrics } from './table-metrics';

export interface ObservabilityOptions {
  database: Database;
  logger?: Logger;
  /** The app's registry; default a new one (registry per app). */
  registry?: Registry;
  /** How long table metrics are reused between scrapes (default `MDM_METRICS_CACHE_MS` or 10 s). */
  tableCacheMs?: number;
  /** Readiness bound of the outbox backlog (default `MDM_READY_MAX_OUTBOX_BACKLOG` or 100000; 0: off). */
  maxOutboxBacklog?: number;
  /** Bearer token required by `/metrics` (default `MDM_METRICS_TOKEN`; unset: open). */
  metricsToken?: string;
}

/** What the HTTP app mounts: request context middleware, `/metrics`, and the readiness part of delivery. */
export interface Observability {
  readonly registry: Registry;
  readonly middleware: MiddlewareHandler;
  readonly routes: Hono;
  /** The outbox backlog check of `/readyz`. */
  readiness(): Promise<BacklogCheck>;
}

/**
 * Observability of one HTTP app: a Prometheus registry of its own (process metrics, HTTP request
 * durations, metrics read from the tables) shown at `/metrics` together with the process-wide
 * delivery metrics, and the per-request correlation id and log line.
 *
 * @example
 * ```ts
 * const observability = createObservability({ database });
 * app.use('*', observability.middleware);
 * app.route('/metrics', observability.routes);
 * ```
 */
export function createObservability(options: ObservabilityOptions): Observability {
  const registry = options.registry ?? new Registry();
  const tableMetrics = createTableMetrics(options.database.db, registry, {
    cacheMs: options.tableCacheMs ?? (process.env.MDM_METRICS_CACHE_MS ? Number(process.env.MDM_METRICS_CACHE_MS) : undefined),
  });
  // Process metrics start with the first scrape: apps that are never scraped (tests) pay nothing.
  let processMetrics = false;
  const tables = {
    refresh() {
      if (!processMetrics) {
        processMetrics = true;
        collectDefaultMetrics({ register: registry });
      }
      return tableMetrics.refresh();
    },
  };
  const middleware = requestContext({ logger: options.logger, histogram: createHttpMetrics(registry), operations: new OperationNamer() });
  const routes = metricsRoutes({
    registry,
    extra: registry === deliveryRegistry ? [] : [deliveryRegistry],
    tables,
    token: options.metricsToken ?? (process.env.MDM_METRICS_TOKEN || undefined),
  });
  return {
    registry,
    middleware,
    routes,
    readiness: () => checkOutboxBacklog(options.database, { maxBacklog: options.maxOutboxBacklog }),
  };
}

export { requestContext } from './request-context.middleware';
export { correlationIdFrom } from './correlation';
export { checkOutboxBacklog } from './readiness';
export { deliveryRegistry, createDeliveryMetrics, type DeliveryMetrics } from './delivery-metrics';
