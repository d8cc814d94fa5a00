import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { goldenIds, graphql, keyFor } from './helpers';
import { ASSETS, seedLinkedWorld } from './world';
import { QueryCounter } from '../helpers/query-counter';

let database: TestDatabase;
let app: Hono;
let reader: string;
let ids: Record<string, Map<string, string>>;

beforeAll(async () => {
  database = await openTestDatabase();
  await seedLinkedWorld(database);
  app = createApp({ database });
  reader = await keyFor(database, 'reader');
  ids = {};
  for (const e of ['customer', 'asset', 'contract', 'serial', 'location', 'product']) ids[e] = await goldenIds(database, e);
});
afterAll(async () => {
  await database?.close();
});

const CUSTOMER_TREE = `query($id: ID!) { goldenRecord(id: $id) { record { id ... on Customer {
  parent { id subsidiaries { id } }
  locations { id customer { id } installedAssets { id } }
  contracts { id }
  installedAssets(first: ${ASSETS}) { pageInfo { hasNextPage } edges { node { id attributes
    owner { id } product { id } location { id }
    serialUnit { id product { id } }
    contracts { id attributes customer { id } coveredAssets { id } } } } } } } } }`;

describe('relationships', () => {
  it('reads a customer with its parent, sites, contracts and 50 assets, each with owner, product, site, serial unit and contracts', async () => {
    const customer = ids.customer.get('erp|C-1')!;
    const { body } = await graphql(app, reader, CUSTOMER_TREE, { id: customer });
    expect(body.errors).toBeUndefined();
    const c = body.data!.goldenRecord.record;
    expect(c.parent.id).toBe(ids.customer.get('erp|C-PARENT'));
    expect(c.parent.subsidiaries).toEqual([{ id: customer }]);
    expect(c.locations).toEqual([{ id: ids.location.get('erp|L-1'), customer: { id: customer }, installedAssets: expect.any(Array) }]);
    expect(c.locations[0].installedAssets).toHaveLength(ASSETS);
    expect(c.contracts).toHaveLength(ASSETS);
    const edges = c.installedAssets.edges;
    expect(edges).toHaveLength(ASSETS);
    expect(c.installedAssets.pageInfo.hasNextPage).toBe(false);
    for (let i = 0; i < ASSETS; i++) {
      const key = String(i).padStart(3, '0');
      const asset = edges.find((e: any) => e.node.id === ids.asset.get(`erp|A-${key}`))?.node;
      expect(asset, key).toBeDefined();
      expect(asset.owner.id).toBe(customer);
      expect(asset.product.id).toBe(ids.product.get('erp|MAT-700'));
      expect(asset.location.id).toBe(ids.location.get('erp|L-1'));
      expect(asset.serialUnit).toEqual({ id: ids.serial.get(`erp|S-${key}`), product: { id: ids.product.get('erp|MAT-700') } });
      expect(asset.contracts.map((k: any) => k.id)).toEqual([ids.contract.get(`erp|K-${key}`)]);
      expect(asset.contracts[0].customer.id).toBe(customer);
      expect(asset.contracts[0].coveredAssets).toEqual([{ id: asset.id }]);
    }
  });

  it('does not do N+1: the 50-asset tree takes about as few SQL statements as a 2-asset page', async () => {
    const customer = ids.customer.get('erp|C-1')!;
    const count = async (query: string) => {
      const counter = new QueryCounter();
      const counted = createApp({ database: { ...database, db: database.db.withPlugin(counter) } });
      const { body } = await graphql(counted, reader, query, { id: customer });
      expect(body.errors).toBeUndefined();
      return counter.count;
    };
    const full = await count(CUSTOMER_TREE);
    const small = await count(CUSTOMER_TREE.replace(`first: ${ASSETS}`, 'first: 2'));
    // Dataloaders batch per tick; on a server, branches of one level may land in two ticks.
    expect(Math.abs(full - small)).toBeLessThanOrEqual(2);
    expect(full).toBeLessThanOrEqual(20);
  });

  it('pages installed assets with cursors and refuses pages over the limit', async () => {
    const customer = ids.customer.get('erp|C-1')!;
    const page = `query($id: ID!, $after: String) { goldenRecord(id: $id) { record { ... on Customer { installedAssets(first: 20, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } } } } }`;
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { body }: any = await graphql(app, reader, page, { id: customer, after });
      const conn = body.data.goldenRecord.record.installedAssets;
      seen.push(...conn.edges.map((e: any) => e.node.id));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(ASSETS);
    expect(new Set(seen).size).toBe(ASSETS);
    expect([...seen].sort()).toEqual(seen);
    const { body } = await graphql(app, reader, `query($id: ID!) { goldenRecord(id: $id) { record { ... on Customer { installedAssets(first: 101) { edges { cursor } } } } } }`, { id: customer });
    expect(body.errors![0].extensions!.code).toBe('LIMIT_EXCEEDED');
  });

  it('answers the reverse directions: product -> serial units and assets, serial unit -> assets, contract -> customer', async () => {
    const { body } = await graphql(app, reader, `query($p: ID!, $s: ID!, $k: ID!) {
      p: goldenRecord(id: $p) { record { ... on Product { serialUnits { id } installedAssets(first: 100) { edges { node { id } } } } } }
      s: goldenRecord(id: $s) { record { ... on SerialUnit { product { id } installedAssets { id } } } }
      k: goldenRecord(id: $k) { record { ... on Contract { customer { id } coveredAssets { id } } } }
    }`, { p: ids.product.get('erp|MAT-700'), s: ids.serial.get('erp|S-007'), k: ids.contract.get('erp|K-007') });
    expect(body.errors).toBeUndefined();
    expect(body.data!.p.record.serialUnits).toHaveLength(ASSETS);
    expect(body.data!.p.record.installedAssets.edges).toHaveLength(ASSETS);
    expect(body.data!.s.record).toEqual({ product: { id: ids.product.get('erp|MAT-700') }, installedAssets: [{ id: ids.asset.get('erp|A-007') }] });
    expect(body.data!.k.record).toEqual({ customer: { id: ids.customer.get('erp|C-1') }, coveredAssets: [{ id: ids.asset.get('erp|A-007') }] });
  });
});

describe('entitlement', () => {
  const QUERY = `query($serial: String!, $date: String) { entitlement(serialNumber: $serial, date: $date) {
    serialNumber date entitled assets { id } serialUnits { id }
    activeCoverages { contract { id } }
    coverages { active reason startDate endDate serviceLevel contract { id } asset { id } customer { id } } } }`;

  it('finds the contract in force for a serial number written differently, with its customer', async () => {
    const { body } = await graphql(app, reader, QUERY, { serial: 's/n hx7 OO7 5568', date: '2026-06-01' });
    expect(body.errors).toBeUndefined();
    const e = body.data!.entitlement;
    expect(e.entitled).toBe(true);
    expect(e.assets).toEqual([{ id: ids.asset.get('erp|A-007') }]);
    expect(e.serialUnits).toEqual([{ id: ids.serial.get('erp|S-007') }]);
    expect(e.coverages).toEqual([
      expect.objectContaining({ active: true, contract: { id: ids.contract.get('erp|K-007') }, asset: { id: ids.asset.get('erp|A-007') }, customer: { id: ids.customer.get('erp|C-1') }, serviceLevel: 'silver' }),
    ]);
  });

  it('says why an expired contract does not entitle, and answers false for an unknown serial', async () => {
    const { body } = await graphql(app, reader, QUERY, { serial: 'HX7-000-0', date: '2026-06-01' });
    expect(body.data!.entitlement).toMatchObject({ entitled: false, activeCoverages: [], coverages: [{ active: false, reason: 'ended on 2023-12-31', endDate: '2023-12-31' }] });
    const covered = await graphql(app, reader, QUERY, { serial: 'HX7-000-0', date: '2022-06-01' });
    expect(covered.body.data!.entitlement.entitled).toBe(true);
    const unknown = await graphql(app, reader, QUERY, { serial: 'NOPE-1', date: '2026-06-01' });
    expect(unknown.body.data!.entitlement).toMatchObject({ entitled: false, assets: [], coverages: [] });
    const bad = await graphql(app, reader, QUERY, { serial: 'HX7-000-0', date: '01.06.2026' });
    expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'date' });
  });
});
