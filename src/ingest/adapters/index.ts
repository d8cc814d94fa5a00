/**
 * Builds the adapter a configured source needs (SAP, Salesforce or ServiceNow) with its own
 * HTTP client (rate limit, retries, secret redaction).
 *
 * @example
 * ```ts
 * const { adapter, http } = createSourceAdapter(findSource(config, 'erp'));
 * ```
 */
import { basicAuth, type HttpClientOptions, SourceHttpClient } from '../http-client';
import type { SourceAdapter } from '../source-adapter';
import { resolveSecret, type SourceConfig } from '../sources-config';
import { createSalesforceAdapter } from './salesforce-adapter';
import { createSapAdapter } from './sap-odata-adapter';
import { createServiceNowAdapter } from './servicenow-adapter';
import type { ObjectAdapter } from './object-access';

function offsetMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(zone)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export function createSourceAdapter(
  config: SourceConfig,
  overrides: Partial<HttpClientOptions> = {},
  env: NodeJS.ProcessEnv = process.env,
): { adapter: SourceAdapter; http: SourceHttpClient } {
  const secret = resolveSecret(config, env);
  const http = new SourceHttpClient({
    source: config.name,
    requestsPerSecond: config.rateLimit?.requestsPerSecond,
    maxRetries: config.retry?.maxRetries,
    baseDelayMs: config.retry?.baseDelayMs,
    maxDelayMs: config.retry?.maxDelayMs,
    timeoutMs: config.timeoutMs,
    ...overrides,
    secrets: [secret, ...(overrides.secrets ?? [])],
  });
  const common = { source: config.name, baseUrl: config.baseUrl, http, pageSize: config.pageSize, overlapSeconds: config.overlapSeconds };
  const auth = config.auth;
  switch (config.kind) {
    case 'sap':
      return {
        http,
        adapter: createSapAdapter({ ...common, authorization: basicAuth(auth.type === 'basic' ? auth.username : '', secret), timeZoneOffsetMinutes: offsetMinutes(config.timeZone) }),
      };
    case 'servicenow':
      return { http, adapter: createServiceNowAdapter({ ...common, authorization: basicAuth(auth.type === 'basic' ? auth.username : '', secret) }) };
    case 'salesforce':
      return {
        http,
        adapter: createSalesforceAdapter({
          ...common,
          clientId: auth.type === 'oauth-client-credentials' ? auth.clientId : '',
          clientSecret: secret,
          tokenUrl: auth.type === 'oauth-client-credentials' ? auth.tokenUrl : undefined,
          apiVersion: config.apiVersion,
        }),
      };
  }
}

/**
 * Like `createSourceAdapter`, with record-at-a-time access (`mapObject`, `readOne`) for
 * event-driven ingest.
 */
export function createObjectAdapter(
  config: SourceConfig,
  overrides: Partial<HttpClientOptions> = {},
  env: NodeJS.ProcessEnv = process.env,
): { adapter: ObjectAdapter; http: SourceHttpClient } {
  return createSourceAdapter(config, overrides, env) as { adapter: ObjectAdapter; http: SourceHttpClient };
}
