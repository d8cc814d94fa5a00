import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { createApiKey } from '../../src/auth/api-key.service';
import { resolve } from '../../src/golden-record/resolve.service';
import { ingestFile } from '../../src/ingest/file-ingest.service';
import type { Database } from '../../src/db/database';

const dir = mkdtempSync(join(tmpdir(), 'mdm-graphql-'));
let files = 0;

/** Writes canonical records as JSONL and ingests them. */
export async function ingestRecords(database: Database, records: Array<Record<string, unknown>>): Promise<void> {
  const file = join(dir, `records-${++files}.jsonl`);
  writeFileSync(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  await ingestFile(database, { file });
}

const org = (source: string, sourceId: string, extra: Record<string, unknown> = {}) => ({
  entity: 'customer', source, sourceId, kind: 'organization', name: 'Krüger Maschinenbau GmbH',
  street: 'Industriestraße', houseNumber: '12', postalCode: '70565', city: 'Stuttgart', country: 'DE',
  taxId: 'DE811234567', phone: '+49 711 123456', ...extra,
});

/**
 * A small canonical world: one organization known to ERP and CRM (one golden record), a consumer
 * with personal data in CRM, a second organization whose ERP and CRM records start apart (for a
 * steward must-link), and one product, serial unit, installed asset, contract and location.
 */
export const CANONICAL_RECORDS: Array<Record<string, unknown>> = [
  org('erp', '1000045'),
  org('crm', '0015g00000Abc12AAA', { name: 'Krueger Maschinenbau', street: 'Industriestr. 12', houseNumber: null }),
  org('erp', 'E-SCHMIDT', { name: 'Schmidt Antriebstechnik AG', taxId: null, street: 'Hafenweg', houseNumber: '3', postalCode: '20457', city: 'Hamburg', phone: '+49 40 555000' }),
  org('crm', 'C-SCHMIDT', { name: 'Schmidt Antriebstechnik AG', taxId: null, street: 'Andere Straße', houseNumber: '99', postalCode: '80331', city: 'München', phone: '+49 89 777111' }),
  {
    entity: 'customer', source: 'crm', sourceId: 'P-ANNA', kind: 'person', name: 'Anna Berg', givenName: 'Anna', familyName: 'Berg',
    email: 'anna.berg@example.org', phone: '+49 170 1234567', dateOfBirth: '1985-04-12', nationalId: 'T22000129',
    street: 'Lindenweg', houseNumber: '4', postalCode: '89073', city: 'Ulm', country: 'DE',
  },
  { entity: 'product', source: 'erp', sourceId: 'MAT-200', partNumber: 'PMP-200', name: 'Process pump PMP 200', manufacturer: 'Krüger', gtin: '4006381333931' },
  { entity: 'serial', source: 'erp', sourceId: 'SER-1', serialNumber: 'SN-00A7-4411', productRef: 'MAT-200', partNumber: 'PMP-200' },
  { entity: 'location', source: 'fsm', sourceId: 'LOC-1', name: 'Werk Stuttgart', street: 'Industriestraße', houseNumber: '12', postalCode: '70565', city: 'Stuttgart', country: 'DE' },
  { entity: 'asset', source: 'fsm', sourceId: 'AST-1', serialNumber: 'SN-00A7-4411', partNumber: 'PMP-200', name: 'Pump line 1', installDate: '2024-05-17' },
  { entity: 'contract', source: 'erp', sourceId: 'CT-9', contractNumber: 'CT-9', startDate: '2025-01-01', endDate: '2027-12-31', serviceLevel: 'gold' },
];

/** Ingests the canonical world and resolves it. */
export async function seedCanonicalWorld(database: Database): Promise<void> {
  await ingestRecords(database, CANONICAL_RECORDS);
  await resolve(database);
}

/** source|sourceId -> golden id for an entity type. */
export async function goldenIds(database: Database, entity: string): Promise<Map<string, string>> {
  const rows = await database.db.selectFrom('xref').select(['source', 'source_id', 'golden_id']).where('entity', '=', entity).execute();
  return new Map(rows.map((r) => [`${r.source}|${r.source_id}`, r.golden_id]));
}

/** Issues a key of a role and returns it. */
export async function keyFor(database: Database, role: string): Promise<string> {
  return (await createApiKey(database.db, { role, name: `test ${role}` })).key;
}

export interface GraphqlResponse<T = Record<string, any>> {
  status: number;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, any> }>; error?: { code: string; message: string } };
}

/** POSTs a GraphQL request to `/graphql` of an app. */
export async function graphql<T = Record<string, any>>(
  app: Hono<any>,
  key: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await app.request('/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: res.status, body: (await res.json()) as GraphqlResponse<T>['body'] };
}
