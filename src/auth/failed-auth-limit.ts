import type { Context, MiddlewareHandler } from 'hono';

/**
 * Failed-authentication rate limiting. A client address that presented credentials (an
 * `Authorization` header or a webhook signature) and was answered 401 `maxFailures` times within
 * `windowMs` gets 429 with `Retry-After` on every protected request until the window ends, before
 * its key is looked at. Successful requests are never counted, and never limited by this. Limits
 * are per process (docs/security.md).
 */
export interface FailedAuthConfig {
  /** Failed authentications of one address within a window before it is refused (`MDM_AUTH_MAX_FAILURES`, 20). */
  maxFailures: number;
  /** Window length in milliseconds (`MDM_AUTH_FAILURE_WINDOW_SECONDS`, 60 s). */
  windowMs: number;
  /** Take the client address from the last `X-Forwarded-For` entry (`MDM_TRUST_PROXY=1`): only behind a reverse proxy. */
  trustProxy: boolean;
  /** Most addresses remembered at once; the oldest are forgotten first. */
  maxClients: number;
  /** Clock in milliseconds (tests). */
  now: () => number;
}

export const DEFAULT_FAILED_AUTH_CONFIG: FailedAuthConfig = {
  maxFailures: 20,
  windowMs: 60_000,
  trustProxy: false,
  maxClients: 10_000,
  now: () => Date.now(),
};

function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Reads `MDM_AUTH_MAX_FAILURES`, `MDM_AUTH_FAILURE_WINDOW_SECONDS` and `MDM_TRUST_PROXY`; anything
 * missing or not a positive integer keeps its default.
 *
 * @example
 * ```ts
 * failedAuthConfigFromEnv({ MDM_AUTH_MAX_FAILURES: '5' }).maxFailures; // 5
 * ```
 */
export function failedAuthConfigFromEnv(env: NodeJS.ProcessEnv = process.env): FailedAuthConfig {
  const d = DEFAULT_FAILED_AUTH_CONFIG;
  return {
    ...d,
    maxFailures: positiveInt(env.MDM_AUTH_MAX_FAILURES, d.maxFailures),
    windowMs: positiveInt(env.MDM_AUTH_FAILURE_WINDOW_SECONDS, d.windowMs / 1000) * 1000,
    trustProxy: env.MDM_TRUST_PROXY === '1' || env.MDM_TRUST_PROXY === 'true',
  };
}

/**
 * The bucket of a client address: IPv4 addresses as they are (IPv4-mapped IPv6 unwrapped), IPv6
 * addresses by their /64 prefix (one host usually holds a whole /64, so single addresses would be
 * free to rotate).
 *
 * @example
 * ```ts
 * clientBucket('::ffff:10.0.0.7');            // '10.0.0.7'
 * clientBucket('2001:db8:1:2:aaaa::1');       // '2001:db8:1:2::/64'
 * ```
 */
export function clientBucket(address: string): string {
  const a = address.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(a);
  if (mapped) return mapped[1];
  if (!a.includes(':')) return a;
  const [head, tail] = a.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array.from({ length: Math.max(0, missing) }, () => '0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

type NodeBindings = { incoming?: { socket?: { remoteAddress?: string } } };

/** The client address of a request: the socket's peer (@hono/node-server), or `unknown` (`app.request` in tests). */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for');
    const last = forwarded?.split(',').pop()?.trim();
    if (last) return clientBucket(last);
  }
  const peer = (c.env as NodeBindings | undefined)?.incoming?.socket?.remoteAddress;
  return peer ? clientBucket(peer) : 'unknown';
}

/** Counts failures per client address in fixed windows. */
export class FailedAuthLimiter {
  private readonly clients = new Map<string, { start: number; failures: number }>();
  constructor(readonly config: FailedAuthConfig) {}

  /** Milliseconds until the address may try again; 0 when it is not limited. */
  retryAfterMs(client: string): number {
    const entry = this.clients.get(client);
    if (!entry) return 0;
    const left = entry.start + this.config.windowMs - this.config.now();
    if (left <= 0) {
      this.clients.delete(client);
      return 0;
    }
    return entry.failures >= this.config.maxFailures ? left : 0;
  }

  recordFailure(client: string): void {
    const now = this.config.now();
    let entry = this.clients.get(client);
    if (entry && now - entry.start >= this.config.windowMs) {
      this.clients.delete(client);
      entry = undefined;
    }
    if (!entry) {
      if (this.clients.size >= this.config.maxClients) this.forgetOldest(now);
      entry = { start: now, failures: 0 };
      this.clients.set(client, entry);
    }
    entry.failures++;
  }

  /** Addresses remembered (for tests and metrics). */
  get size(): number {
    return this.clients.size;
  }

  private forgetOldest(now: number): void {
    for (const [client, entry] of this.clients) if (now - entry.start >= this.config.windowMs) this.clients.delete(client);
    // Insertion order is window-start order: the first entries are the oldest.
    for (const client of this.clients.keys()) {
      if (this.clients.size < this.config.maxClients) break;
      this.clients.delete(client);
    }
  }
}

export interface FailedAuthLimitOptions {
  config?: Partial<FailedAuthConfig>;
  /** The paths whose 401s count and that answer 429 (default `/graphql`, `/ingest/...`, `/console/api/...`). */
  paths?: RegExp;
}

const PROTECTED = /^\/(?:graphql(?:\/|$)|ingest\/|console\/api(?:\/|$))/;

/**
 * The middleware: answers 429 `TOO_MANY_AUTH_FAILURES` with `Retry-After` for a limited address,
 * else runs the request and counts a 401 to a request that presented credentials.
 *
 * @example
 * ```ts
 * app.use('*', failedAuthLimit({ config: { maxFailures: 20 } }));
 * // 21st wrong key within a minute from one address:
 * // 429 {"error":{"code":"TOO_MANY_AUTH_FAILURES","message":"20 failed authentications from this address within 60 s: retry after 42 s"}}
 * ```
 */
export function failedAuthLimit(options: FailedAuthLimitOptions = {}): MiddlewareHandler {
  const config: FailedAuthConfig = { ...failedAuthConfigFromEnv(), ...options.config };
  const limiter = new FailedAuthLimiter(config);
  const paths = options.paths ?? PROTECTED;
  return async function failedAuthLimitMiddleware(c, next) {
    if (!paths.test(c.req.path)) return next();
    const client = clientAddress(c, config.trustProxy);
    const wait = limiter.retryAfterMs(client);
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      c.header('Retry-After', String(seconds));
      return c.json(
        {
          error: {
            code: 'TOO_MANY_AUTH_FAILURES',
            message: `${config.maxFailures} failed authentications from this address within ${Math.round(config.windowMs / 1000)} s: retry after ${seconds} s`,
          },
        },
        429,
      );
    }
    await next();
    if (c.res.status === 401 && (c.req.header('authorization') !== undefined || c.req.header('x-hub-signature-256') !== undefined)) {
      limiter.recordFailure(client);
    }
  };
}
