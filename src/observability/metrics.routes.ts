import { timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import type { Registry } from 'prom-client';
import type { TableMetrics } from './table-metrics';

export interface MetricsRoutesOptions {
  /** The app's registry (HTTP and process metrics, table metrics). */
  registry: Registry;
  /** Further registries shown with it (the process-wide delivery metrics). */
  extra?: readonly Registry[];
  tables?: TableMetrics;
  /** When set, scrapes must send `Authorization: Bearer <token>` (`MDM_METRICS_TOKEN`). */
  token?: string;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `GET /metrics`: Prometheus text exposition of the app's registry plus the extra registries,
 * after refreshing the table metrics (cached).
 *
 * @example
 * ```ts
 * app.route('/metrics', metricsRoutes({ registry, extra: [deliveryRegistry], tables }));
 * ```
 */
export function metricsRoutes(options: MetricsRoutesOptions): Hono {
  const routes = new Hono();
  routes.get('/', async (c) => {
    if (options.token) {
      const given = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
      if (!given || !sameToken(given, options.token)) {
        c.header('WWW-Authenticate', 'Bearer realm="mdm-metrics"');
        return c.json({ error: { code: 'UNAUTHENTICATED', message: 'metrics need "Authorization: Bearer <MDM_METRICS_TOKEN>"' } }, 401);
      }
    }
    await options.tables?.refresh();
    const parts = [await options.registry.metrics()];
    for (const r of options.extra ?? []) parts.push(await r.metrics());
    return c.body(parts.filter((p) => p.trim() !== '').join('\n'), 200, { 'content-type': options.registry.contentType });
  });
  return routes;
}
