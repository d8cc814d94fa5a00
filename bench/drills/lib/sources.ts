/**
 * The three source-system simulators (SAP OData, Salesforce REST, ServiceNow Table API) serving a
 * world from this process, and the sources configuration (`MDM_SOURCES`) that points `mdm sync`
 * at them, with the secrets in environment variables as in production.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntityType } from '../../../src/core/entities';
import { startCrmSimulator } from '../../../src/sim/crm/crm-simulator';
import { startErpSimulator } from '../../../src/sim/erp/erp-simulator';
import { startFsmSimulator } from '../../../src/sim/fsm/fsm-simulator';
import type { SimRecord, Simulator } from '../../../src/sim/index';
import { recordKey } from './state';
import { drillTempDir } from './world';

export type SourceName = 'erp' | 'crm' | 'fsm';
export const SOURCES: readonly SourceName[] = ['erp', 'crm', 'fsm'];
const ENTITIES: readonly EntityType[] = ['customer', 'product', 'serial', 'asset', 'contract', 'location'];

const SECRETS = { erp: 'drill-erp-Pa55word', crm: 'drill-crm-Cl1entSecret', fsm: 'drill-fsm-Pa55word' };

export interface Sources {
  sims: Record<SourceName, Simulator>;
  /** Environment for `mdm sync`: MDM_SOURCES and the secrets. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startSources(records: SimRecord[], pageSize: number): Promise<Sources> {
  const erp = await startErpSimulator({ records, auth: { username: 'MDM_READ', password: SECRETS.erp } });
  const crm = await startCrmSimulator({ records, auth: { clientId: 'mdm-hub', clientSecret: SECRETS.crm }, maxBatchSize: pageSize });
  const fsm = await startFsmSimulator({ records, auth: { username: 'mdm.integration', password: SECRETS.fsm } });
  const common = { pageSize, batchSize: pageSize, schedules: [], retry: { maxRetries: 4, baseDelayMs: 5, maxDelayMs: 50 } };
  const config = {
    sources: [
      { name: 'erp', kind: 'sap', baseUrl: erp.url, auth: { type: 'basic', username: 'MDM_READ', passwordEnv: 'MDM_DRILL_ERP_PASSWORD' }, ...common },
      { name: 'crm', kind: 'salesforce', baseUrl: crm.url, auth: { type: 'oauth-client-credentials', clientId: 'mdm-hub', clientSecretEnv: 'MDM_DRILL_CRM_SECRET' }, ...common },
      { name: 'fsm', kind: 'servicenow', baseUrl: fsm.url, auth: { type: 'basic', username: 'mdm.integration', passwordEnv: 'MDM_DRILL_FSM_PASSWORD' }, ...common },
    ],
  };
  const file = join(drillTempDir('mdm-drill-sources-'), 'sources.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  return {
    sims: { erp, crm, fsm },
    env: { MDM_SOURCES: file, MDM_DRILL_ERP_PASSWORD: SECRETS.erp, MDM_DRILL_CRM_SECRET: SECRETS.crm, MDM_DRILL_FSM_PASSWORD: SECRETS.fsm },
    close: async () => {
      await Promise.all([erp.close(), crm.close(), fsm.close()]);
    },
  };
}

/** Every record a simulator holds (deleted ones flagged, hard-deleted ones as tombstones), keyed like source records. */
export function heldRecords(source: SourceName, sim: Simulator): Map<string, { record: SimRecord; deleted: boolean }> {
  const out = new Map<string, { record: SimRecord; deleted: boolean }>();
  for (const entity of ENTITIES) {
    for (const row of sim.store.rows(entity)) out.set(recordKey(source, entity, row.id), { record: row.record, deleted: row.record.deleted === true });
  }
  for (const t of sim.store.tombstones) out.set(recordKey(source, t.entity, t.id), { record: t.record, deleted: true });
  return out;
}
