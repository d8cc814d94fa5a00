import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app';
import { resolve } from '../../src/golden-record/resolve.service';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { goldenIds, graphql, ingestRecords, keyFor, seedCanonicalWorld } from './helpers';

let database: TestDatabase;
let app: Hono;
let steward: string;
let reader: string;

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

const PREVIEW = `query($ids: [ID!]!) { mergePreview(goldenIds: $ids) {
  __typename ... on NotFound { message } ... on Invalid { message }
  ... on MergePreview { entity goldenIds survivorId redirectedIds attributes attributeLineage redactedAttributes blockedBy notes
    attributeChanges { attribute value changed wonBy { value recordId source sourceId strategy reason } current { goldenId value changed } }
    records { id version } sourceRecords { recordId source sourceId goldenId } } } }`;

const RECORD = `query($id: ID!) { goldenRecord(id: $id) { record { id version attributes attributeLineage crossReferences { source sourceId } } } }`;

async function schmidt() {
  const customers = await goldenIds(database, 'customer');
  return { erp: customers.get('erp|E-SCHMIDT')!, crm: customers.get('crm|C-SCHMIDT')! };
}

async function createdAt(id: string): Promise<number> {
  return (await database.db.selectFrom('golden_record').select('created_at').where('id', '=', id).executeTakeFirstOrThrow()).created_at.getTime();
}

/** Lineage without the trust-decay wording, which names the time it was computed at. */
function stable(lineage: Record<string, any>): Record<string, any> {
  return JSON.parse(JSON.stringify(lineage, (k, v) => (k === 'reason' && typeof v === 'string' ? v.replace(/\d+(\.\d+)?/g, '#') : v)));
}

describe('mergePreview', () => {
  it('answers NotFound and Invalid as union members, for what the merge would refuse too', async () => {
    const { erp } = await schmidt();
    const product = (await goldenIds(database, 'product')).get('erp|MAT-200')!;
    const cases: Array<[string[], string, RegExp]> = [
      [[erp], 'Invalid', /at least two different golden records/],
      [[erp, erp], 'Invalid', /at least two different golden records/],
      [[erp, 'G-0000000000000'], 'NotFound', /G-0000000000000 does not exist/],
      [[erp, product], 'Invalid', /different entity types/],
    ];
    for (const [ids, typename, message] of cases) {
      const { body } = await graphql(app, steward, PREVIEW, { ids });
      expect(body.errors, ids.join()).toBeUndefined();
      expect(body.data!.mergePreview.__typename, ids.join()).toBe(typename);
      expect(body.data!.mergePreview.message).toMatch(message);
    }
  });

  it('hides personal attributes from a reader in every part of the preview', async () => {
    const customers = await goldenIds(database, 'customer');
    const ids = [customers.get('crm|P-ANNA')!, customers.get('erp|E-SCHMIDT')!];
    const asReader = await graphql(app, reader, PREVIEW, { ids });
    expect(asReader.body.errors).toBeUndefined();
    const p = asReader.body.data!.mergePreview;
    expect(p.__typename).toBe('MergePreview');
    expect(p.redactedAttributes).toEqual(expect.arrayContaining(['dateOfBirth', 'email', 'familyName', 'givenName', 'name', 'nationalId', 'phone']));
    const text = JSON.stringify({ ...p, sourceRecords: undefined });
    for (const secret of ['anna.berg@example.org', 'T22000129', '1985-04-12', 'Anna Berg', '+49 170 1234567']) expect(text).not.toContain(secret);
    expect(p.attributeChanges.map((a: any) => a.attribute)).not.toContain('email');
    expect(p.attributes.city).toBeDefined();

    const asSteward = await graphql(app, steward, PREVIEW, { ids });
    const s = asSteward.body.data!.mergePreview;
    expect(s.redactedAttributes).toEqual([]);
    expect(s.attributes.email).toBe('anna.berg@example.org');
    // Nothing was written.
    const merged = await database.db.selectFrom('golden_record').select('status').where('id', 'in', ids).execute();
    expect(merged.map((r) => r.status)).toEqual(['active', 'active']);
  });

  it('shows the golden record the merge then produces: survivor, attributes with lineage, changes per record', async () => {
    const { erp, crm } = await schmidt();
    const oldest = (await createdAt(erp)) <= (await createdAt(crm)) ? erp : crm;
    const other = oldest === erp ? crm : erp;
    // A pin on the record that will redirect does not carry over; an override on the survivor applies.
    const pin = async (id: string, attribute: string, value: string) => {
      const r = await graphql(app, steward, `mutation($id: ID!, $a: String!, $v: JSON) { pinAttribute(goldenId: $id, attribute: $a, value: $v) { __typename } }`, { id, a: attribute, v: value });
      expect(r.body.data!.pinAttribute.__typename).toBe('PinAttributeSuccess');
    };
    await pin(other, 'street', 'Nebenweg');
    await pin(oldest, 'city', 'Hamburg-Altona');

    const { body } = await graphql(app, steward, PREVIEW, { ids: [crm, erp] });
    expect(body.errors).toBeUndefined();
    const p = body.data!.mergePreview;
    expect(p).toMatchObject({ __typename: 'MergePreview', entity: 'CUSTOMER', goldenIds: [crm, erp], survivorId: oldest, redirectedIds: [other], blockedBy: null });
    expect(p.notes).toEqual([expect.stringMatching(new RegExp(`override of street on ${other} .*does not carry over`))]);
    expect(p.attributes.city).toBe('Hamburg-Altona');
    expect(p.sourceRecords.map((r: any) => `${r.source}|${r.sourceId}`).sort()).toEqual(['crm|C-SCHMIDT', 'erp|E-SCHMIDT']);
    expect(p.records.map((r: any) => r.id)).toEqual([crm, erp]);
    const city = p.attributeChanges.find((a: any) => a.attribute === 'city');
    expect(city).toMatchObject({ value: 'Hamburg-Altona', changed: true, wonBy: [{ strategy: 'override', source: 'steward' }] });
    expect(city.current.find((c: any) => c.goldenId === oldest)).toEqual({ goldenId: oldest, value: 'Hamburg-Altona', changed: false });
    expect(city.current.find((c: any) => c.goldenId === other)).toMatchObject({ changed: true });
    const postal = p.attributeChanges.find((a: any) => a.attribute === 'postalCode');
    expect(postal.wonBy).toHaveLength(1);
    expect(['crm', 'erp']).toContain(postal.wonBy[0].source);
    expect(postal.current.filter((c: any) => c.changed)).toHaveLength(1); // 20457 vs 80331: one of them changes
    for (const a of p.attributeChanges) expect(a.changed).toBe(a.current.some((c: any) => c.changed));

    const merged = await graphql(app, steward, `mutation($ids: [ID!]!) { merge(goldenIds: $ids) { __typename ... on MergeSuccess { goldenId } } }`, { ids: [crm, erp] });
    expect(merged.body.data!.merge).toEqual({ __typename: 'MergeSuccess', goldenId: p.survivorId });
    const after = (await graphql(app, steward, RECORD, { id: p.survivorId })).body.data!.goldenRecord.record;
    expect(after.attributes).toEqual(p.attributes);
    expect(stable(after.attributeLineage)).toEqual(stable(p.attributeLineage));
    expect(after.crossReferences.map((x: any) => `${x.source}|${x.sourceId}`).sort()).toEqual(['crm|C-SCHMIDT', 'erp|E-SCHMIDT']);

    // The merged-away id cannot be previewed any more: the preview names where it went.
    const again = await graphql(app, steward, PREVIEW, { ids: [other, oldest] });
    expect(again.body.data!.mergePreview).toMatchObject({ __typename: 'Invalid', message: expect.stringContaining(`is merged into ${oldest}`) });
  });

  it('previews a locked record but says the merge is refused', async () => {
    const customers = await goldenIds(database, 'customer');
    const ids = [customers.get('erp|1000045')!, customers.get('crm|P-ANNA')!];
    const locked = await graphql(app, steward, `mutation($id: ID!) { lock(goldenId: $id, locked: true) { __typename } }`, { id: ids[1] });
    expect(locked.body.data!.lock.__typename).toBe('LockSuccess');
    const { body } = await graphql(app, steward, PREVIEW, { ids });
    expect(body.data!.mergePreview).toMatchObject({ __typename: 'MergePreview', blockedBy: `golden record ${ids[1]} is locked; unlock it first` });
    const unlocked = await graphql(app, steward, `mutation($id: ID!) { lock(goldenId: $id, locked: false) { __typename } }`, { id: ids[1] });
    expect(unlocked.body.data!.lock.__typename).toBe('LockSuccess');
  });
});

describe('mergePreviewForPair', () => {
  const PAIR_PREVIEW = `query($id: ID!) { mergePreviewForPair(pairId: $id) { __typename ... on NotFound { message } ... on Invalid { message }
    ... on MergePreview { goldenIds survivorId attributes } } }`;

  it('previews what decidePair MERGE produces, and refuses unknown and already merged pairs', async () => {
    const record = (sourceId: string, source: string, extra: Record<string, unknown>) => ({
      entity: 'customer', source, sourceId, kind: 'organization', name: 'Wagner Hydraulik GmbH', country: 'DE', ...extra,
    });
    // Same name, different sites (like the two Schmidt records): resolution keeps them apart.
    await ingestRecords(database, [
      record('E-WAG', 'erp', { street: 'Mühlweg', houseNumber: '5', postalCode: '90402', city: 'Nürnberg', phone: '+49 911 4711' }),
      record('C-WAG', 'crm', { street: 'Bahnhofstraße', houseNumber: '80', postalCode: '04103', city: 'Leipzig', phone: '+49 341 9000' }),
    ]);
    await resolve(database);
    const customers = await goldenIds(database, 'customer');
    const [left, right] = [customers.get('erp|E-WAG')!, customers.get('crm|C-WAG')!];
    expect(left).not.toBe(right);
    const rows = await database.db.selectFrom('source_record').select(['id']).where('source_id', 'in', ['E-WAG', 'C-WAG']).orderBy('id').execute();
    const pair = await database.db
      .insertInto('match_pair')
      .values({ entity: 'customer', left_record_id: rows[0].id, right_record_id: rows[1].id, weight: 1, probability: 0.6, blocking_rule: null, reason: 'between-thresholds', explanation: '[]' as never, priority: 0.9 })
      .returning('id')
      .executeTakeFirstOrThrow();

    const { body } = await graphql(app, steward, PAIR_PREVIEW, { id: pair.id });
    expect(body.errors).toBeUndefined();
    const p = body.data!.mergePreviewForPair;
    expect(p.__typename).toBe('MergePreview');
    expect(new Set(p.goldenIds)).toEqual(new Set([left, right]));

    const decided = await graphql(app, steward, `mutation($id: ID!) { decidePair(pairId: $id, decision: MERGE) { __typename ... on DecidePairSuccess { goldenIds } } }`, { id: pair.id });
    expect(decided.body.data!.decidePair).toEqual({ __typename: 'DecidePairSuccess', goldenIds: [p.survivorId] });
    const after = (await graphql(app, steward, RECORD, { id: p.survivorId })).body.data!.goldenRecord.record;
    expect(after.attributes).toEqual(p.attributes);

    const same = await graphql(app, steward, PAIR_PREVIEW, { id: pair.id });
    expect(same.body.data!.mergePreviewForPair).toMatchObject({ __typename: 'Invalid', message: expect.stringContaining('already in golden record') });
    for (const id of ['999999', 'not-a-pair']) {
      const missing = await graphql(app, steward, PAIR_PREVIEW, { id });
      expect(missing.body.data!.mergePreviewForPair).toEqual({ __typename: 'NotFound', message: `match pair ${id} does not exist` });
    }
    const asReader = await graphql(app, reader, PAIR_PREVIEW, { id: pair.id });
    expect(asReader.body.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
