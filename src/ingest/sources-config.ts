/**
 * The sources configuration: which source systems the hub pulls from, how to reach and
 * authenticate against them, how fast it may ask, and when it syncs. A JSON file, validated with
 * zod; its path comes from `--config` or `MDM_SOURCES`. Secrets may be given inline or, better,
 * as the name of an environment variable (`passwordEnv`, `clientSecretEnv`).
 *
 * @example
 * ```json
 * { "sources": [
 *   { "name": "erp", "kind": "sap", "baseUrl": "https://s4.example.com",
 *     "auth": { "type": "basic", "username": "MDM_READ", "passwordEnv": "ERP_PASSWORD" },
 *     "rateLimit": { "requestsPerSecond": 10 },
 *     "schedules": [ { "mode": "full", "cron": "0 2 * * *" }, { "mode": "delta", "cron": "*\/5 * * * *" } ] }
 * ] }
 * ```
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { UsageError } from '../core/errors';
import { parseCron } from './schedule';

const cronString = z.string().superRefine((value, ctx) => {
  try {
    parseCron(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

const basicAuthSchema = z
  .object({
    type: z.literal('basic'),
    username: z.string().min(1),
    password: z.string().min(1).optional(),
    passwordEnv: z.string().min(1).optional(),
  })
  .strict()
  .refine((a) => (a.password === undefined) !== (a.passwordEnv === undefined), { message: 'give exactly one of password or passwordEnv' });

const oauthSchema = z
  .object({
    type: z.literal('oauth-client-credentials'),
    tokenUrl: z.string().url().optional(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1).optional(),
    clientSecretEnv: z.string().min(1).optional(),
  })
  .strict()
  .refine((a) => (a.clientSecret === undefined) !== (a.clientSecretEnv === undefined), { message: 'give exactly one of clientSecret or clientSecretEnv' });

const sourceSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'a source name is 1-40 characters of a-z, 0-9, _ or -'),
    kind: z.enum(['sap', 'salesforce', 'servicenow']),
    baseUrl: z.string().url(),
    auth: z.discriminatedUnion('type', [basicAuthSchema, oauthSchema]),
    rateLimit: z.object({ requestsPerSecond: z.number().positive() }).strict().optional(),
    /** Records asked for per request. */
    pageSize: z.number().int().min(1).max(10_000).optional(),
    /** Keep each record's source payload (the API's JSON, minus bookkeeping) in its raw record (default true). */
    keepSourcePayload: z.boolean().optional(),
    /** Records stored per transaction (pages are gathered up to this; default 5000). */
    batchSize: z.number().int().min(1).max(100_000).optional(),
    /** Re-read this many seconds before the watermark on a delta (stamps of one second precision). */
    overlapSeconds: z.number().int().min(0).max(86_400).optional(),
    /** SAP: the system time zone of `LastChangeDate`/`LastChangeTime`, as an offset like `+01:00`. */
    timeZone: z.string().regex(/^[+-]\d{2}:\d{2}$/, 'timeZone is an offset like +01:00').optional(),
    /** Salesforce API version, e.g. `v60.0`. */
    apiVersion: z.string().regex(/^v\d+\.\d$/).optional(),
    retry: z.object({ maxRetries: z.number().int().min(0).max(20).optional(), baseDelayMs: z.number().int().min(1).optional(), maxDelayMs: z.number().int().min(1).optional() }).strict().optional(),
    timeoutMs: z.number().int().min(100).optional(),
    schedules: z.array(z.object({ mode: z.enum(['full', 'delta']), cron: cronString }).strict()).default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.kind === 'salesforce' && s.auth.type !== 'oauth-client-credentials') ctx.addIssue({ code: 'custom', path: ['auth'], message: 'a salesforce source authenticates with oauth-client-credentials' });
    if (s.kind !== 'salesforce' && s.auth.type !== 'basic') ctx.addIssue({ code: 'custom', path: ['auth'], message: `a ${s.kind} source authenticates with basic` });
  });

export const sourcesConfigSchema = z
  .object({ sources: z.array(sourceSchema) })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.sources.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: ['sources', i, 'name'], message: `source ${s.name} is configured twice` });
      seen.add(s.name);
    });
  });

export type SourcesConfig = z.infer<typeof sourcesConfigSchema>;
export type SourceConfig = SourcesConfig['sources'][number];

/** Validates a parsed config; throws `UsageError` naming each problem by its path. */
export function parseSourcesConfig(value: unknown, where = 'sources config'): SourcesConfig {
  const result = sourcesConfigSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ');
    throw new UsageError(`${where} is invalid: ${problems}`);
  }
  return result.data;
}

/** Reads and validates the config file at `path` (or `MDM_SOURCES`). */
export async function loadSourcesConfig(path: string | undefined = process.env.MDM_SOURCES): Promise<SourcesConfig> {
  if (!path) throw new UsageError('no sources configuration: pass --config <file> or set MDM_SOURCES');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read sources config ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`sources config ${path} is not valid JSON: ${(error as Error).message}`);
  }
  return parseSourcesConfig(json, `sources config ${path}`);
}

/** The configured source called `name`, or a UsageError listing the known ones. */
export function findSource(config: SourcesConfig, name: string): SourceConfig {
  const source = config.sources.find((s) => s.name === name);
  if (!source) {
    throw new UsageError(`source ${name} is not configured (configured: ${config.sources.map((s) => s.name).join(', ') || 'none'})`);
  }
  return source;
}

/** Resolved credentials of a source; throws `UsageError` when an env variable is missing. */
export function resolveSecret(source: SourceConfig, env: NodeJS.ProcessEnv = process.env): string {
  const auth = source.auth;
  if (auth.type === 'basic') {
    if (auth.password !== undefined) return auth.password;
    const v = env[auth.passwordEnv!];
    if (!v) throw new UsageError(`source ${source.name}: environment variable ${auth.passwordEnv} (the password) is not set`);
    return v;
  }
  if (auth.clientSecret !== undefined) return auth.clientSecret;
  const v = env[auth.clientSecretEnv!];
  if (!v) throw new UsageError(`source ${source.name}: environment variable ${auth.clientSecretEnv} (the client secret) is not set`);
  return v;
}
