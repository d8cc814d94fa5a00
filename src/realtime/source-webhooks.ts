/**
 * Webhooks in the source systems' own event formats, next to the canonical ones of
 * `webhook.routes.ts` (same authentication, body limit, back-pressure, inbox and answer):
 *
 * - `POST /ingest/<source>/sap-events`: SAP business events (CloudEvents whose data carries only
 *   the key). Stored as they came (kind `sap-event`); the worker reads the record back through
 *   the ERP API.
 * - `POST /ingest/<source>/salesforce-cdc`: Salesforce Change Data Capture events (changed fields
 *   only). Stored as they came (kind `salesforce-cdc`); the worker merges them into the stored
 *   version, or reads the record back.
 * - `POST /ingest/<source>/servicenow`: a record webhook (`{table, sys_id, operation, record}`),
 *   mapped here with the ServiceNow adapter and stored as a canonical record.
 *
 * Each event is checked before anything is stored: the invalid ones are listed in `rejected` (and
 * quarantined), the valid ones land. The source must be configured (`MDM_SOURCES`) with the
 * kind the endpoint speaks. docs/realtime.md has the formats.
 */
import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { contentHash, validateCanonical } from '../ingest/canonical-record';
import type { ObjectAdapter } from '../ingest/adapters/object-access';
import type { Payload } from '../ingest/adapters/payload';
import { changeEventFields, SALESFORCE_ID } from '../ingest/adapters/salesforce-adapter';
import type { InboxEventInput } from './inbox.repository';
import { entityOfObject, SALESFORCE_CDC, SAP_EVENT, sapObjectOfEventType, sourceObjectAdapter } from './source-events';
import type { Rejection, WebhookEnv, WebhookKit } from './webhook.routes';

type Format = 'sap-events' | 'salesforce-cdc' | 'servicenow';
const KIND = { 'sap-events': 'sap', 'salesforce-cdc': 'salesforce', servicenow: 'servicenow' } as const;
const CHANGE_TYPES = new Set(['CREATE', 'UPDATE', 'DELETE', 'UNDELETE', 'GAP_CREATE', 'GAP_UPDATE', 'GAP_DELETE', 'GAP_UNDELETE', 'GAP_OVERFLOW']);
const OPERATIONS = new Set(['insert', 'update', 'delete']);

type Event = InboxEventInput & { index: number };
type Checked = { event: Event } | { rejection: Omit<Rejection, 'index'> };

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const describe = (v: unknown) => (v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v).slice(0, 60)}`);
/** A key the inbox and source records can hold: 1-128 characters, no NUL. */
const keyProblem = (name: string, v: unknown): string | null =>
  typeof v !== 'string' || v.trim() === '' ? `${name} is missing or not a non-empty string (got ${describe(v)})`
  : v.length > 128 ? `${name} is ${v.length} characters long (at most 128)`
  : v.includes('\u0000') ? `${name} contains a NUL character` : null;

export function sourceWebhookRoutes(kit: WebhookKit): Hono<WebhookEnv> {
  const routes = new Hono<WebhookEnv>();

  routes.post('/:source/:format{(?:sap-events|salesforce-cdc|servicenow)}', async (c) => {
    const source = c.req.param('source');
    const format = c.req.param('format') as Format;
    const admitted = await kit.admit(c, source);
    if (admitted instanceof Response) return admitted;

    const contentType = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
    const accepted = format === 'sap-events' ? ['application/cloudevents+json', 'application/cloudevents-batch+json', 'application/json'] : ['application/json'];
    if (!accepted.includes(contentType)) {
      return kit.error(c, 415, 'UNSUPPORTED_MEDIA_TYPE', `content type "${contentType || '(none)'}" is not accepted here: send ${accepted.join(' or ')} (one event or an array)`);
    }
    const parsed = kit.parseJson(admitted.text);
    if (!parsed.ok) return kit.error(c, 400, 'INVALID_JSON', `the body is not JSON: ${parsed.message}`);
    if (contentType === 'application/cloudevents-batch+json' && !Array.isArray(parsed.value)) return kit.error(c, 400, 'INVALID_BATCH', 'a CloudEvents batch must be a JSON array of events');
    const list = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
    if (list.length > kit.config.maxEvents) return kit.error(c, 413, 'TOO_MANY_EVENTS', `${list.length} events in one request; at most ${kit.config.maxEvents}`);

    let adapter: ObjectAdapter;
    try {
      adapter = await sourceObjectAdapter(source, KIND[format]);
    } catch (error) {
      return kit.error(c, 400, 'SOURCE_NOT_CONFIGURED', (error as Error).message);
    }

    const check = format === 'sap-events' ? sapEvent : format === 'salesforce-cdc' ? changeEvent : serviceNowRecord;
    const events: Event[] = [];
    const rejected: Rejection[] = [];
    list.forEach((item, index) => {
      const result = check(item, { source, adapter, kit, c });
      if ('event' in result) events.push({ ...result.event, index });
      else rejected.push({ index, ...result.rejection });
    });
    return kit.answer(c, { source, endpoint: format, events, rejected, excerptAt: (index) => list[index] });
  });
  return routes;
}

interface CheckContext {
  source: string;
  adapter: ObjectAdapter;
  kit: WebhookKit;
  c: Context<WebhookEnv>;
}

/** An SAP business event: a CloudEvent of a known object type whose data carries the key. */
function sapEvent(item: unknown, { source, adapter, kit, c }: CheckContext): Checked {
  const problem = kit.cloudEventProblem(item, 'the key of the changed record');
  const ce = (isObject(item) ? item : {}) as Record<string, unknown>;
  const eventId = typeof ce.id === 'string' ? ce.id : null;
  if (problem) return { rejection: { eventId, reason: problem } };
  const object = sapObjectOfEventType(adapter, ce.type as string);
  if (!object) {
    const known = adapter.objects.map((o) => adapter.keyField(o)).join(', ');
    return { rejection: { eventId, reason: `event type ${JSON.stringify(ce.type)} is not a business event of an object the hub maps (sap.s4.beh.<object>.v1.<Object>.<Created|Changed|...>.v1 with <Object> one of ${known})` } };
  }
  const keyField = adapter.keyField(object)!;
  const entity = entityOfObject(adapter, object);
  if (!isObject(ce.data)) return { rejection: { eventId, entity, reason: `data must be an object carrying ${keyField} (got ${describe(ce.data)})` } };
  const keyError = keyProblem(`data.${keyField} (the key)`, ce.data[keyField]);
  if (keyError) return { rejection: { eventId, entity, reason: keyError } };
  const key = ce.data[keyField] as string;
  return { event: { index: 0, source, eventId: eventId!, kind: SAP_EVENT, entity: entity!, sourceId: key, payload: ce, correlationId: kit.correlationOf(c, eventId) } };
}

/** A Salesforce change event: `{ChangeEventHeader, ...fields}`, or the CometD message around it (`{payload, event}`). */
function changeEvent(item: unknown, { source, adapter, kit, c }: CheckContext): Checked {
  let body = item;
  if (isObject(item) && isObject(item.payload) && !('ChangeEventHeader' in item)) body = item.payload;
  else if (isObject(item) && isObject(item.data) && isObject(item.data.payload)) body = item.data.payload;
  if (!isObject(body)) return { rejection: { reason: `a change event must be a JSON object, got ${describe(body)}` } };
  const header = body.ChangeEventHeader;
  if (!isObject(header)) return { rejection: { reason: `the change event has no ChangeEventHeader object (got ${describe(header)})` } };
  const object = header.entityName;
  const entity = typeof object === 'string' ? entityOfObject(adapter, object) : null;
  if (!entity) return { rejection: { reason: `ChangeEventHeader.entityName ${JSON.stringify(object ?? null)} is not an object the hub maps (${adapter.objects.join(', ')})` } };
  const changeType = header.changeType;
  if (typeof changeType !== 'string' || !CHANGE_TYPES.has(changeType)) return { rejection: { entity, reason: `ChangeEventHeader.changeType ${JSON.stringify(changeType ?? null)} is not one of ${[...CHANGE_TYPES].join(', ')}` } };
  const ids = header.recordIds;
  if (!Array.isArray(ids) || ids.length === 0) return { rejection: { entity, reason: `ChangeEventHeader.recordIds must be a non-empty list of record ids (got ${describe(ids)})` } };
  const badId = ids.find((id) => typeof id !== 'string' || !SALESFORCE_ID.test(id));
  if (badId !== undefined) {
    const wildcard = typeof badId === 'string' && badId.endsWith('*');
    return { rejection: { entity, reason: wildcard ? `recordIds ${JSON.stringify(badId)} is a wildcard and names no record: run a sync of ${object}` : `recordIds holds ${describe(badId)}, not a Salesforce record id (15 or 18 letters and digits)` } };
  }
  const sourceId = ids.length === 1 ? (ids[0] as string) : null;
  const commit = header.commitTimestamp;
  if (typeof commit !== 'number' || !Number.isFinite(commit) || commit <= 0 || commit > 253402300799999) {
    return { rejection: { entity, sourceId, reason: `ChangeEventHeader.commitTimestamp must be the commit time in epoch milliseconds (got ${describe(commit)})` } };
  }
  const nulled = header.nulledFields;
  if (nulled !== undefined && (!Array.isArray(nulled) || nulled.some((f) => typeof f !== 'string'))) {
    return { rejection: { entity, sourceId, reason: `ChangeEventHeader.nulledFields must be a list of field names (got ${describe(nulled)})` } };
  }
  // The changed fields are mapped now (alone) so a wrong type is refused here, not in the worker.
  if (!changeType.startsWith('GAP_') && changeType !== 'DELETE') {
    const trial = adapter.mapObject(object as string, { ...changeEventFields(body, (nulled as string[] | undefined) ?? []), Id: ids[0] });
    if (!trial.ok) return { rejection: { entity, sourceId, reason: trial.reason } };
  }
  const eventId = typeof header.transactionKey === 'string' && typeof header.sequenceNumber === 'number'
    ? `cdc:${header.transactionKey}:${header.sequenceNumber}:${object}`
    : `cdc:${createHash('sha256').update(JSON.stringify(body)).digest('hex').slice(0, 40)}`;
  if (eventId.length > 256 || eventId.includes('\u0000')) return { rejection: { entity, sourceId, reason: 'ChangeEventHeader.transactionKey is over 200 characters long or contains a NUL' } };
  return { event: { index: 0, source, eventId, kind: SALESFORCE_CDC, entity, sourceId, payload: body, correlationId: kit.correlationOf(c, eventId) } };
}

/** A ServiceNow record webhook: `{table, sys_id, operation, sys_updated_on, record: {...}}`, mapped here. */
function serviceNowRecord(item: unknown, { source, adapter, kit, c }: CheckContext): Checked {
  if (!isObject(item)) return { rejection: { reason: `a record webhook must be a JSON object, got ${describe(item)}` } };
  const table = item.table;
  if (typeof table !== 'string' || table === 'sys_audit_delete' || !adapter.objects.includes(table)) {
    return { rejection: { reason: `table ${JSON.stringify(table ?? null)} is not a table the hub maps (${adapter.objects.filter((t) => t !== 'sys_audit_delete').join(', ')})` } };
  }
  const entity = entityOfObject(adapter, table);
  const idError = keyProblem('sys_id', item.sys_id);
  if (idError) return { rejection: { entity, reason: idError } };
  const sysId = item.sys_id as string;
  const operation = item.operation;
  if (typeof operation !== 'string' || !OPERATIONS.has(operation)) return { rejection: { entity, sourceId: sysId, reason: `operation ${JSON.stringify(operation ?? null)} is not insert, update or delete` } };
  const record = item.record ?? (operation === 'delete' ? {} : undefined);
  if (!isObject(record)) return { rejection: { entity, sourceId: sysId, reason: `record must be an object with the row's fields (got ${describe(record)})` } };
  const updatedOn = item.sys_updated_on ?? record.sys_updated_on;
  if (typeof updatedOn !== 'string' || updatedOn === '') return { rejection: { entity, sourceId: sysId, reason: 'sys_updated_on (the version, YYYY-MM-DD HH:mm:ss UTC) is missing, at the top or in record' } };
  const covered = item.covered_assets;
  if (covered !== undefined && (!Array.isArray(covered) || covered.some((a) => typeof a !== 'string'))) {
    return { rejection: { entity, sourceId: sysId, reason: 'covered_assets must be a list of alm_asset sys_ids' } };
  }
  const mapped = operation === 'delete'
    ? adapter.mapObject('sys_audit_delete', { tablename: table, documentkey: sysId, sys_created_on: updatedOn })
    : adapter.mapObject(table, { ...(record as Payload), sys_id: sysId, sys_updated_on: updatedOn, ...(covered !== undefined ? { __coveredAssets: covered } : {}) });
  if (!mapped.ok) return { rejection: { entity: mapped.entity ?? entity, sourceId: sysId, reason: mapped.reason } };
  const v = validateCanonical(mapped.input, { defaultSource: source });
  if (!v.ok) return { rejection: { entity: v.entity ?? entity, sourceId: v.sourceId ?? sysId, reason: v.reason } };
  return {
    event: {
      index: 0, source, eventId: kit.recordEventId(v.record, contentHash(v.record)), kind: 'record', entity: v.record.entity, sourceId: v.record.sourceId,
      payload: mapped.input, correlationId: kit.correlationOf(c, null),
    },
  };
}
