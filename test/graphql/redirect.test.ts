import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../../src/golden-record/resolve.service';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { goldenIds, graphql, keyFor, seedCanonicalWorld } from './helpers';

let database: TestDatabase;
let app: Hono;
let reader: string;
let survivor: string;
let loser: string;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  app = createApp({ database });
  reader = await keyFor(database, 'reader');

  // The two Schmidt records start apart; a steward says they are the same company.
  const before = await goldenIds(database, 'customer');
  const erp = before.get('erp|E-SCHMIDT')!;
  const crm = before.get('crm|C-SCHMIDT')!;
  if (erp === crm) throw new Error('the two Schmidt records should start in different golden records');
  const records = await database.db
    .selectFrom('source_record')
    .select(['id', 'source'])
    .where('entity', '=', 'customer')
    .where('source_id', 'in', ['E-SCHMIDT', 'C-SCHMIDT'])
    .execute();
  const [left, right] = records.map((r) => r.id).sort((a, b) => Number(a) - Number(b));
  await database.db.insertInto('steward_decision').values({ entity: 'customer', kind: 'must-link', left_record_id: left, right_record_id: right, actor: 'test' }).execute();
  await resolve(database);
  const after = await goldenIds(database, 'customer');
  survivor = after.get('erp|E-SCHMIDT')!;
  expect(after.get('crm|C-SCHMIDT')).toBe(survivor);
  loser = [erp, crm].find((id) => id !== survivor)!;
});
afterAll(async () => {
  await database?.close();
});

describe('a merged-away golden id', () => {
  it('resolves to the survivor and says it was redirected', async () => {
    const { body } = await graphql(app, reader, 'query($id: ID!) { goldenRecord(id: $id) { requestedId redirected record { id status redirectedFrom crossReferences { source sourceId } } } }', {
      id: loser,
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.goldenRecord).toEqual({
      requestedId: loser,
      redirected: true,
      record: {
        id: survivor,
        status: 'ACTIVE',
        redirectedFrom: [loser],
        crossReferences: [
          { source: 'crm', sourceId: 'C-SCHMIDT' },
          { source: 'erp', sourceId: 'E-SCHMIDT' },
        ],
      },
    });
  });

  it('resolves in a batch next to the survivor, and cross-references and translation point at the survivor', async () => {
    const batch = await graphql(app, reader, 'query($ids: [ID!]!) { goldenRecords(ids: $ids) { requestedId redirected record { id } } }', { ids: [loser, survivor] });
    expect(batch.body.data!.goldenRecords).toEqual([
      { requestedId: loser, redirected: true, record: { id: survivor } },
      { requestedId: survivor, redirected: false, record: { id: survivor } },
    ]);
    const byXref = await graphql(app, reader, '{ goldenRecordByXref(entity: CUSTOMER, source: "crm", sourceId: "C-SCHMIDT") { id } }');
    expect(byXref.body.data!.goldenRecordByXref).toEqual({ id: survivor });
    const translated = await graphql(app, reader, '{ translateId(entity: CUSTOMER, source: "crm", sourceId: "C-SCHMIDT") { goldenId crossReferences { source sourceId } } }');
    expect(translated.body.data!.translateId).toEqual({ goldenId: survivor, crossReferences: [{ source: 'erp', sourceId: 'E-SCHMIDT' }] });
  });

  it('is no longer listed by the connection, which lists active records only', async () => {
    const { body } = await graphql(app, reader, '{ goldenRecordsConnection(entity: CUSTOMER, first: 100) { edges { node { id status } } } }');
    const ids = body.data!.goldenRecordsConnection.edges.map((e: any) => e.node.id);
    expect(ids).toContain(survivor);
    expect(ids).not.toContain(loser);
  });
});
