import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** The outcome of one POST: the status, or why there is none. */
export type PostResult = { ok: true; status: number } | { ok: false; error: string };

/** How the dispatcher sends a delivery. */
export interface DeliveryTransport {
  post(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<PostResult>;
  close(): void;
}

/**
 * POSTs over node:http(s) with keep-alive connections (an order of magnitude more requests per
 * second than `fetch` on one core). Redirects are not followed; the timeout covers the whole
 * exchange, response body included.
 *
 * @example
 * ```ts
 * const transport = createHttpTransport({ maxSockets: 64 });
 * await transport.post('https://erp.example.com/mdm', { 'content-type': 'application/json' }, '{}', 5000);
 * ```
 */
export function createHttpTransport(options: { maxSockets?: number } = {}): DeliveryTransport {
  const http = new HttpAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  const https = new HttpsAgent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  return {
    post(url, headers, body, timeoutMs) {
      return new Promise<PostResult>((resolve) => {
        let settled = false;
        const finish = (result: PostResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(result);
        };
        let target: URL;
        try {
          target = new URL(url);
        } catch {
          finish({ ok: false, error: 'invalid URL' });
          return;
        }
        const secure = target.protocol === 'https:';
        const req = (secure ? httpsRequest : httpRequest)(
          target,
          { method: 'POST', agent: secure ? https : http, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
          (res: IncomingMessage) => {
            // Drain the (small) answer so the connection can be reused.
            res.resume();
            res.on('end', () => finish({ ok: true, status: res.statusCode ?? 0 }));
            res.on('error', (e) => finish({ ok: false, error: describe(e) }));
          },
        );
        const timer = setTimeout(() => {
          finish({ ok: false, error: `timeout after ${timeoutMs} ms` });
          req.destroy();
        }, timeoutMs);
        req.on('error', (e) => finish({ ok: false, error: describe(e) }));
        req.end(body);
      });
    },
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

function describe(error: Error & { code?: string }): string {
  return `${error.code ?? error.name}: ${error.message}`.slice(0, 300);
}

/** A transport over a `fetch` implementation (tests, custom clients). */
export function fetchTransport(fetchImpl: typeof fetch): DeliveryTransport {
  return {
    async post(url, headers, body, timeoutMs) {
      try {
        const res = await fetchImpl(url, { method: 'POST', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers, body });
        await res.arrayBuffer().catch(() => undefined);
        return { ok: true, status: res.status };
      } catch (e) {
        const err = e as Error & { cause?: { code?: string; message?: string } };
        if (err.name === 'TimeoutError' || err.name === 'AbortError') return { ok: false, error: `timeout after ${timeoutMs} ms` };
        return { ok: false, error: `${err.cause?.code ?? err.name}: ${err.cause?.message ?? err.message}`.slice(0, 300) };
      }
    },
    close() {},
  };
}
