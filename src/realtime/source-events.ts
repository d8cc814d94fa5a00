/**
 * The inbox worker's side of the source-format webhooks (`source-webhooks.ts`): SAP business
 * events carry only a key, so the record is read back through the ERP API; Salesforce change
 * events carry only the changed fields, so they are merged into the stored version's source
 * payload (or, for gap events and records the hub does not hold, the record is read back). Both
 * turn into canonical records that the worker stores and resolves like any other. The mappings
 * are the pull adapters' (`mapObject`, `readOne`); the sources come from the sources
 * configuration (`MDM_SOURCES`). docs/realtime.md describes the formats.
 */
import type { EntityType } from '../core/entities';
import { UsageError } from '../core/errors';
import type { Database } from '../db/database';
import { createObjectAdapter } from '../ingest/adapters';
import type { ObjectAdapter } from '../ingest/adapters/object-access';
import type { Payload } from '../ingest/adapters/payload';
import { changeEventFields } from '../ingest/adapters/salesforce-adapter';
import type { MappedItem } from '../ingest/source-adapter';
import { loadSourcesConfig, type SourceConfig } from '../ingest/sources-config';
import type { InboxEvent } from './inbox.repository';

/** Inbox event kinds of the source formats (stored as they came; the worker expands them). */
export const SAP_EVENT = 'sap-event' as const;
export const SALESFORCE_CDC = 'salesforce-cdc' as const;

/** How long a read sources configuration is kept before the file is read again. */
const CONFIG_TTL_MS = 30_000;
let cached: { path: string; at: number; sources: Map<string, SourceConfig>; adapters: Map<string, ObjectAdapter> } | null = null;

/**
 * The adapter of a configured source of the given kind (`MDM_SOURCES`), kept between calls.
 * Throws a `UsageError` naming the problem when the source is not configured with that kind.
 */
export async function sourceObjectAdapter(source: string, kind: SourceConfig['kind'], env: NodeJS.ProcessEnv = process.env): Promise<ObjectAdapter> {
  const path = env.MDM_SOURCES;
  if (!path) throw new UsageError(`source "${source}" needs a sources configuration (MDM_SOURCES) naming it with kind ${kind}; none is set`);
  if (!cached || cached.path !== path || Date.now() - cached.at > CONFIG_TTL_MS) {
    const config = await loadSourcesConfig(path);
    cached = { path, at: Date.now(), sources: new Map(config.sources.map((s) => [s.name, s])), adapters: new Map() };
  }
  const config = cached.sources.get(source);
  if (!config) throw new UsageError(`source "${source}" is not in the sources configuration ${path} (configured: ${[...cached.sources.keys()].join(', ') || 'none'})`);
  if (config.kind !== kind) throw new UsageError(`source "${source}" is configured with kind ${config.kind}; this endpoint takes events of a ${kind} source`);
  let adapter = cached.adapters.get(source);
  if (!adapter) {
    adapter = createObjectAdapter(config, {}, env).adapter;
    cached.adapters.set(source, adapter);
  }
  return adapter;
}

/** The canonical entity type an object's records have (its feed's first). */
export function entityOfObject(adapter: ObjectAdapter, object: string): EntityType | null {
  return adapter.feeds.find((f) => f.name === object)?.entities[0] ?? null;
}

/**
 * The SAP object a business event type names: `sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1`
 * names `BusinessPartner`, the key field of `A_BusinessPartner`. Null for a type the hub does not map.
 */
export function sapObjectOfEventType(adapter: ObjectAdapter, type: string): string | null {
  const m = /^sap\.s4\.beh\.[a-z0-9]+\.v\d+\.([A-Za-z0-9_]+)\.[A-Za-z]+\.v\d+$/.exec(type);
  if (!m) return null;
  return adapter.objects.find((o) => adapter.keyField(o) === m[1]) ?? null;
}

function recordOrThrow(item: MappedItem | null, what: string): Record<string, unknown> {
  if (item === null) throw new Error(`${what} is not readable through the source API (not there yet, or gone): the event is retried`);
  if (!item.ok) throw new Error(`${what} as read back cannot be mapped: ${item.reason}`);
  return item.input;
}

const asRecord = (event: InboxEvent, input: Record<string, unknown>): InboxEvent => ({
  ...event,
  kind: 'record',
  entity: String(input.entity),
  sourceId: String(input.sourceId),
  payload: input,
});

/** An event that stores nothing (a `redo` of no record: the worker completes it). */
const nothing = (event: InboxEvent): InboxEvent => ({ ...event, kind: 'redo', payload: { recordIds: [] } });

interface Version {
  payload: Payload | null;
  updatedAt: number | null;
}

async function storedVersion(database: Database, entity: string, source: string, sourceId: string): Promise<Version | null> {
  const row = await database.db
    .selectFrom('source_record')
    .select(['raw', 'updated_at'])
    .where('entity', '=', entity as EntityType)
    .where('source', '=', source)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
  if (!row) return null;
  const raw = (typeof row.raw === 'string' ? JSON.parse(row.raw) : row.raw) as Record<string, unknown> | null;
  const payload = raw && typeof raw.sourcePayload === 'object' && raw.sourcePayload !== null && !Array.isArray(raw.sourcePayload) ? (raw.sourcePayload as Payload) : null;
  return { payload, updatedAt: row.updated_at ? new Date(row.updated_at).getTime() : null };
}

/**
 * Turns the group's SAP business events and Salesforce change events into canonical record
 * events (other events pass through). Change events of one record in a group are merged in
 * turn, each onto the result of the one before.
 */
export async function expandSourceEvents(database: Database, events: readonly InboxEvent[]): Promise<InboxEvent[]> {
  if (!events.some((e) => (e.kind as string) === SAP_EVENT || (e.kind as string) === SALESFORCE_CDC)) return [...events];
  const out: InboxEvent[] = [];
  const latest = new Map<string, Version>();
  for (const event of events) {
    const kind = event.kind as string;
    if (kind === SAP_EVENT) {
      const adapter = await sourceObjectAdapter(event.source, 'sap');
      const ce = event.payload as { type?: unknown; data?: Record<string, unknown> };
      const object = sapObjectOfEventType(adapter, String(ce.type));
      if (!object) throw new Error(`SAP event type ${JSON.stringify(ce.type)} names no object the hub maps`);
      const key = String(ce.data?.[adapter.keyField(object)!] ?? '');
      out.push(asRecord(event, recordOrThrow(await adapter.readOne!(object, key), `${object} ${key}`)));
    } else if (kind === SALESFORCE_CDC) {
      out.push(...(await expandChangeEvent(database, event, latest)));
    } else out.push(event);
  }
  return out;
}

async function expandChangeEvent(database: Database, event: InboxEvent, latest: Map<string, Version>): Promise<InboxEvent[]> {
  const adapter = await sourceObjectAdapter(event.source, 'salesforce');
  const header = event.payload.ChangeEventHeader as { entityName: string; changeType: string; recordIds: string[]; commitTimestamp: number; nulledFields?: string[] };
  const object = header.entityName;
  const entity = entityOfObject(adapter, object);
  if (!entity) throw new Error(`Salesforce object ${JSON.stringify(object)} is not one the hub maps`);
  const commit = header.commitTimestamp;
  const out: InboxEvent[] = [];
  for (const id of header.recordIds) {
    const k = `${entity}\u0000${id}`;
    const base = latest.get(k) ?? (await storedVersion(database, entity, event.source, id));
    let input: Record<string, unknown> | null;
    // Read back: a gap event carries no fields; a record the hub does not hold (or holds without its
    // Salesforce payload) has nothing to merge into; an event older than the stored version arrived
    // after a newer one that was merged without its change, so only the API has the whole record.
    const readBack = header.changeType.startsWith('GAP_') || !base?.payload || (base.updatedAt !== null && commit < base.updatedAt);
    if (readBack) {
      const item = await adapter.readOne!(object, id);
      if (item === null) continue; // the record is gone from Salesforce altogether (not even in the recycle bin)
      input = recordOrThrow(item, `${object} ${id}`);
    } else {
      const merged: Payload = { ...base!.payload, ...changeEventFields(event.payload, header.nulledFields ?? []), Id: id };
      if (header.changeType === 'DELETE') merged.IsDeleted = true;
      if (header.changeType === 'UNDELETE' || header.changeType === 'CREATE') merged.IsDeleted = false;
      const item = adapter.mapObject(object, merged);
      if (!item.ok) throw new Error(`${object} ${id} merged with the change event cannot be mapped: ${item.reason}`);
      // The version of a change is its commit: an older commit never replaces a newer one.
      input = { ...item.input, updatedAt: new Date(commit).toISOString() };
    }
    const at = typeof input.updatedAt === 'string' ? Date.parse(input.updatedAt) : null;
    if (!base || base.updatedAt === null || (at !== null && at >= base.updatedAt)) {
      latest.set(k, { payload: (input.sourcePayload as Payload | undefined) ?? null, updatedAt: at });
    }
    out.push(asRecord(event, input));
  }
  return out.length > 0 ? out : [nothing(event)];
}
