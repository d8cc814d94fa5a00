/**
 * The three simulated source systems of the demo (`npm start`): an SAP OData v2 ERP, a Salesforce
 * CRM and a ServiceNow field-service system, each on a free loopback port, serving the records of
 * its source from one canonical world, with credentials made for this session. Each comes with
 * the source configuration the hub syncs it through (the real adapters, as for a real system).
 *
 * @example
 * ```ts
 * const demo = await startDemoSources(readJsonlRecords('fixtures/demo/world.jsonl'));
 * for (const s of demo.sources) await syncSource(database, s.config, { mode: 'full' });
 * await demo.close();
 * ```
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SourceConfig } from '../ingest/sources-config';
import { startCrmSimulator } from './crm/crm-simulator';
import { startErpSimulator } from './erp/erp-simulator';
import { startFsmSimulator } from './fsm/fsm-simulator';
import type { SimRecord, Simulator } from './index';

export type DemoSourceName = 'erp' | 'crm' | 'fsm';

export interface DemoSource {
  name: DemoSourceName;
  /** The API the simulator speaks, for people. */
  api: string;
  simulator: Simulator;
  /** How the hub reaches it (credentials inline: they live only as long as the process). */
  config: SourceConfig;
  /** A request worth trying by hand, with how to authenticate. */
  example: string;
}

export interface DemoSources {
  sources: DemoSource[];
  close(): Promise<void>;
}

/** Reads canonical records from a JSONL file (one JSON object per line; blank lines skipped). */
export function readJsonlRecords(file: string): SimRecord[] {
  const out: SimRecord[] = [];
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      out.push(JSON.parse(line) as SimRecord);
    } catch (error) {
      throw new Error(`${file} line ${i + 1}: not valid JSON (${(error as Error).message}); regenerate the file (see its README)`);
    }
  });
  return out;
}

const secret = () => randomBytes(12).toString('base64url');

/** Starts the ERP, CRM and FSM simulators over `records` (each serves the records of its source). */
export async function startDemoSources(records: readonly SimRecord[]): Promise<DemoSources> {
  const started: Simulator[] = [];
  try {
    const erpAuth = { username: 'MDM_DEMO', password: secret() };
    const erp = await startErpSimulator({ records, auth: erpAuth });
    started.push(erp);
    const crmAuth = { clientId: 'mdm-demo', clientSecret: secret() };
    const crm = await startCrmSimulator({ records, auth: crmAuth });
    started.push(crm);
    const fsmAuth = { username: 'mdm.demo', password: secret() };
    const fsm = await startFsmSimulator({ records, auth: fsmAuth });
    started.push(fsm);
    const sources: DemoSource[] = [
      {
        name: 'erp',
        api: 'SAP OData v2',
        simulator: erp,
        config: { name: 'erp', kind: 'sap', baseUrl: erp.url, auth: { type: 'basic', ...erpAuth }, schedules: [] },
        example: `curl -s -u '${erpAuth.username}:${erpAuth.password}' '${erp.url}/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$top=2&$format=json'`,
      },
      {
        name: 'crm',
        api: 'Salesforce REST',
        simulator: crm,
        config: { name: 'crm', kind: 'salesforce', baseUrl: crm.url, auth: { type: 'oauth-client-credentials', ...crmAuth }, schedules: [] },
        example: `curl -s -d grant_type=client_credentials -d client_id=${crmAuth.clientId} -d client_secret=${crmAuth.clientSecret} ${crm.url}/services/oauth2/token  (then GET ${crm.url}/services/data/v60.0/query?q=SELECT+Id,Name+FROM+Account+LIMIT+2 with the access_token as Bearer)`,
      },
      {
        name: 'fsm',
        api: 'ServiceNow Table API',
        simulator: fsm,
        config: { name: 'fsm', kind: 'servicenow', baseUrl: fsm.url, auth: { type: 'basic', ...fsmAuth }, schedules: [] },
        example: `curl -s -u '${fsmAuth.username}:${fsmAuth.password}' '${fsm.url}/api/now/table/core_company?sysparm_limit=2'`,
      },
    ];
    return { sources, close: async () => void (await Promise.all(started.map((s) => s.close()))) };
  } catch (error) {
    await Promise.all(started.map((s) => s.close().catch(() => undefined)));
    throw error;
  }
}
