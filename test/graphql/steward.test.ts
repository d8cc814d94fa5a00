import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { resolve } from '../../src/golden-record/resolve.service';
import { modelsFor } from '../../src/matching/models';
import { NO_REFERENCES, prepareRecord } from '../../src/matching/prepare';
import { compileModel, scorePair } from '../../src/matching/scoring';
import { goldenIds, graphql, ingestRecords, keyFor, seedCanonicalWorld } from './helpers';

let database: TestDatabase;
let app: Hono;
let steward: string;
let reader: string;

/** Queues a pair of two Hofmann records (as resolution would, between the thresholds), with real explanation rows. */
async function queueHofmannPair(): Promise<void> {
  const hofmann = (sourceId: string, name: string, street: string, postalCode: string, city: string) => ({
    entity: 'customer', source: sourceId.startsWith('E') ? 'erp' : 'crm', sourceId, kind: 'organization', name, street, houseNumber: '1', postalCode, city, country: 'DE',
  });
  const right = hofmann('C-HOF', 'Hoffmann Armaturen AG', 'Gartenstraße', '86150', 'Augsburg');
  const left = hofmann('E-HOF', 'Hofmann Pumpen GmbH', 'Lindenallee', '81369', 'München');
  await ingestRecords(database, [left, right]);
  await resolve(database);
  const goldens = await goldenIds(database, 'customer');
  expect(goldens.get('erp|E-HOF')).not.toBe(goldens.get('crm|C-HOF'));
  const rows = await database.db.selectFrom('source_record').select(['id', 'source_id']).where('source_id', 'in', ['E-HOF', 'C-HOF']).orderBy('id').execute();
  const [model] = modelsFor('customer');
  const prepare = (r: Record<string, unknown>, id: number) => prepareRecord('customer', { id, source: String(r.source), sourceId: String(r.sourceId), attributes: r }, NO_REFERENCES);
  const scored = scorePair(compileModel(model.model), prepare(left, 0), prepare(right, 1), 'namePhonetic+postalArea');
  await database.db
    .insertInto('match_pair')
    .values({
      entity: 'customer', left_record_id: rows[0].id, right_record_id: rows[1].id, weight: scored.weight, probability: scored.probability,
      blocking_rule: scored.rule, reason: 'between-thresholds', explanation: JSON.stringify(scored.explanation) as never, priority: 0.9,
    })
    .execute();
}

beforeAll(async () => {
  database = await openTestDatabase();
  await seedCanonicalWorld(database);
  app = createApp({ database });
  steward = await keyFor(database, 'steward');
  reader = await keyFor(database, 'reader');
});
afterAll(async () => {
  await database?.close();
});

const QUEUE = `query($entity: EntityType, $status: MatchPairStatus, $first: Int, $after: String, $source: String, $min: Float, $max: Float) {
  matchQueue(entity: $entity, status: $status, first: $first, after: $after, source: $source, minScore: $min, maxScore: $max) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id entity status probability weight priority reason blockingRule
      left { recordId source sourceId attributes goldenId goldenRecord { id version } }
      right { recordId source sourceId attributes goldenId }
      explanation { kind comparison level label leftValue rightValue m u bayesFactor weight valuesRedacted } } } } }`;

async function schmidt() {
  const customers = await goldenIds(database, 'customer');
  return { erp: customers.get('erp|E-SCHMIDT')!, crm: customers.get('crm|C-SCHMIDT')! };
}

describe('history and as-of reads', () => {
  it('lists versions with their attribute changes and answers a past state with its cross-references', async () => {
    const customers = await goldenIds(database, 'customer');
    const id = customers.get('erp|1000045')!;
    const before = new Date();
    const pinned = await graphql(app, steward, `mutation($id: ID!) { pinAttribute(goldenId: $id, attribute: "city", value: "Stuttgart-Vaihingen", reason: "site renamed") {
      __typename ... on PinAttributeSuccess { goldenId record { version attributes } } } }`, { id });
    expect(pinned.body.errors).toBeUndefined();
    expect(pinned.body.data!.pinAttribute.__typename).toBe('PinAttributeSuccess');
    expect(pinned.body.data!.pinAttribute.record.attributes.city).toBe('Stuttgart-Vaihingen');

    const { body } = await graphql(app, reader, `query($id: ID!, $at: DateTime!) {
      now: goldenRecord(id: $id) { record { version asOf history { version change validFrom validTo changes { attribute before after } } sourceRecordMoves { source sourceId reason toGoldenId } } }
      then: goldenRecord(id: $id, asOf: $at) { requestedId record { version asOf attributes crossReferences { source sourceId } } }
      byXref: goldenRecordByXref(entity: CUSTOMER, source: "crm", sourceId: "0015g00000Abc12AAA", asOf: $at) { id version attributes }
      never: goldenRecord(id: $id, asOf: "2000-01-01T00:00:00Z") { requestedId }
    }`, { id, at: before.toISOString() });
    expect(body.errors).toBeUndefined();
    const now = body.data!.now.record;
    expect(now.asOf).toBeNull();
    expect(now.history[0]).toMatchObject({ version: now.version, validTo: null });
    expect(now.history.at(-1)).toMatchObject({ version: 1, change: 'created' });
    const cityChange = now.history.flatMap((v: any) => v.changes).find((c: any) => c.attribute === 'city' && c.after === 'Stuttgart-Vaihingen');
    expect(cityChange).toEqual({ attribute: 'city', before: 'Stuttgart', after: 'Stuttgart-Vaihingen' });
    for (const v of now.history) for (const c of v.changes) expect(c.attribute).not.toBe('phone'); // personal: hidden from a reader
    expect(now.sourceRecordMoves.map((m: any) => `${m.source}|${m.sourceId}|${m.reason}`).sort()).toEqual(['crm|0015g00000Abc12AAA|new', 'erp|1000045|new']);
    const then = body.data!.then.record;
    expect(then.asOf).toBe(before.toISOString());
    expect(then.version).toBeLessThan(now.version);
    expect(then.attributes.city).toBe('Stuttgart');
    expect(then.crossReferences).toEqual([{ source: 'crm', sourceId: '0015g00000Abc12AAA' }, { source: 'erp', sourceId: '1000045' }]);
    expect(body.data!.byXref).toMatchObject({ id, version: then.version, attributes: { city: 'Stuttgart' } });
    expect(body.data!.never).toBeNull();
  });
});

describe('matchCandidates', () => {
  const PROBE = `query($e: EntityType!, $a: JSON!, $min: Float) { matchCandidates(entity: $e, attributes: $a, minProbability: $min) {
    model scoredRecords candidates { goldenId probability weight verdict blockingRule matchedOn source sourceId record { id }
      explanation { kind comparison leftValue rightValue weight valuesRedacted } } } }`;

  it('finds the golden record of a differently written organization and explains the score, storing nothing', async () => {
    const pairsBefore = await database.db.selectFrom('match_pair').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const { body } = await graphql(app, reader, PROBE, { e: 'CUSTOMER', a: { name: 'Krueger Maschinenbau GmbH', taxId: 'DE 811 234 567', postalCode: '70565', city: 'Stuttgart' } });
    expect(body.errors).toBeUndefined();
    const result = body.data!.matchCandidates;
    expect(result.model).toBe('customer-organization');
    const id = (await goldenIds(database, 'customer')).get('erp|1000045');
    expect(result.candidates[0]).toMatchObject({ goldenId: id, verdict: 'MATCH', record: { id } });
    expect(result.candidates[0].matchedOn).toContain('taxId');
    expect(result.candidates[0].probability).toBeGreaterThan(0.99);
    const rows = result.candidates[0].explanation;
    expect(rows[0]).toMatchObject({ kind: 'PRIOR', comparison: 'prior' });
    expect(rows.find((r: any) => r.comparison === 'taxId')).toMatchObject({ kind: 'COMPARISON', leftValue: 'DE811234567', rightValue: 'DE811234567' });
    expect(rows.reduce((s: number, r: any) => s + r.weight, 0)).toBeCloseTo(result.candidates[0].weight, 6);
    const pairsAfter = await database.db.selectFrom('match_pair').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(pairsAfter.n).toEqual(pairsBefore.n);
  });

  it('hides personal values from a reader but shows them to a steward', async () => {
    const probe = { e: 'CUSTOMER', a: { kind: 'person', givenName: 'Anna', familyName: 'Berg', email: 'ANNA.BERG@example.org ', postalCode: '89073' }, min: 0 };
    const asReader = await graphql(app, reader, PROBE, probe);
    expect(asReader.body.errors).toBeUndefined();
    const anna = (await goldenIds(database, 'customer')).get('crm|P-ANNA');
    const top = asReader.body.data!.matchCandidates.candidates[0];
    expect(top.goldenId).toBe(anna);
    expect(top.explanation.find((r: any) => r.comparison === 'email')).toMatchObject({ leftValue: null, rightValue: null, valuesRedacted: true });
    expect(JSON.stringify(asReader.body)).not.toMatch(/anna\.berg/);
    const asSteward = await graphql(app, steward, PROBE, probe);
    expect(asSteward.body.data!.matchCandidates.candidates[0].explanation.find((r: any) => r.comparison === 'email')).toMatchObject({ valuesRedacted: false, rightValue: 'anna.berg@example.org' });
  });

  it('finds assets by an OCR-confused serial number and refuses non-object attributes', async () => {
    const { body } = await graphql(app, reader, PROBE, { e: 'ASSET', a: { serialNumber: 'S/N 00A7-44I1', partNumber: 'PMP-200' }, min: 0 });
    expect(body.data!.matchCandidates.candidates[0].goldenId).toBe((await goldenIds(database, 'asset')).get('fsm|AST-1'));
    const bad = await graphql(app, reader, PROBE, { e: 'ASSET', a: ['x'] });
    expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'attributes' });
  });
});

describe('the steward queue and its mutations', () => {
  // After the tests above: their steward actions re-resolve customers, which closes unproposed pairs.
  beforeAll(queueHofmannPair);

  it('pages the queue with both records, their golden ids and typed explanation rows', async () => {
    const { body } = await graphql(app, steward, QUEUE, { entity: 'CUSTOMER', first: 1 });
    expect(body.errors).toBeUndefined();
    const edges = body.data!.matchQueue.edges;
    expect(edges.length).toBe(1);
    const pair = edges[0].node;
    expect(pair).toMatchObject({ entity: 'CUSTOMER', status: 'PENDING' });
    expect(pair.left.goldenId).toBe(pair.left.goldenRecord.id);
    expect(pair.left.attributes).toHaveProperty('name');
    expect(pair.explanation[0]).toMatchObject({ kind: 'PRIOR' });
    expect(pair.explanation.some((r: any) => r.kind === 'COMPARISON' && typeof r.m === 'number')).toBe(true);
    const filtered = await graphql(app, steward, QUEUE, { entity: 'CUSTOMER', min: 0.999999, max: 1 });
    expect(filtered.body.data!.matchQueue.edges.every((e: any) => e.node.probability >= 0.999999)).toBe(true);
    const bySource = await graphql(app, steward, QUEUE, { source: 'no-such-source' });
    expect(bySource.body.data!.matchQueue.edges).toEqual([]);
  });

  it('defers a pair, then decides it as not a match; reading the queue needs the steward scope', async () => {
    const { body } = await graphql(app, steward, QUEUE, { entity: 'CUSTOMER', first: 1 });
    const pair = body.data!.matchQueue.edges[0].node;
    const deferred = await graphql(app, steward, `mutation($id: ID!) { deferPair(pairId: $id) { __typename ... on DeferPairSuccess { pair { id status } } } }`, { id: pair.id });
    expect(deferred.body.data!.deferPair).toEqual({ __typename: 'DeferPairSuccess', pair: { id: pair.id, status: 'DEFERRED' } });
    const queued = await graphql(app, steward, QUEUE, { status: 'DEFERRED' });
    expect(queued.body.data!.matchQueue.edges.map((e: any) => e.node.id)).toContain(pair.id);

    const decided = await graphql(app, steward, `mutation($id: ID!) { decidePair(pairId: $id, decision: NOT_A_MATCH, reason: "different companies") {
      __typename ... on DecidePairSuccess { pair { status } goldenIds } } }`, { id: pair.id });
    expect(decided.body.errors).toBeUndefined();
    expect(decided.body.data!.decidePair).toMatchObject({ __typename: 'DecidePairSuccess', pair: { status: 'REJECTED' } });
    const audit = await database.db.selectFrom('steward_audit').select(['action', 'actor', 'reason']).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['defer', 'not-a-match']));
    expect(audit.find((a) => a.action === 'not-a-match')).toMatchObject({ actor: expect.stringMatching(/^test steward \(api key \d+\)$/), reason: 'different companies' });
    const again = await graphql(app, steward, `mutation($id: ID!) { decidePair(pairId: $id, decision: MERGE) { __typename ... on Invalid { message } } }`, { id: pair.id });
    expect(again.body.data!.decidePair.__typename).toBe('Invalid');

    const asReader = await graphql(app, reader, QUEUE, {});
    expect(asReader.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  });

  it('merges with expected versions (Conflict when stale), splits, moves, locks, and answers NotFound / Invalid / Forbidden as union members', async () => {
    const { erp, crm } = await schmidt();
    expect(erp).not.toBe(crm);
    const versions = await graphql(app, steward, `query($ids: [ID!]!) { goldenRecords(ids: $ids) { record { id version crossReferences { sourceId } } } }`, { ids: [erp, crm] });
    const [ve, vc] = versions.body.data!.goldenRecords.map((l: any) => l.record.version);

    const MERGE = `mutation($ids: [ID!]!, $v: [Int!]) { merge(goldenIds: $ids, expectedVersions: $v, reason: "same company") {
      __typename ... on MergeSuccess { goldenId record { id crossReferences { source sourceId } } }
      ... on Conflict { message goldenId expectedVersion currentVersion } ... on Forbidden { message } ... on Invalid { message } } }`;
    const stale = await graphql(app, steward, MERGE, { ids: [erp, crm], v: [ve + 7, vc] });
    expect(stale.body.data!.merge).toMatchObject({ __typename: 'Conflict', goldenId: erp, expectedVersion: ve + 7, currentVersion: ve });
    const forbidden = await graphql(app, reader, MERGE, { ids: [erp, crm] });
    expect(forbidden.status).toBe(200);
    expect(forbidden.body.errors).toBeUndefined();
    expect(forbidden.body.data!.merge).toMatchObject({ __typename: 'Forbidden', message: expect.stringMatching(/reader role/) });
    const mismatch = await graphql(app, steward, MERGE, { ids: [erp, crm], v: [ve] });
    expect(mismatch.body.data!.merge.__typename).toBe('Invalid');

    const merged = await graphql(app, steward, MERGE, { ids: [erp, crm], v: [ve, vc] });
    expect(merged.body.errors).toBeUndefined();
    expect(merged.body.data!.merge.__typename).toBe('MergeSuccess');
    const survivor = merged.body.data!.merge.goldenId;
    expect(merged.body.data!.merge.record.crossReferences.map((x: any) => x.sourceId).sort()).toEqual(['C-SCHMIDT', 'E-SCHMIDT']);

    const records = await database.db.selectFrom('xref').select(['record_id', 'source_id']).where('golden_id', '=', survivor).execute();
    const crmRecord = records.find((r) => r.source_id === 'C-SCHMIDT')!.record_id;
    const split = await graphql(app, steward, `mutation($id: ID!, $r: [ID!]!) { split(goldenId: $id, recordIds: $r, reason: "wrong merge") {
      __typename ... on SplitSuccess { goldenId newGoldenId newRecord { id splitFrom crossReferences { sourceId } } } } }`, { id: survivor, r: [crmRecord] });
    expect(split.body.errors).toBeUndefined();
    expect(split.body.data!.split).toMatchObject({ __typename: 'SplitSuccess', goldenId: survivor, newRecord: { crossReferences: [{ sourceId: 'C-SCHMIDT' }] } });
    const newId = split.body.data!.split.newGoldenId;

    const moved = await graphql(app, steward, `mutation($r: ID!, $to: ID!) { moveRecord(recordId: $r, toGoldenId: $to) { __typename ... on MoveRecordSuccess { goldenId } ... on Invalid { message } } }`, { r: crmRecord, to: survivor });
    expect(moved.body.data!.moveRecord).toEqual({ __typename: 'MoveRecordSuccess', goldenId: survivor });

    const locked = await graphql(app, steward, `mutation($id: ID!) { lock(goldenId: $id, locked: true) { __typename ... on LockSuccess { goldenId locked } } }`, { id: survivor });
    expect(locked.body.data!.lock).toEqual({ __typename: 'LockSuccess', goldenId: survivor, locked: true });

    const notFound = await graphql(app, steward, `mutation { lock(goldenId: "G-0000000000000", locked: true) { __typename ... on NotFound { message } } }`);
    expect(notFound.body.data!.lock.__typename).toBe('NotFound');
    const pinBoth = await graphql(app, steward, `mutation($id: ID!) { pinAttribute(goldenId: $id, attribute: "name") { __typename } }`, { id: survivor });
    expect(pinBoth.body.data!.pinAttribute.__typename).toBe('Invalid');
    const noPair = await graphql(app, steward, `mutation { deferPair(pairId: "999999") { __typename } }`);
    expect(noPair.body.data!.deferPair.__typename).toBe('NotFound');
    expect(newId).not.toBe(survivor);
  });
});
