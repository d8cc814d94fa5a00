import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** An outbox row as the dispatcher reads it. */
export interface OutboxEvent {
  id: string;
  eventType: string;
  entity: string;
  goldenId: string;
  goldenVersion: number;
  payload: Record<string, unknown>;
  correlationId: string | null;
  createdAt: Date;
}

/** A change event in CloudEvents 1.0 structured JSON mode. */
export interface MdmCloudEvent {
  specversion: '1.0';
  id: string;
  source: 'mdm-hub';
  type: string;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  /** W3C trace context (CloudEvents distributed tracing extension). */
  traceparent: string;
  /** The correlation id of the request or run that caused the change, when one was recorded. */
  correlationid?: string;
  data: Record<string, unknown> & { entity: string; goldenId: string; goldenVersion: number };
}

export const SIGNATURE_HEADER = 'x-mdm-signature';
export const TIMESTAMP_HEADER = 'x-mdm-timestamp';
export const EVENT_ID_HEADER = 'x-mdm-event-id';
export const ATTEMPT_HEADER = 'x-mdm-delivery-attempt';
export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

const TRACE_ID = /^[0-9a-f]{32}$/;
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The W3C trace id a correlation id stands for: a traceparent's trace id, a 32-hex id or a UUID as
 * is, anything else hashed. The same correlation id always gives the same trace id.
 */
export function traceIdOf(correlationId: string): string {
  const tp = TRACEPARENT.exec(correlationId);
  if (tp) return tp[1];
  const hex = correlationId.toLowerCase().replaceAll('-', '');
  if (TRACE_ID.test(hex) && !/^0+$/.test(hex)) return hex;
  return createHash('sha256').update(correlationId).digest('hex').slice(0, 32);
}

/**
 * Builds the CloudEvent of an outbox row: `id` is the outbox id (stable across redeliveries, so
 * receivers deduplicate on it), `type` is `mdm.<event_type>`, `subject` the golden id, and `data`
 * the event payload with the entity type, golden id and golden version.
 *
 * @example
 * ```ts
 * toCloudEvent({ id: '42', eventType: 'golden.updated', entity: 'product', goldenId: 'G-1', goldenVersion: 2,
 *   payload: { changedAttributes: ['price'] }, correlationId: null, createdAt: new Date() });
 * // { specversion: '1.0', id: '42', type: 'mdm.golden.updated', subject: 'G-1',
 * //   data: { changedAttributes: ['price'], entity: 'product', goldenId: 'G-1', goldenVersion: 2 }, ... }
 * ```
 */
export function toCloudEvent(event: OutboxEvent): MdmCloudEvent {
  const traceId = traceIdOf(event.correlationId ?? `mdm-outbox-${event.id}`);
  const spanId = createHash('sha256').update(`span:${event.id}`).digest('hex').slice(0, 16);
  const ce: MdmCloudEvent = {
    specversion: '1.0',
    id: event.id,
    source: 'mdm-hub',
    type: `mdm.${event.eventType}`,
    subject: event.goldenId,
    time: event.createdAt.toISOString(),
    datacontenttype: 'application/json',
    traceparent: `00-${traceId}-${spanId}-01`,
    data: { ...event.payload, entity: event.entity, goldenId: event.goldenId, goldenVersion: event.goldenVersion },
  };
  if (event.correlationId) ce.correlationid = event.correlationId;
  return ce;
}

/**
 * The signature of a delivery: `sha256=` + hex HMAC-SHA256, keyed with the subscriber's secret, over
 * `<timestamp>.<body>` where timestamp is the `X-MDM-Timestamp` header (Unix seconds). Signing the
 * timestamp with the body lets a receiver refuse old captured requests.
 *
 * @example
 * ```ts
 * sign('whsec_x', '1767225600', '{"specversion":"1.0",...}') // 'sha256=5f1c...'
 * ```
 */
export function sign(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface VerifyInput {
  secret: string;
  body: string;
  /** `X-MDM-Timestamp` */
  timestamp: string | null | undefined;
  /** `X-MDM-Signature` */
  signature: string | null | undefined;
  /** Refuse requests older (or newer) than this many seconds; default 300. */
  toleranceSeconds?: number;
  now?: () => number;
}

/**
 * What a receiver runs on each request: recomputes the signature over the raw body in constant
 * time and checks the timestamp is recent.
 *
 * @example
 * ```ts
 * const ok = verifySignature({ secret, body: rawBody, timestamp: req.headers['x-mdm-timestamp'],
 *   signature: req.headers['x-mdm-signature'] });
 * ```
 */
export function verifySignature(input: VerifyInput): boolean {
  if (!input.timestamp || !input.signature || !/^\d{1,12}$/.test(input.timestamp)) return false;
  const now = Math.floor((input.now?.() ?? Date.now()) / 1000);
  if (Math.abs(now - Number(input.timestamp)) > (input.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(sign(input.secret, input.timestamp, input.body));
  const given = Buffer.from(input.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

