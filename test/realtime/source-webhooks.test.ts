import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import type { EntityType } from '../../src/core/entities';
import { createApp } from '../../src/http/app';
import { processInboxBatch } from '../../src/realtime/inbox-worker';
import { webhookRoutes } from '../../src/realtime/webhook.routes';
import type { SimRecord, Simulator } from '../../src/sim/index';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { expectedAttributes, startSource, worldRecords } from '../sync/helpers';

const world = worldRecords(23, 400);
let erp: Simulator;
let crm: Simulator;
let fsm: Simulator;
let configDir: string;
let previousSources: string | undefined;

beforeAll(async () => {
  const started = await Promise.all([startSource('erp', world), startSource('crm', world), startSource('fsm', world)]);
  [erp, crm, fsm] = started.map((s) => s.sim);
  configDir = mkdtempSync(join(tmpdir(), 'mdm-source-webhooks-'));
  const path = join(configDir, 'sources.json');
  writeFileSync(path, JSON.stringify({ sources: started.map((s) => s.config) }));
  previousSources = process.env.MDM_SOURCES;
  process.env.MDM_SOURCES = path;
});
afterAll(async () => {
  if (previousSources === undefined) delete process.env.MDM_SOURCES;
  else process.env.MDM_SOURCES = previousSources;
  await Promise.all([erp?.close(), crm?.close(), fsm?.close()]);
  if (configDir) rmSync(configDir, { recursive: true, force: true });
});

let database: TestDatabase;
let app: ReturnType<typeof createApp>;
const keys: Record<'erp' | 'crm' | 'fsm', string> = { erp: '', crm: '', fsm: '' };

beforeEach(async () => {
  database = await openTestDatabase();
  app = createApp({ database });
  for (const source of ['erp', 'crm', 'fsm'] as const) keys[source] = (await createApiKey(database.db, { role: `ingest:${source}` })).key;
});
afterEach(async () => {
  await database?.close();
});

function post(path: string, body: unknown, options: { key?: string | null; contentType?: string; headers?: Record<string, string> } = {}) {
  const source = path.split('/')[2] as keyof typeof keys;
  const key = options.key === undefined ? keys[source] : options.key;
  return app.request(path, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...options.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function drain(): Promise<void> {
  for (let i = 0; i < 50; i++) if ((await processInboxBatch(database)).claimed === 0) return;
  throw new Error('the inbox did not drain');
}

const count = async (table: 'inbox_event' | 'source_record' | 'quarantine') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

async function stored(source: string, entity: EntityType, sourceId: string) {
  return database.db
    .selectFrom('source_record')
    .select(['attributes', 'deleted', 'updated_at', 'raw'])
    .where('source', '=', source)
    .where('entity', '=', entity)
    .where('source_id', '=', sourceId)
    .executeTakeFirst();
}

async function goldenOf(source: string, entity: EntityType, sourceId: string): Promise<string | undefined> {
  const row = await database.db.selectFrom('xref').select('golden_id').where('entity', '=', entity).where('source', '=', source).where('source_id', '=', sourceId).executeTakeFirst();
  return row?.golden_id as string | undefined;
}

function pick(source: string, entity: EntityType, filter: (r: SimRecord) => boolean = () => true): SimRecord {
  const hit = world.find((r) => r.source === source && r.entity === entity && !r.deleted && filter(r));
  if (!hit) throw new Error(`no ${source} ${entity} in the world`);
  return hit;
}

const current = (sim: Simulator, entity: EntityType, id: string) => sim.store.get(entity, id)!.record;

describe('SAP business events: /ingest/<source>/sap-events', () => {
  const bpEvent = (id: string, businessPartner: unknown, action = 'Changed') => ({
    specversion: '1.0', id, source: '/default/sap.s4.beh/730431274', type: `sap.s4.beh.businesspartner.v1.BusinessPartner.${action}.v1`,
    time: '2026-01-05T10:00:00Z', datacontenttype: 'application/json', data: { BusinessPartner: businessPartner },
  });

  it('stores the key-only event, and the worker reads the record back through the ERP API, stores and resolves it', async () => {
    const customer = pick('erp', 'customer');
    const product = pick('erp', 'product');
    const res = await post('/ingest/erp/sap-events', [
      bpEvent('e-1', customer.sourceId),
      { ...bpEvent('e-2', null), type: 'sap.s4.beh.product.v1.Product.Created.v1', data: { Product: product.sourceId } },
    ], { contentType: 'application/cloudevents-batch+json' });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    expect(body.events[0]).toMatchObject({ eventId: 'e-1', entity: 'customer', sourceId: customer.sourceId, duplicate: false });
    // Acknowledged once in the inbox as it came; nothing stored before the worker runs.
    const inbox = await database.db.selectFrom('inbox_event').select(['kind', 'payload']).orderBy('id').execute();
    expect(inbox.map((e) => e.kind)).toEqual(['sap-event', 'sap-event']);
    expect((inbox[0].payload as { data: unknown }).data).toEqual({ BusinessPartner: customer.sourceId });
    expect(await count('source_record')).toBe(0);

    const before = erp.requests.length;
    await drain();
    expect(erp.requests.length).toBeGreaterThan(before);
    const c = await stored('erp', 'customer', customer.sourceId);
    expect(c?.attributes).toEqual(expectedAttributes(current(erp, 'customer', customer.sourceId)));
    expect((await stored('erp', 'product', product.sourceId))?.attributes).toEqual(expectedAttributes(current(erp, 'product', product.sourceId)));
    expect(await goldenOf('erp', 'customer', customer.sourceId)).toBeDefined();

    // A change in SAP and its event: the new state is read and stored; the same event again changes nothing.
    erp.update('customer', customer.sourceId, { city: 'Stuttgart-Vaihingen' });
    expect((await (await post('/ingest/erp/sap-events', bpEvent('e-3', customer.sourceId), { contentType: 'application/cloudevents+json' })).json()).accepted).toBe(1);
    await drain();
    expect(((await stored('erp', 'customer', customer.sourceId))?.attributes as { city: string }).city).toBe('Stuttgart-Vaihingen');
    const again = await (await post('/ingest/erp/sap-events', bpEvent('e-3', customer.sourceId), { contentType: 'application/cloudevents+json' })).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 1 });
    expect(await count('inbox_event')).toBe(3);
  });

  it('retries a read-back that fails (the record is not readable yet) and stores it once it is', async () => {
    const res = await post('/ingest/erp/sap-events', bpEvent('e-new', '1999998', 'Created'), { contentType: 'application/cloudevents+json' });
    expect(res.status).toBe(202);
    await drain();
    const pending = await database.db.selectFrom('inbox_event').select(['status', 'attempts', 'last_error']).executeTakeFirstOrThrow();
    expect(pending).toMatchObject({ status: 'pending', attempts: 1 });
    expect(pending.last_error).toContain('A_BusinessPartner 1999998 is not readable');
    expect(await count('source_record')).toBe(0);

    const template = pick('erp', 'customer', (r) => r.kind === 'organization');
    erp.insert({ ...template, sourceId: '1999998', name: 'Neu Anlagenbau GmbH', parentRef: undefined });
    await database.db.updateTable('inbox_event').set({ next_attempt_at: new Date(Date.now() - 1000) }).execute();
    await drain();
    expect((await database.db.selectFrom('inbox_event').select('status').executeTakeFirstOrThrow()).status).toBe('done');
    expect(((await stored('erp', 'customer', '1999998'))?.attributes as { name: string }).name).toBe('Neu Anlagenbau GmbH');
  });

  it('lists bad events (unknown object, missing key, wrong type, not a CloudEvent) in rejected; the valid one lands', async () => {
    const customer = pick('erp', 'customer');
    const res = await post('/ingest/erp/sap-events', [
      { ...bpEvent('b-1', '1'), type: 'sap.s4.beh.salesorder.v1.SalesOrder.Changed.v1' },
      { ...bpEvent('b-2', '1'), data: {} },
      bpEvent('b-3', 1000045),
      { ...bpEvent('b-4', '1'), specversion: '0.3' },
      bpEvent('b-5', customer.sourceId),
    ], { contentType: 'application/cloudevents-batch+json' });
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 1, 2, 3]);
    expect(body.rejected[0].reason).toContain('"sap.s4.beh.salesorder.v1.SalesOrder.Changed.v1" is not a business event of an object the hub maps');
    expect(body.rejected[1].reason).toContain('data.BusinessPartner (the key) is missing');
    expect(body.rejected[2].reason).toContain('got number 1000045');
    expect(body.rejected[3].reason).toContain('specversion must be "1.0"');
    expect(await count('quarantine')).toBe(4);
    await drain();
    expect(await count('source_record')).toBe(1);

    const none = await post('/ingest/erp/sap-events', [bpEvent('b-6', '')], { contentType: 'application/cloudevents-batch+json' });
    expect(none.status).toBe(400);
    expect((await none.json()).error.code).toBe('INVALID_EVENTS');
    expect((await post('/ingest/erp/sap-events', '{"specversion":', { contentType: 'application/cloudevents+json' })).status).toBe(400);
    expect((await post('/ingest/erp/sap-events', 'x', { contentType: 'text/plain' })).status).toBe(415);
  });
});

describe('Salesforce Change Data Capture: /ingest/<source>/salesforce-cdc', () => {
  let seq = 0;
  const change = (object: string, ids: string[], changeType: string, commit: number, fields: Record<string, unknown> = {}, header: Record<string, unknown> = {}) => ({
    schema: 'Jx8Hz9ElkIUaBf-heF1ShA',
    payload: {
      ChangeEventHeader: {
        entityName: object, recordIds: ids, changeType, changeOrigin: 'com/salesforce/api/rest/60.0;client=test', transactionKey: `tx-${++seq}`,
        sequenceNumber: 1, commitTimestamp: commit, commitNumber: 1100670838951 + seq, commitUser: '005RO000000AbCdYAK',
        changedFields: changeType === 'UPDATE' ? Object.keys(fields) : [], ...header,
      },
      ...fields,
    },
    event: { replayId: 18000 + seq },
  });
  const account = () => pick('crm', 'customer', (r) => r.kind === 'organization' && typeof r.city === 'string' && typeof r.phone === 'string');
  const T0 = Date.parse('2027-01-01T10:00:00Z');

  async function held(id: string) {
    const row = await stored('crm', 'customer', id);
    return { ...row, attributes: row?.attributes as Record<string, unknown>, updatedAt: row?.updated_at ? new Date(row.updated_at).toISOString() : null };
  }

  it('reads back an unknown record, merges later changed fields into the stored version without asking the API, and marks a DELETE deleted', async () => {
    const a = account();
    const created = await post('/ingest/crm/salesforce-cdc', change('Account', [a.sourceId], 'CREATE', T0, { Name: a.name }));
    expect(created.status).toBe(202);
    expect((await created.json()).events[0]).toMatchObject({ entity: 'customer', sourceId: a.sourceId });
    await drain();
    const first = await held(a.sourceId);
    expect(first.attributes).toEqual(expectedAttributes(current(crm, 'customer', a.sourceId)));
    expect(await goldenOf('crm', 'customer', a.sourceId)).toBeDefined();

    const requests = crm.requests.length;
    const update = change('Account', [a.sourceId], 'UPDATE', T0 + 60_000, {
      BillingAddress: { City: 'Stuttgart-Vaihingen', PostalCode: '70563' }, Phone: '+49 711 99999', LastModifiedDate: '2027-01-01T10:01:00.000Z',
    });
    expect((await post('/ingest/crm/salesforce-cdc', update)).status).toBe(202);
    await drain();
    expect(crm.requests.length).toBe(requests);
    const merged = await held(a.sourceId);
    expect(merged.attributes).toEqual({ ...first.attributes, city: 'Stuttgart-Vaihingen', postalCode: '70563', phone: '+49 711 99999' });
    expect(merged.updatedAt).toBe(new Date(T0 + 60_000).toISOString());
    expect(merged.deleted).toBe(false);

    // The same event again (Salesforce redelivers): a duplicate, nothing changes.
    const dup = await (await post('/ingest/crm/salesforce-cdc', update)).json();
    expect(dup).toMatchObject({ accepted: 0, duplicates: 1 });

    // nulledFields empties a field.
    await post('/ingest/crm/salesforce-cdc', change('Account', [a.sourceId], 'UPDATE', T0 + 90_000, {}, { nulledFields: ['Phone'] }));
    await drain();
    expect((await held(a.sourceId)).attributes.phone).toBeUndefined();

    await post('/ingest/crm/salesforce-cdc', change('Account', [a.sourceId], 'DELETE', T0 + 120_000));
    await drain();
    const deleted = await held(a.sourceId);
    expect(deleted.deleted).toBe(true);
    expect(deleted.updatedAt).toBe(new Date(T0 + 120_000).toISOString());
    expect(crm.requests.length).toBe(requests);
  });

  it('splits compound fields (the Name of a Contact, a MailingAddress) and applies one change to every record id it names', async () => {
    const people = world.filter((r) => r.source === 'crm' && r.entity === 'customer' && r.kind === 'person' && !r.deleted).slice(0, 2);
    expect(people).toHaveLength(2);
    const ids = people.map((p) => p.sourceId);
    await post('/ingest/crm/salesforce-cdc', ids.map((id) => change('Contact', [id], 'CREATE', T0)));
    await drain();
    await post('/ingest/crm/salesforce-cdc', change('Contact', ids, 'UPDATE', T0 + 60_000, {
      Name: { FirstName: 'Annegret' }, MailingAddress: { City: 'Ulm', PostalCode: '89073' },
    }));
    await drain();
    for (const person of people) {
      const attributes = (await held(person.sourceId)).attributes;
      const before = expectedAttributes(current(crm, 'customer', person.sourceId));
      expect(attributes).toEqual({ ...before, givenName: 'Annegret', name: `Annegret ${before.familyName}`, city: 'Ulm', postalCode: '89073' });
    }
  });

  it('a gap event reads the record back through the API', async () => {
    const a = account();
    await post('/ingest/crm/salesforce-cdc', change('Account', [a.sourceId], 'CREATE', T0, { Name: a.name }));
    await drain();
    crm.update('customer', a.sourceId, { name: 'Krüger Maschinenbau Holding GmbH' });
    const requests = crm.requests.length;
    const gap = await post('/ingest/crm/salesforce-cdc', change('Account', [a.sourceId], 'GAP_UPDATE', Date.now()).payload);
    expect(gap.status).toBe(202);
    await drain();
    expect(crm.requests.length).toBeGreaterThan(requests);
    expect((await held(a.sourceId)).attributes).toEqual(expectedAttributes(current(crm, 'customer', a.sourceId)));
  });

  it('orders by commit time: an older commit arriving after a newer one never overwrites it', async () => {
    const a = account();
    await post('/ingest/crm/salesforce-cdc', change('Account', [a.sourceId], 'CREATE', T0, { Name: a.name }));
    await drain();
    const newer = change('Account', [a.sourceId], 'UPDATE', T0 + 120_000, { Phone: '+49 711 22222' });
    const older = change('Account', [a.sourceId], 'UPDATE', T0 + 60_000, { Phone: '+49 711 11111', BillingAddress: { City: 'Esslingen' } });
    await post('/ingest/crm/salesforce-cdc', newer);
    await drain();
    await post('/ingest/crm/salesforce-cdc', older);
    await drain();
    const after = await held(a.sourceId);
    expect(after.attributes.phone).toBe('+49 711 22222');
    expect(after.attributes.city).not.toBe('Esslingen');
    expect(after.updatedAt).toBe(new Date(T0 + 120_000).toISOString());

    // Both in one request, newer first: the same outcome.
    const b = pick('crm', 'customer', (r) => r.kind === 'organization' && r.sourceId !== a.sourceId);
    await post('/ingest/crm/salesforce-cdc', change('Account', [b.sourceId], 'CREATE', T0, { Name: b.name }));
    await drain();
    await post('/ingest/crm/salesforce-cdc', [
      change('Account', [b.sourceId], 'UPDATE', T0 + 120_000, { Phone: '+49 89 22222' }),
      change('Account', [b.sourceId], 'UPDATE', T0 + 60_000, { Phone: '+49 89 11111' }),
    ]);
    await drain();
    expect((await stored('crm', 'customer', b.sourceId))?.attributes).toMatchObject({ phone: '+49 89 22222' });
  });

  it('lists bad events (unknown object, missing record ids, wrong types) in rejected; the valid one lands', async () => {
    const a = account();
    const res = await post('/ingest/crm/salesforce-cdc', [
      change('Opportunity', ['006RO00000KrMbAYAV'], 'UPDATE', T0, { StageName: 'Won' }),
      change('Account', [], 'UPDATE', T0, { Phone: '1' }),
      change('Account', [a.sourceId], 'UPDATE', T0, { Phone: { number: 1 } }),
      change('Account', [a.sourceId], 'UPDATE', T0, { LastModifiedDate: 'yesterday' }),
      change('Account', [a.sourceId], 'UPDATE', '2027-01-01' as unknown as number, { Phone: '1' }),
      change('Account', ['001*'], 'UPDATE', T0, { Phone: '1' }),
      { payload: { Name: 'no header' } },
      change('Account', [a.sourceId], 'GAP_OVERFLOW', T0),
    ]);
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.accepted).toBe(1);
    const reasons = body.rejected.map((r: { reason: string }) => r.reason);
    expect(reasons).toHaveLength(7);
    expect(reasons[0]).toContain('entityName "Opportunity" is not an object the hub maps');
    expect(reasons[1]).toContain('recordIds must be a non-empty list');
    expect(reasons[2]).toContain('Phone must be text, got an object');
    expect(reasons[3]).toContain('LastModifiedDate "yesterday" is not a Salesforce datetime');
    expect(reasons[4]).toContain('commitTimestamp must be the commit time in epoch milliseconds');
    expect(reasons[5]).toContain('wildcard');
    expect(reasons[6]).toContain('no ChangeEventHeader');
    await drain();
    expect((await stored('crm', 'customer', a.sourceId))?.attributes).toEqual(expectedAttributes(current(crm, 'customer', a.sourceId)));
  });
});

describe('ServiceNow record webhooks: /ingest/<source>/servicenow', () => {
  /** The row as the Table API gives it (a business rule sends the same fields; alm_asset with its dot-walked ones). */
  async function tableRow(table: string, sysId: string): Promise<Record<string, unknown>> {
    const auth = `Basic ${Buffer.from('mdm.integration:fsm-Pa55word!').toString('base64')}`;
    const fields = table === 'alm_asset' ? '&sysparm_fields=sys_id,sys_updated_on,sys_mod_count,serial_number,model.model_number,ci.name,company,location,install_status,install_date' : '';
    const res = await fetch(`${fsm.url}/api/now/table/${table}?sysparm_query=sys_id=${sysId}${fields}`, { headers: { authorization: auth } });
    const { result } = (await res.json()) as { result: Array<Record<string, unknown>> };
    expect(result).toHaveLength(1);
    return result[0];
  }
  const hook = (table: string, row: Record<string, unknown>, operation = 'update') => ({
    table, operation, sys_id: row.sys_id, sys_updated_on: row.sys_updated_on, sys_mod_count: row.sys_mod_count, record: row,
  });

  it('maps the record at the webhook with the ServiceNow adapter; the worker stores and resolves it; a delete marks it deleted', async () => {
    const company = pick('fsm', 'customer', (r) => r.kind === 'organization');
    const row = await tableRow('core_company', company.sourceId);
    const res = await post('/ingest/fsm/servicenow', hook('core_company', row));
    expect(res.status).toBe(202);
    expect((await res.json()).events[0]).toMatchObject({ entity: 'customer', sourceId: company.sourceId });
    expect((await database.db.selectFrom('inbox_event').select('kind').executeTakeFirstOrThrow()).kind).toBe('record');
    await drain();
    expect((await stored('fsm', 'customer', company.sourceId))?.attributes).toEqual(expectedAttributes(current(fsm, 'customer', company.sourceId)));
    expect(await goldenOf('fsm', 'customer', company.sourceId)).toBeDefined();

    // The same record version again is a duplicate.
    expect(await (await post('/ingest/fsm/servicenow', hook('core_company', row))).json()).toMatchObject({ accepted: 0, duplicates: 1 });

    const later = '2030-01-01 00:00:00';
    await post('/ingest/fsm/servicenow', { table: 'core_company', operation: 'delete', sys_id: company.sourceId, sys_updated_on: later });
    await drain();
    const gone = await stored('fsm', 'customer', company.sourceId);
    expect(gone?.deleted).toBe(true);
    expect(new Date(gone!.updated_at!).toISOString()).toBe('2030-01-01T00:00:00.000Z');

    // An older version after the delete is kept out.
    await post('/ingest/fsm/servicenow', hook('core_company', { ...row, name: 'Older Name AG' }));
    await drain();
    expect((await stored('fsm', 'customer', company.sourceId))?.deleted).toBe(true);
  });

  it('rejects bad records (unknown table, missing sys_id, wrong types, no version) synchronously; the valid one lands', async () => {
    const asset = pick('fsm', 'asset');
    const row = await tableRow('alm_asset', asset.sourceId);
    const res = await post('/ingest/fsm/servicenow', [
      hook('incident', row),
      { ...hook('alm_asset', row), sys_id: undefined },
      hook('alm_asset', { ...row, install_status: '42' }),
      { ...hook('alm_asset', row), operation: 'merge' },
      { ...hook('alm_asset', { ...row, sys_updated_on: undefined }), sys_updated_on: undefined },
      hook('alm_asset', { ...row, company: [1, 2] }),
      hook('alm_asset', row),
    ]);
    expect(res.status).toBe(202);
    const body = await res.json();
    expect(body.accepted).toBe(1);
    const reasons = body.rejected.map((r: { reason: string }) => r.reason);
    expect(reasons).toHaveLength(6);
    expect(reasons[0]).toContain('table "incident" is not a table the hub maps');
    expect(reasons[1]).toContain('sys_id is missing');
    expect(reasons[2]).toContain('install_status "42" is not a known choice');
    expect(reasons[3]).toContain('operation "merge" is not insert, update or delete');
    expect(reasons[4]).toContain('sys_updated_on');
    expect(reasons[5]).toContain('company must be a reference');
    await drain();
    expect((await stored('fsm', 'asset', asset.sourceId))?.attributes).toEqual(expectedAttributes(current(fsm, 'asset', asset.sourceId)));
  });
});

describe('source webhooks: authentication and configuration', () => {
  it('a wrong key, a key of another source or a wrong signature gets 401/403 and nothing is stored', async () => {
    const id = pick('erp', 'customer').sourceId;
    const event = { specversion: '1.0', id: 'x-1', source: '/s4', type: 'sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1', data: { BusinessPartner: id } };
    for (const path of ['/ingest/erp/sap-events', '/ingest/crm/salesforce-cdc', '/ingest/fsm/servicenow']) {
      expect((await post(path, event, { key: null })).status).toBe(401);
      expect((await post(path, event, { key: 'mdm_000000000000_' + 'x'.repeat(43) })).status).toBe(401);
      expect((await post(path, event, { key: null, headers: { 'x-hub-signature-256': 'sha256=' + '0'.repeat(64) } })).status).toBe(401);
    }
    expect((await post('/ingest/erp/sap-events', event, { key: keys.crm })).status).toBe(403);
    expect(await count('inbox_event')).toBe(0);
    expect(await count('quarantine')).toBe(0);

    // A body signed with the source's webhook secret is accepted.
    const hooks = webhookRoutes({ database, config: { secretOf: (s) => (s === 'erp' ? 'erp-hook-secret' : undefined) } });
    const body = JSON.stringify(event);
    const sign = (b: string) => 'sha256=' + createHmac('sha256', 'erp-hook-secret').update(b).digest('hex');
    const send = (b: string, signature: string) => hooks.request('/erp/sap-events', { method: 'POST', headers: { 'content-type': 'application/cloudevents+json', 'x-hub-signature-256': signature }, body: b });
    expect((await send(body, sign(body))).status).toBe(202);
    expect((await send(body.replace('x-1', 'x-2'), sign(body))).status).toBe(401);
    expect(await count('inbox_event')).toBe(1);
  });

  it('other paths are not webhooks', async () => {
    expect((await post('/ingest/erp/sales-events', {})).status).toBe(404);
    expect((await post('/ingest/erp/xservicenow', {})).status).toBe(404);
  });

  it('a source not configured with the kind of the endpoint is refused with the reason', async () => {
    const admin = (await createApiKey(database.db, { role: 'admin' })).key;
    const res = await post('/ingest/crm/sap-events', [], { key: admin });
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'SOURCE_NOT_CONFIGURED', message: expect.stringContaining('configured with kind salesforce') });
    const unknown = await post('/ingest/wms/servicenow', {}, { key: admin });
    expect((await unknown.json()).error.message).toContain('source "wms" is not in the sources configuration');
    expect(await count('inbox_event')).toBe(0);
  });
});
