import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { graphql, keyFor, seedCanonicalWorld } from './helpers';

let database: TestDatabase;
let app: Hono;
const keys: Record<string, string | null> = { none: null };
const ROLES = ['none', 'reader', 'steward', 'admin', 'ingest:erp'] as const;
type Role = (typeof ROLES)[number];

beforeAll(async () => {
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  app = createApp({ database });
  for (const role of ROLES) if (role !== 'none') keys[role] = await keyFor(database, role);
});
afterAll(async () => {
  await database?.close();
});

const NO_ID = 'G-0000000000000';
const QUERIES: Record<string, { query: string; allowed: Role[] }> = {
  goldenRecord: { query: `{ goldenRecord(id: "${NO_ID}") { requestedId } }`, allowed: ['reader', 'steward', 'admin'] },
  goldenRecordAsOf: { query: `{ goldenRecord(id: "${NO_ID}", asOf: "2026-01-01T00:00:00Z") { requestedId } }`, allowed: ['reader', 'steward', 'admin'] },
  goldenRecords: { query: `{ goldenRecords(ids: ["${NO_ID}"]) { requestedId } }`, allowed: ['reader', 'steward', 'admin'] },
  goldenRecordByXref: { query: '{ goldenRecordByXref(entity: CUSTOMER, source: "erp", sourceId: "1000045") { id history { version } sourceRecordMoves { reason } ... on Customer { installedAssets { edges { cursor } } contracts { id } } } }', allowed: ['reader', 'steward', 'admin'] },
  goldenRecordsConnection: { query: '{ goldenRecordsConnection(entity: ASSET, first: 1) { edges { node { id ... on InstalledAsset { owner { id } serialUnit { id } contracts { id } } } } } }', allowed: ['reader', 'steward', 'admin'] },
  translateId: { query: '{ translateId(entity: CUSTOMER, source: "erp", sourceId: "1000045") { goldenId } }', allowed: ['reader', 'steward', 'admin'] },
  matchCandidates: { query: '{ matchCandidates(entity: CUSTOMER, attributes: {name: "Krüger Maschinenbau GmbH", postalCode: "70565"}) { candidates { goldenId } } }', allowed: ['reader', 'steward', 'admin'] },
  entitlement: { query: '{ entitlement(serialNumber: "SN-00A7-4411", date: "2026-01-01") { entitled } }', allowed: ['reader', 'steward', 'admin'] },
  matchQueue: { query: '{ matchQueue(first: 1) { edges { node { id } } } }', allowed: ['steward', 'admin'] },
  mergePreview: { query: `{ mergePreview(goldenIds: ["${NO_ID}", "G-0000000000001"]) { __typename } }`, allowed: ['reader', 'steward', 'admin'] },
  mergePreviewForPair: { query: '{ mergePreviewForPair(pairId: "999999") { __typename } }', allowed: ['steward', 'admin'] },
  subscribers: { query: '{ subscribers { id name delivery { pending deadLetters } } }', allowed: ['admin'] },
  deadLetters: { query: '{ deadLetters(subscriber: "nobody", first: 1) { edges { node { eventId } } } }', allowed: ['admin'] },
};

const STEWARD: Role[] = ['steward', 'admin'];
const ADMIN: Role[] = ['admin'];
// Arguments that change nothing when carried out (unknown ids, an invalid URL): the answer is a
// failure member other than Forbidden for the allowed roles.
const MUTATIONS: Record<string, { selection: string; allowed: Role[] }> = {
  merge: { selection: `merge(goldenIds: ["${NO_ID}", "G-0000000000001"]) { __typename }`, allowed: STEWARD },
  notAMatch: { selection: `notAMatch(goldenIds: ["${NO_ID}", "G-0000000000001"]) { __typename }`, allowed: STEWARD },
  split: { selection: `split(goldenId: "${NO_ID}", recordIds: ["1"]) { __typename }`, allowed: STEWARD },
  moveRecord: { selection: `moveRecord(recordId: "999999", toGoldenId: "${NO_ID}") { __typename }`, allowed: STEWARD },
  pinAttribute: { selection: `pinAttribute(goldenId: "${NO_ID}", attribute: "name", value: "x") { __typename }`, allowed: STEWARD },
  lock: { selection: `lock(goldenId: "${NO_ID}", locked: true) { __typename }`, allowed: STEWARD },
  deferPair: { selection: 'deferPair(pairId: "999999") { __typename }', allowed: STEWARD },
  decidePair: { selection: 'decidePair(pairId: "999999", decision: MERGE) { __typename }', allowed: STEWARD },
  addSubscriber: { selection: 'addSubscriber(input: {url: "ftp://files.example.com/in", secret: "0123456789abcdef"}) { __typename }', allowed: ADMIN },
  updateSubscriber: { selection: 'updateSubscriber(subscriber: "nobody", input: {active: false}) { __typename }', allowed: ADMIN },
  removeSubscriber: { selection: 'removeSubscriber(subscriber: "nobody") { __typename }', allowed: ADMIN },
  replayDeadLetters: { selection: 'replayDeadLetters(subscriber: "nobody") { __typename }', allowed: ADMIN },
};

describe('role matrix', () => {
  for (const [name, { query, allowed }] of Object.entries(QUERIES)) {
    it(`query ${name}: ${allowed.join(', ')} only`, async () => {
      for (const role of ROLES) {
        const { status, body } = await graphql(app, keys[role], query);
        if (role === 'none') {
          expect(status, role).toBe(401);
          expect(body.error!.code, role).toBe('UNAUTHENTICATED');
        } else if (allowed.includes(role)) {
          expect(body.errors, `${name} as ${role}`).toBeUndefined();
          expect(body.data, role).toBeTruthy();
        } else {
          expect(body.errors!.map((e) => e.extensions!.code), `${name} as ${role}`).toEqual(expect.arrayContaining(['FORBIDDEN']));
          for (const e of body.errors!) expect(e.extensions!.code, role).toBe('FORBIDDEN');
        }
      }
    });
  }

  for (const [name, { selection, allowed }] of Object.entries(MUTATIONS)) {
    it(`mutation ${name}: carried out for ${allowed.join(', ')}, Forbidden as a union member for the other keys`, async () => {
      for (const role of ROLES) {
        const { status, body } = await graphql(app, keys[role], `mutation { ${selection} }`);
        if (role === 'none') {
          expect(status, role).toBe(401);
          continue;
        }
        expect(body.errors, `${name} as ${role}`).toBeUndefined();
        const typename = body.data![name].__typename;
        if (allowed.includes(role)) expect(typename, `${name} as ${role}`).not.toBe('Forbidden');
        else expect(typename, `${name} as ${role}`).toBe('Forbidden');
      }
    });
  }
});
