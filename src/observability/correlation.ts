import { randomUUID } from 'node:crypto';

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}$/;
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The correlation id of a request: its `X-Request-Id` when it is a plain token (letters, digits,
 * `._:-`, at most 128), else the trace id of a valid W3C `traceparent`, else a new UUID. Anything
 * else a client sends is ignored, so the id is safe to log and to echo.
 *
 * @example
 * ```ts
 * correlationIdFrom({ requestId: 'abc-123' })                        // 'abc-123'
 * correlationIdFrom({ traceparent: '00-4bf9...4736-00f0...02b7-01' }) // '4bf9...4736'
 * correlationIdFrom({})                                               // a UUID
 * ```
 */
export function correlationIdFrom(headers: { requestId?: string | null; traceparent?: string | null }): string {
  const requestId = headers.requestId?.trim();
  if (requestId && REQUEST_ID.test(requestId)) return requestId;
  const tp = headers.traceparent?.trim().toLowerCase();
  const match = tp ? TRACEPARENT.exec(tp) : null;
  if (match && !/^0+$/.test(match[1])) return match[1];
  return randomUUID();
}
