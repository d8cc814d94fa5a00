/**
 * Record-at-a-time access to a source's objects, for event-driven ingest (`docs/realtime.md`):
 * map one payload of a named object with the same mapping the feeds use, and read one record
 * back by key through the system's API (the same requests and expands as a pull).
 *
 * @example
 * ```ts
 * const { adapter } = createObjectAdapter(findSource(config, 'erp'));
 * const item = await adapter.readOne('A_BusinessPartner', '1000045'); // MappedItem, or null: no such record
 * adapter.mapObject('A_BusinessPartner', payload);                    // MappedItem
 * ```
 */
import type { MappedItem, SourceAdapter } from '../source-adapter';
import type { Payload } from './payload';

export interface ObjectAccess {
  /** The source objects (`A_BusinessPartner`, `Account`, `alm_asset`, ...) this adapter maps. */
  readonly objects: readonly string[];
  /** The key field of an object's payloads (`BusinessPartner`, `Id`, `sys_id`), or undefined for an unknown object. */
  keyField(object: string): string | undefined;
  /** Maps one payload of `object` (an unknown object or a bad payload gives `ok: false` with the reason). */
  mapObject(object: string, payload: Payload): MappedItem;
  /**
   * Reads one record by key through the API and maps it; null when the system has no such
   * record. Absent where the system's events carry whole records (ServiceNow).
   */
  readOne?(object: string, key: string, signal?: AbortSignal): Promise<MappedItem | null>;
}

export type ObjectAdapter = SourceAdapter & ObjectAccess;

/** The `ok: false` item for an object the adapter does not know. */
export function unknownObject(kind: string, object: string, objects: readonly string[], key: string | null): MappedItem {
  return {
    ok: false,
    entity: null,
    sourceId: key,
    reason: `"${String(object).slice(0, 80)}" is not a ${kind} object the hub maps (known: ${objects.join(', ')})`,
    excerpt: '',
  };
}
