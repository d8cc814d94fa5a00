/**
 * Public types of the synthetic world generator.
 */
import type { EntityType } from '../../core/entities';

/** The three simulated source systems: SAP-style ERP, Salesforce-style CRM, ServiceNow-style field service. */
export type SourceName = 'erp' | 'crm' | 'fsm';

/** All sources, in emission order. */
export const SOURCE_NAMES: readonly SourceName[] = ['erp', 'crm', 'fsm'];

/** Which entity types each source holds. */
export const SOURCE_ENTITIES: Readonly<Record<SourceName, readonly EntityType[]>> = {
  erp: ['customer', 'product', 'serial', 'asset', 'contract'],
  crm: ['customer', 'product', 'asset', 'contract', 'location'],
  fsm: ['customer', 'location', 'asset', 'contract'],
};

/** Options of `generateWorld` / `planWorld` / `writeWorld`. */
export interface WorldOptions {
  /** Seed of the world; the same seed and options give byte-identical output. */
  seed: number | string;
  /** Approximate total number of source records (the plan is calibrated to within about 1 %). */
  size: number;
  /** Sources to emit (default all three). Entities are planned only over the sources given. */
  sources?: readonly SourceName[];
  /** Noise level 0..1 (default 0.5). 0 = every appearance carries the clean true values in its source's conventions. */
  noise?: number;
  /** The world's "today" (`YYYY-MM-DD`, default `2026-03-01`); dates and `updatedAt` lie before it. */
  referenceDate?: string;
}

/** One canonical source record (`shared/spec/canonical-records.md`): envelope plus attributes. */
export interface WorldRecord {
  entity: EntityType;
  source: SourceName;
  sourceId: string;
  updatedAt: string;
  deleted?: true;
  [attribute: string]: string | number | boolean | readonly string[] | undefined;
}

/** Kinds of deliberate look-alikes that are different real-world things. */
export type HardNegativeKind = 'sister-company' | 'namesake-person' | 'product-variant';

/** A source record with its ground truth. */
export interface LabelledRecord {
  record: WorldRecord;
  /** Id of the real-world thing (`C000123`, `P000045`, `S…`, `A…`, `K…`, `L…`): same id = same thing. */
  trueId: string;
  /**
   * Set on records of entities built as a deliberate look-alike of another entity: the other
   * entity's true id and the kind. (Sequential serial numbers are look-alikes by construction and
   * are not tagged.)
   */
  hardNegative?: { of: string; kind: HardNegativeKind };
}
