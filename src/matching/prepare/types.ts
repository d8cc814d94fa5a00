import type { EntityType } from '../../core/entities';
import type { PreparedRecord } from '../model/prepared-record';

export type { PreparedRecord };

/**
 * One canonical source record as the prepare step receives it: the caller's record id, its source
 * system, its id there and its canonical attributes (see `shared/spec/canonical-records.md`).
 *
 * @example
 * ```ts
 * const input: PrepareInput = { id: 7, source: 'crm', sourceId: '0015g00001', attributes: { name: 'Acme GmbH' } };
 * ```
 */
export interface PrepareInput {
  id: number;
  source: string;
  sourceId: string;
  attributes: Readonly<Record<string, unknown>>;
}

/**
 * What the prepare step may ask the caller: the cluster key (golden id) a reference resolves to,
 * and, for customers, the keys of the installed units the customer record owns.
 *
 * @example
 * ```ts
 * const ctx: PrepareContext = { ref: (entity, sourceId, source) => xrefs.get(`${entity}|${source}|${sourceId}`) ?? null };
 * ```
 */
export interface PrepareContext {
  /** Cluster key of the record `sourceId` of `entity` in `source`, or null when unknown. */
  ref(entity: EntityType, sourceId: string, source: string): string | null;
  /**
   * Keys of the installed units (see `unitKeys`) that assets of `source` attribute to the customer
   * record `sourceId`; computed by the caller from the asset records (see `ownedUnitsByCustomer`).
   */
  ownedUnits?(source: string, sourceId: string): readonly string[];
}

/** A context that resolves nothing: prepare without references. */
export const NO_REFERENCES: PrepareContext = { ref: () => null };

/** A pure function from a canonical record to its prepared fields. */
export type PrepareFunction = (input: PrepareInput, context: PrepareContext) => PreparedRecord;
