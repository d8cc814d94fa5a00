import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/auth/api-key.service';
import { revokeApiKey } from '../../src/auth/api-key.repository';
import { graphqlRoutes } from '../../src/graphql/graphql.routes';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { goldenIds, graphql, keyFor, seedCanonicalWorld } from './helpers';

let database: TestDatabase;
let app: Hono;
let anna: string;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  app = createApp({ database });
  anna = (await goldenIds(database, 'customer')).get('crm|P-ANNA')!;
});
afterAll(async () => {
  await database?.close();
});

const PERSON = 'query($id: ID!) { goldenRecord(id: $id) { record { id attributes attributeLineage redactedAttributes } } }';
const PERSONAL = ['dateOfBirth', 'email', 'familyName', 'givenName', 'name', 'nationalId', 'phone'];

describe('who may read', () => {
  it('answers requests without a key, or with an unknown or revoked one, with 401 and no data', async () => {
    const none = await graphql(app, null, PERSON, { id: anna });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });

    const { key, row } = await createApiKey(database.db, { role: 'steward' });
    expect((await graphql(app, key, PERSON, { id: anna })).status).toBe(200);
    await revokeApiKey(database.db, row.id);
    const revoked = await graphql(app, key, PERSON, { id: anna });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error!.code).toBe('UNAUTHENTICATED');
    expect(revoked.body.data).toBeUndefined();

    const unknown = await graphql(app, 'mdm_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', PERSON, { id: anna });
    expect(unknown.status).toBe(401);
  });

  it('lets a reader read but leaves personal attributes out and names them', async () => {
    const { status, body } = await graphql(app, await keyFor(database, 'reader'), PERSON, { id: anna });
    expect(status).toBe(200);
    const record = body.data!.goldenRecord.record;
    expect(record.attributes).toMatchObject({ kind: 'person', city: 'Ulm', postalCode: '89073' });
    for (const attribute of PERSONAL) {
      expect(record.attributes, attribute).not.toHaveProperty(attribute);
      expect(record.attributeLineage, attribute).not.toHaveProperty(attribute);
    }
    expect(record.attributeLineage.city).toMatchObject({ value: 'Ulm', lineage: { source: 'crm', sourceId: 'P-ANNA' } });
    expect(record.redactedAttributes).toEqual(PERSONAL);
    expect(JSON.stringify(body)).not.toMatch(/Anna|Berg|anna\.berg|1985-04-12|T22000129|1234567/);
  });

  it('keeps an organization name visible to a reader but hides its phone', async () => {
    const krueger = (await goldenIds(database, 'customer')).get('erp|1000045')!;
    const { body } = await graphql(app, await keyFor(database, 'reader'), PERSON, { id: krueger });
    const record = body.data!.goldenRecord.record;
    expect(record.attributes.name).toMatch(/Maschinenbau/);
    expect(record.attributes).not.toHaveProperty('phone');
    expect(record.redactedAttributes).toEqual(['phone']);
  });

  it('shows personal attributes to stewards and admins', async () => {
    for (const role of ['steward', 'admin']) {
      const { body } = await graphql(app, await keyFor(database, role), PERSON, { id: anna });
      const record = body.data!.goldenRecord.record;
      expect(record.attributes, role).toMatchObject({
        name: 'Anna Berg', givenName: 'Anna', familyName: 'Berg', email: 'anna.berg@example.org',
        dateOfBirth: '1985-04-12', nationalId: 'T22000129',
      });
      // Phones are multi-valued (all distinct phones) under the default survivorship rules.
      expect([record.attributes.phone].flat(), role).toContain('+49 170 1234567');
      expect(record.redactedAttributes, role).toEqual([]);
      expect(record.attributeLineage.nationalId, role).toMatchObject({ value: 'T22000129' });
    }
  });

  it('refuses golden data to an ingest key with FORBIDDEN on every query field', async () => {
    const key = await keyFor(database, 'ingest:erp');
    const { status, body } = await graphql(app, key, `query($id: ID!) {
      goldenRecord(id: $id) { requestedId }
      translateId(entity: CUSTOMER, source: "crm", sourceId: "P-ANNA") { goldenId }
      goldenRecordsConnection(entity: CUSTOMER, first: 1) { edges { cursor } }
    }`, { id: anna });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors!.length).toBeGreaterThanOrEqual(1);
    for (const error of body.errors!) expect(error.extensions!.code).toBe('FORBIDDEN');
  });
});

describe('schema browsing without a key', () => {
  const INTROSPECTION = '{ __schema { queryType { name } types { name } } }';
  function appWith(anonymousSchemaBrowsing: boolean) {
    return new Hono().route('/graphql', graphqlRoutes({ database, config: { anonymousSchemaBrowsing } }));
  }

  it('is refused by default: no GraphiQL page and no introspection', async () => {
    const browsing = appWith(false);
    expect((await browsing.request('/graphql', { headers: { accept: 'text/html' } })).status).toBe(401);
    expect((await graphql(browsing, null, INTROSPECTION)).status).toBe(401);
  });

  it('when allowed, serves GraphiQL and introspection but still no data', async () => {
    const browsing = appWith(true);
    const page = await browsing.request('/graphql', { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/graphiql/i);
    const introspection = await graphql(browsing, null, INTROSPECTION);
    expect(introspection.status).toBe(200);
    expect(introspection.body.data!.__schema.queryType.name).toBe('Query');

    const data = await graphql(browsing, null, `{ __typename goldenRecord(id: "${anna}") { requestedId } }`);
    expect(data.status).toBe(401);
    expect(data.body.error!.code).toBe('UNAUTHENTICATED');
    const sneaky = await graphql(browsing, null, `query { ...F } fragment F on Query { __typename goldenRecord(id: "${anna}") { requestedId } }`);
    expect(sneaky.status).toBe(401);
  });
});
