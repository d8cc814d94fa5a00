import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuth } from '../../src/ingest/http-client';
import { type CrmSimulator, startCrmSimulator } from '../../src/sim/crm/crm-simulator';
import { startErpSimulator } from '../../src/sim/erp/erp-simulator';
import { startFsmSimulator } from '../../src/sim/fsm/fsm-simulator';
import type { Simulator } from '../../src/sim/index';
import { SECRETS, startSource, worldRecords } from './helpers';

const world = worldRecords(5, 1500);
let erp: Simulator;
let crm: CrmSimulator;
let fsm: Simulator;

beforeAll(async () => {
  erp = (await startSource('erp', world, { serverPageSize: 50 })).sim;
  crm = (await startSource('crm', world, { pageSize: 50 })).sim as CrmSimulator;
  fsm = (await startSource('fsm', world)).sim;
});
afterAll(async () => {
  await Promise.all([erp?.close(), crm?.close(), fsm?.close()]);
});

const erpGet = (path: string) => fetch(`${erp.url}/sap/opu/odata/sap/${path}`, { headers: { authorization: basicAuth('MDM_READ', SECRETS.erp) } });
const fsmGet = (path: string) => fetch(`${fsm.url}/api/now/table/${path}`, { headers: { authorization: basicAuth('mdm.integration', SECRETS.fsm) } });

describe('SAP OData v2 simulator', () => {
  it('serves d.results with escaped /Date()/ values, __count, deferred navigation and server paging', async () => {
    const res = await erpGet("API_PRODUCT_SRV/A_Product?$top=3&$inlinecount=allpages&$expand=to_Description");
    const text = await res.text();
    expect(text).toMatch(/"LastChangeDateTime":"\\\/Date\(\d+\+0000\)\\\/"/);
    const body = JSON.parse(text);
    expect(body.d.__count).toBe(String(world.filter((r) => r.source === 'erp' && r.entity === 'product').length));
    expect(body.d.results).toHaveLength(3);
    expect(body.d.results[0].to_Description.results[0]).toMatchObject({ Language: 'EN' });
    expect(body.d.results[0].to_Valuation.__deferred.uri).toMatch(/A_Product\('\d+'\)\/to_Valuation$/);

    const page = await (await erpGet('API_EQUIPMENT/Equipment?$orderby=LastChangeDateTime,Equipment')).json();
    expect(page.d.results).toHaveLength(50);
    expect(page.d.__next).toMatch(/\$skiptoken=50/);
    const next = await (await fetch(page.d.__next, { headers: { authorization: basicAuth('MDM_READ', SECRETS.erp) } })).json();
    expect(next.d.results[0].Equipment).not.toBe(page.d.results[0].Equipment);

    const skip = await (await erpGet('API_EQUIPMENT/Equipment?$orderby=LastChangeDateTime,Equipment&$top=5&$skip=50')).json();
    expect(skip.d.results[0].Equipment).toBe(next.d.results[0].Equipment);
    expect(skip.d.__next).toBeUndefined();
  });

  it('filters on business partner date and time fields and rejects bad filters and logons', async () => {
    const all = (await (await erpGet('API_BUSINESS_PARTNER/A_BusinessPartner?$top=1000')).json()).d.results;
    const filtered = (await (await erpGet("API_BUSINESS_PARTNER/A_BusinessPartner?$filter=LastChangeDate ge datetime'2025-01-01T00:00:00' and BusinessPartnerCategory eq '2'")).json()).d.results;
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.length).toBeLessThan(all.length);
    for (const bp of filtered) {
      expect(Number(/\d+/.exec(bp.LastChangeDate)![0])).toBeGreaterThanOrEqual(Date.parse('2025-01-01T00:00:00Z'));
      expect(bp.BusinessPartnerCategory).toBe('2');
    }
    expect((await erpGet("API_BUSINESS_PARTNER/A_BusinessPartner?$filter=LastChangeDate gq 1")).status).toBe(400);
    expect((await fetch(`${erp.url}/sap/opu/odata/sap/API_PRODUCT_SRV/A_Product`)).status).toBe(401);
  });
});

describe('Salesforce REST simulator', () => {
  it('issues tokens, pages query cursors and shows deleted rows only to queryAll', async () => {
    const bad = await fetch(`${crm.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'mdm-hub', client_secret: 'nope' }) });
    expect(bad.status).toBe(400);
    const token = (await (await fetch(`${crm.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'mdm-hub', client_secret: SECRETS.crm }) })).json()).access_token;
    const q = (endpoint: string, soql: string) => fetch(`${crm.url}/services/data/v60.0/${endpoint}?q=${encodeURIComponent(soql)}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    const assets = world.filter((r) => r.source === 'crm' && r.entity === 'asset');
    const live = await q('query', 'SELECT Id FROM Asset ORDER BY SystemModstamp, Id');
    const all = await q('queryAll', 'SELECT Id, IsDeleted FROM Asset ORDER BY SystemModstamp, Id');
    expect(all.totalSize).toBe(assets.length);
    expect(live.totalSize).toBe(assets.filter((a) => !a.deleted).length);
    expect(all.done).toBe(false);
    expect(all.records).toHaveLength(50);
    const second = await fetch(`${crm.url}${all.nextRecordsUrl}`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    expect(second.records[0].Id).not.toBe(all.records[0].Id);
    const malformed = await fetch(`${crm.url}/services/data/v60.0/query?q=${encodeURIComponent('SELECT FROM')}`, { headers: { authorization: `Bearer ${token}` } });
    expect(malformed.status).toBe(400);
    expect((await malformed.json())[0].errorCode).toBe('MALFORMED_QUERY');
    const loc = await q('query', 'SELECT Id, VisitorAddress.City FROM Location LIMIT 1');
    expect(loc.records[0].VisitorAddress).toHaveProperty('City');
  });
});

describe('ServiceNow Table API simulator', () => {
  it('serves strings and reference objects, Link headers, dot-walked fields and v1 empty results', async () => {
    const res = await fsmGet('alm_asset?sysparm_limit=10&sysparm_fields=sys_id,company,install_status,model.model_number');
    expect(res.headers.get('x-total-count')).toBe(String(world.filter((r) => r.source === 'fsm' && r.entity === 'asset' && !r.deleted).length));
    expect(res.headers.get('link')).toMatch(/sysparm_offset=10>;rel="next"/);
    const rows = (await res.json()).result;
    expect(rows).toHaveLength(10);
    const withCompany = rows.find((r: { company: unknown }) => r.company !== '');
    expect(withCompany.company).toEqual({ link: expect.stringMatching(/\/api\/now\/table\/(core_company|csm_consumer)\/[0-9a-f]{32}$/), value: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(typeof rows[0].install_status).toBe('string');
    expect(rows[0]).toHaveProperty('model.model_number');
    // An unknown field in the query is ignored, as ServiceNow does by default.
    const ignored = await fsmGet('cmn_location?sysparm_query=no_such_field=1&sysparm_limit=1');
    expect((await ignored.json()).result).toHaveLength(1);
    const deletes = await (await fsmGet('sys_audit_delete?sysparm_query=tablename=alm_asset')).json();
    expect(deletes.result.length).toBe(world.filter((r) => r.source === 'fsm' && r.entity === 'asset' && r.deleted).length);
  });
});

describe('simulators without a response cache', () => {
  it('answer the same payloads as with one, and each change at once', async () => {
    const start = (cacheResponses: boolean) =>
      Promise.all([
        startErpSimulator({ records: world, cacheResponses, auth: { username: 'MDM_READ', password: SECRETS.erp }, serverPageSize: 50 }),
        startFsmSimulator({ records: world, cacheResponses, auth: { username: 'mdm.integration', password: SECRETS.fsm } }),
        startCrmSimulator({ records: world, cacheResponses, auth: { clientId: 'mdm-hub', clientSecret: SECRETS.crm }, maxBatchSize: 50 }),
      ]);
    const sims = [...(await start(true)), ...(await start(false))];
    try {
      const soql = encodeURIComponent('SELECT Id, Name, BillingCity, SystemModstamp FROM Account ORDER BY SystemModstamp, Id');
      // One read of each system's customers, the simulator's own address taken out (in SAP's escaped form too).
      const read = async (sim: Simulator, k: number): Promise<string> => {
        let text: string;
        if (k % 3 === 0) {
          const url = `${sim.url}/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$expand=to_BusinessPartnerAddress&$top=40`;
          text = await (await fetch(url, { headers: { authorization: basicAuth('MDM_READ', SECRETS.erp) } })).text();
        } else if (k % 3 === 1) {
          text = await (await fetch(`${sim.url}/api/now/table/core_company?sysparm_limit=40`, { headers: { authorization: basicAuth('mdm.integration', SECRETS.fsm) } })).text();
        } else {
          const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'mdm-hub', client_secret: SECRETS.crm });
          const token = (await (await fetch(`${sim.url}/services/oauth2/token`, { method: 'POST', body: form })).json()).access_token;
          text = await (await fetch(`${sim.url}/services/data/v60.0/query?q=${soql}`, { headers: { authorization: `Bearer ${token}` } })).text();
          text = text.replace(/"nextRecordsUrl":"[^"]+"/, '');
        }
        return text.split(sim.url.replace(/\//g, '\\/')).join('').split(sim.url).join('');
      };
      for (let k = 0; k < 3; k++) {
        const cached = [await read(sims[k], k), await read(sims[k], k)]; // the second from its cache
        const plain = [await read(sims[k + 3], k), await read(sims[k + 3], k)];
        expect(plain[0].length).toBeGreaterThan(2000);
        expect(cached[1] === cached[0] && plain[0] === cached[0] && plain[1] === cached[0], `system ${k}: payloads differ`).toBe(true);
      }
      // A changed record shows in the next read of the simulator without a cache.
      const first = JSON.parse(await read(sims[3], 0)).d.results[0];
      sims[3].update('customer', first.BusinessPartner, { city: 'Zwickau-Nord' });
      const url = `${sims[3].url}/sap/opu/odata/sap/API_BUSINESS_PARTNER/A_BusinessPartner?$expand=to_BusinessPartnerAddress&$filter=BusinessPartner eq '${first.BusinessPartner}'`;
      const changed = (await (await fetch(url, { headers: { authorization: basicAuth('MDM_READ', SECRETS.erp) } })).json()).d.results;
      expect(changed.map((r: { to_BusinessPartnerAddress: { results: Array<{ CityName: string }> } }) => r.to_BusinessPartnerAddress.results[0].CityName)).toEqual(['Zwickau-Nord']);
    } finally {
      await Promise.all(sims.map((s) => s.close()));
    }
  });
});
