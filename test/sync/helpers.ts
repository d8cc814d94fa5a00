import { validateCanonical } from '../../src/ingest/canonical-record';
import type { SourceConfig } from '../../src/ingest/sources-config';
import { startCrmSimulator } from '../../src/sim/crm/crm-simulator';
import { startErpSimulator } from '../../src/sim/erp/erp-simulator';
import { startFsmSimulator } from '../../src/sim/fsm/fsm-simulator';
import type { SimRecord, Simulator } from '../../src/sim/index';
import { generateWorld } from '../../src/sim/world';
import type { TestDatabase } from '../helpers/database';

export const SECRETS = { erp: 'erp-Pa55word!', crm: 'crm-Cl1entSecret!', fsm: 'fsm-Pa55word!' };

/** The world's records of one source (as plain objects the simulators take). */
export function worldRecords(seed: number, size: number): SimRecord[] {
  return [...generateWorld({ seed, size })].map(({ record }) => ({ ...record }) as unknown as SimRecord);
}

export type SourceName = 'erp' | 'crm' | 'fsm';

export interface SimOptions {
  pageSize?: number;
  serverPageSize?: number;
  timeZoneOffsetMinutes?: number;
}

/** Starts the simulator of `name` and returns it with a matching source configuration. */
export async function startSource(name: SourceName, records: SimRecord[], opts: SimOptions = {}): Promise<{ sim: Simulator; config: SourceConfig }> {
  const common = { pageSize: opts.pageSize ?? 100, schedules: [], retry: { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 50 } };
  if (name === 'erp') {
    const sim = await startErpSimulator({ records, auth: { username: 'MDM_READ', password: SECRETS.erp }, serverPageSize: opts.serverPageSize, timeZoneOffsetMinutes: opts.timeZoneOffsetMinutes });
    const zone = opts.timeZoneOffsetMinutes
      ? `${opts.timeZoneOffsetMinutes < 0 ? '-' : '+'}${String(Math.floor(Math.abs(opts.timeZoneOffsetMinutes) / 60)).padStart(2, '0')}:${String(Math.abs(opts.timeZoneOffsetMinutes) % 60).padStart(2, '0')}`
      : undefined;
    return { sim, config: { name: 'erp', kind: 'sap', baseUrl: sim.url, auth: { type: 'basic', username: 'MDM_READ', password: SECRETS.erp }, timeZone: zone, ...common } };
  }
  if (name === 'crm') {
    const sim = await startCrmSimulator({ records, auth: { clientId: 'mdm-hub', clientSecret: SECRETS.crm }, maxBatchSize: opts.pageSize ?? 100 });
    return { sim, config: { name: 'crm', kind: 'salesforce', baseUrl: sim.url, auth: { type: 'oauth-client-credentials', clientId: 'mdm-hub', clientSecret: SECRETS.crm }, ...common } };
  }
  const sim = await startFsmSimulator({ records, auth: { username: 'mdm.integration', password: SECRETS.fsm } });
  return { sim, config: { name: 'fsm', kind: 'servicenow', baseUrl: sim.url, auth: { type: 'basic', username: 'mdm.integration', password: SECRETS.fsm }, ...common } };
}

/** What a stored record should hold for a world record: its validated attributes. */
export function expectedAttributes(record: SimRecord): Record<string, unknown> {
  const { sourcePayload: _p, ...rest } = record as Record<string, unknown>;
  const v = validateCanonical(rest);
  if (!v.ok) throw new Error(v.reason);
  return v.record.attributes;
}

export interface StoredRow {
  entity: string;
  source_id: string;
  deleted: boolean;
  attributes: Record<string, unknown>;
  updated_at: Date | null;
}

/** Every stored source record of a source, keyed `entity/sourceId`. */
export async function storedRecords(database: TestDatabase, source: string): Promise<Map<string, StoredRow>> {
  const rows = await database.db
    .selectFrom('source_record')
    .select(['entity', 'source_id', 'deleted', 'attributes', 'updated_at'])
    .where('source', '=', source)
    .execute();
  return new Map(rows.map((r) => [`${r.entity}/${r.source_id}`, r as unknown as StoredRow]));
}

export async function countRecords(database: TestDatabase, source: string): Promise<number> {
  const row = await database.db.selectFrom('source_record').select((eb) => eb.fn.countAll<string>().as('n')).where('source', '=', source).executeTakeFirstOrThrow();
  return Number(row.n);
}
