/**
 * The HTTP client of the source adapters: Node's `fetch` with a bounded request rate per source,
 * retries with exponential backoff and full jitter on 429, 5xx, timeouts and network errors
 * (honouring `Retry-After`), and errors that never carry a secret.
 *
 * @example
 * ```ts
 * const http = new SourceHttpClient({ source: 'erp', requestsPerSecond: 20, secrets: [password] });
 * const { body } = await http.getJson(url, { authorization: basicAuth(user, password) });
 * ```
 */

export interface HttpClientOptions {
  /** Source name, for messages. */
  source: string;
  /** Requests per second at most (token bucket); 0 or absent = unbounded. */
  requestsPerSecond?: number;
  /** Retries after the first attempt (default 6). */
  maxRetries?: number;
  /** First backoff step in ms (default 250); doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured (default 120 s); a longer one fails the request. */
  maxRetryAfterMs?: number;
  /** Time limit per attempt (default 60 s). */
  timeoutMs?: number;
  /** Strings that must never appear in an error (passwords, client secrets, tokens). */
  secrets?: string[];
  /** Called before each retry (for logs: no headers, no bodies). */
  onRetry?: (info: { url: string; attempt: number; delayMs: number; reason: string }) => void;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
  fetch?: typeof fetch;
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** A request that failed for good. The message names the source, status and URL, never a secret. */
export class SourceHttpError extends Error {
  override readonly name = 'SourceHttpError';
  constructor(
    message: string,
    readonly status: number | null,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** `Authorization` header value for Basic authentication. */
export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Parses `Retry-After` (seconds or an HTTP date) to ms, or null. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** A token bucket: `take()` resolves when a request may go. */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly perSecond: number,
    private readonly burst = Math.max(1, Math.ceil(perSecond)),
    private readonly sleep = defaultSleep,
  ) {
    this.tokens = this.burst;
  }

  take(signal?: AbortSignal): Promise<void> {
    if (!(this.perSecond > 0)) return Promise.resolve();
    const next = this.chain.then(async () => {
      for (;;) {
        const now = Date.now();
        this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.perSecond);
        this.last = now;
        if (this.tokens >= 1) {
          this.tokens -= 1;
          return;
        }
        await this.sleep(Math.ceil(((1 - this.tokens) / this.perSecond) * 1000), signal);
      }
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** Removes every secret (and URL user info) from a text. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text.replace(/(\w+:\/\/)[^/@\s]+@/g, '$1***@');
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}

function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 408 || status === 500 || status === 502 || status === 503 || status === 504;
}

function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    const text = u.toString();
    return text.length > 300 ? `${text.slice(0, 297)}...` : text;
  } catch {
    return '(invalid url)';
  }
}

/** HTTP with retries, backoff, a rate limit and secret-free errors. One client per source. */
export class SourceHttpClient {
  private readonly limiter: RateLimiter;
  private readonly sleep: NonNullable<HttpClientOptions['sleep']>;
  private readonly random: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly secrets: string[];
  /** Requests sent (attempts) and retries made, for progress reports. */
  attempts = 0;
  retries = 0;

  constructor(private readonly options: HttpClientOptions) {
    this.sleep = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.fetchFn = options.fetch ?? fetch;
    this.limiter = new RateLimiter(options.requestsPerSecond ?? 0, undefined, this.sleep);
    this.secrets = [...(options.secrets ?? [])];
  }

  /** Adds a secret learnt at run time (an access token) to the redaction list. */
  addSecret(secret: string): void {
    this.secrets.push(secret);
  }

  private fail(message: string, status: number | null, retryable: boolean): SourceHttpError {
    return new SourceHttpError(redact(message, this.secrets), status, retryable);
  }

  /**
   * Sends a request and parses the JSON body, retrying transient failures. Statuses in
   * `acceptStatus` (besides 2xx) are returned, not thrown.
   */
  async requestJson<T = unknown>(
    url: string,
    init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal; acceptStatus?: number[] } = {},
  ): Promise<HttpResponse<T>> {
    const maxRetries = this.options.maxRetries ?? 6;
    const base = this.options.baseDelayMs ?? 250;
    const maxDelay = this.options.maxDelayMs ?? 30_000;
    const where = `${this.options.source}: ${init.method ?? 'GET'} ${describeUrl(url)}`;
    for (let attempt = 0; ; attempt++) {
      await this.limiter.take(init.signal);
      if (init.signal?.aborted) throw init.signal.reason;
      this.attempts++;
      let reason: string;
      let retryAfter: number | null = null;
      let status: number | null = null;
      const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 60_000);
      const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      try {
        const res = await this.fetchFn(url, {
          method: init.method ?? 'GET',
          headers: { accept: 'application/json', ...init.headers },
          body: init.body,
          signal,
        });
        status = res.status;
        const text = await res.text();
        if ((res.status >= 200 && res.status < 300) || init.acceptStatus?.includes(res.status)) {
          try {
            return { status: res.status, headers: res.headers, body: (text === '' ? null : JSON.parse(text)) as T };
          } catch {
            // A body cut short (a dropped connection mid-response) is worth another try.
            reason = `response body is not valid JSON (${text.length} bytes)`;
          }
        } else if (isRetryableStatus(res.status)) {
          reason = `HTTP ${res.status}`;
          retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        } else {
          throw this.fail(`${where} failed with HTTP ${res.status}: ${text.replace(/\s+/g, ' ').slice(0, 300)}`, res.status, false);
        }
      } catch (error) {
        if (error instanceof SourceHttpError) throw error;
        if (init.signal?.aborted) throw init.signal.reason;
        const e = error as Error & { cause?: { code?: string; message?: string } };
        reason = timeout.aborted ? `no response within ${this.options.timeoutMs ?? 60_000} ms` : `network error: ${e.cause?.code ?? e.cause?.message ?? e.message}`;
      }
      if (attempt >= maxRetries) {
        throw this.fail(`${where} failed after ${attempt + 1} attempts: ${reason}`, status, true);
      }
      let delay = Math.round(this.random() * Math.min(maxDelay, base * 2 ** attempt));
      if (retryAfter !== null) {
        if (retryAfter > (this.options.maxRetryAfterMs ?? 120_000)) {
          throw this.fail(`${where} failed: ${reason} asks to retry after ${Math.round(retryAfter / 1000)} s (longer than allowed)`, status, true);
        }
        delay = retryAfter + Math.round(this.random() * Math.min(1000, base));
      }
      this.retries++;
      this.options.onRetry?.({ url: describeUrl(url), attempt: attempt + 1, delayMs: delay, reason: redact(reason, this.secrets) });
      await this.sleep(delay, init.signal);
    }
  }

  getJson<T = unknown>(url: string, headers: Record<string, string> = {}, signal?: AbortSignal, acceptStatus?: number[]): Promise<HttpResponse<T>> {
    return this.requestJson<T>(url, { headers, signal, acceptStatus });
  }
}
