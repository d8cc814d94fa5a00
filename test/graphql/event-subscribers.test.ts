import type { Hono } from 'hono';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dispatcher, startDispatcher } from '../../src/events/dispatcher';
import { createSecretBox } from '../../src/events/secret-box';
import { createApp } from '../../src/http/app';
import { createDeliveryMetrics } from '../../src/observability/delivery-metrics';
import { openTestDatabase, type TestDatabase } from '../helpers/database';
import { countRows, type Receiver, startReceiver, waitFor, writeEvents } from '../events/helpers';
import { graphql, keyFor } from './helpers';

const SECRET = 'given-secret-0123456789abcdef';

let database: TestDatabase;
let app: Hono;
let admin: string;
let steward: string;
let receiver: Receiver;
let dispatcher: Dispatcher | undefined;

beforeAll(async () => {
  database = await openTestDatabase();
  app = createApp({ database });
  admin = await keyFor(database, 'admin');
  steward = await keyFor(database, 'steward');
  receiver = await startReceiver(SECRET);
});
afterAll(async () => {
  await dispatcher?.stop();
  await receiver?.close();
  await database?.close();
});

const RESULT = '__typename ... on InvalidInput { field message } ... on NotFound { message } ... on Forbidden { message }';
const SUBSCRIBER = 'id name url entities eventTypes active createdAt delivery { unread pending retrying deadLetters oldestPendingSeconds }';
const ADD = `mutation($input: AddSubscriberInput!, $reason: String) { addSubscriber(input: $input, reason: $reason) { ${RESULT}
  ... on AddSubscriberSuccess { generatedSecret subscriber { ${SUBSCRIBER} } } } }`;
const UPDATE = `mutation($s: ID!, $input: UpdateSubscriberInput!) { updateSubscriber(subscriber: $s, input: $input, reason: "moved") { ${RESULT}
  ... on UpdateSubscriberSuccess { subscriber { ${SUBSCRIBER} } } } }`;
const LIST = `{ subscribers { ${SUBSCRIBER} } }`;
const DEAD = `query($s: ID!, $first: Int, $after: String) { deadLetters(subscriber: $s, first: $first, after: $after) {
  pageInfo { hasNextPage endCursor } edges { cursor node { eventId eventType goldenId goldenVersion attempts lastStatus lastError eventCreatedAt failedAt } } } }`;
const REPLAY = `mutation($s: ID!, $since: DateTime) { replayDeadLetters(subscriber: $s, since: $since) { ${RESULT}
  ... on ReplayDeadLettersSuccess { deadLetters redelivered subscriber { name delivery { deadLetters } } } } }`;
const REMOVE = `mutation($s: ID!) { removeSubscriber(subscriber: $s) { ${RESULT} ... on RemoveSubscriberSuccess { subscriber { id name delivery { pending } } } } }`;

async function audits() {
  return database.db.selectFrom('steward_audit').select(['action', 'entity', 'golden_ids', 'actor', 'reason', 'before', 'after']).where('entity', '=', 'subscriber').orderBy('id').execute();
}

describe('subscriber administration over GraphQL', () => {
  it('adds subscribers, never echoing a given secret; a generated one is answered once and works', async () => {
    const given = await graphql(app, admin, ADD, { input: { name: 'erp', url: receiver.url, entities: ['CUSTOMER'], eventTypes: ['created', 'golden.merged'], secret: SECRET }, reason: 'ERP go-live' });
    expect(given.body.errors).toBeUndefined();
    expect(JSON.stringify(given.body)).not.toContain(SECRET);
    const added = given.body.data!.addSubscriber;
    expect(added).toMatchObject({
      __typename: 'AddSubscriberSuccess', generatedSecret: null,
      subscriber: { name: 'erp', url: receiver.url, entities: ['CUSTOMER'], eventTypes: ['golden.created', 'golden.merged'], active: true, delivery: { pending: 0, deadLetters: 0 } },
    });

    const generated = await graphql(app, admin, ADD, { input: { url: 'https://crm.example.com/mdm-events' } });
    const g = generated.body.data!.addSubscriber;
    expect(g).toMatchObject({ __typename: 'AddSubscriberSuccess', subscriber: { name: 'crm.example.com/mdm-events', entities: null, eventTypes: null } });
    expect(g.generatedSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const stored = await database.db.withTables<{ subscriber: { id: string; secret: string } }>().selectFrom('subscriber').select('secret').where('id', '=', g.subscriber.id).executeTakeFirstOrThrow();
    expect(createSecretBox(process.env.MDM_SECRET_KEY).open(stored.secret)).toBe(g.generatedSecret);

    const log = await audits();
    expect(log.map((a) => a.action)).toEqual(['subscriber.add', 'subscriber.add']);
    expect(log[0]).toMatchObject({ golden_ids: [], actor: expect.stringMatching(/^test admin \(api key \d+\)$/), reason: 'ERP go-live', before: null, after: { name: 'erp', url: receiver.url, active: true } });
    expect(JSON.stringify(log)).not.toContain(SECRET);
    expect(JSON.stringify(log)).not.toContain(g.generatedSecret);
  });

  it('refuses bad input with the field and a message, and a key without the admin role with Forbidden', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ url: 'ftp://files.example.com/in' }, 'url', /must use http or https, not ftp:/],
      [{ url: 'javascript:alert(1)' }, 'url', /must use http or https/],
      [{ url: 'not a url' }, 'url', /is not a URL/],
      [{ url: 'https://user:pw@example.com/x' }, 'url', /must not carry credentials/],
      [{ url: 'https://example.com/a', eventTypes: ['created', 'no such type!'] }, 'eventTypes', /"no such type!" is not an event type/],
      [{ url: 'https://example.com/a', secret: 'short' }, 'secret', /at least 16 characters/],
      [{ url: 'https://example.com/a', name: 'erp' }, 'name', /named "erp" exists already/],
    ];
    for (const [input, field, message] of cases) {
      const { body } = await graphql(app, admin, ADD, { input });
      expect(body.errors, JSON.stringify(input)).toBeUndefined();
      expect(body.data!.addSubscriber, JSON.stringify(input)).toMatchObject({ __typename: 'InvalidInput', field, message: expect.stringMatching(message) });
    }
    const short = await graphql(app, admin, ADD, { input: { url: 'https://example.com/a', secret: 'short-secret' } });
    expect(JSON.stringify(short.body)).not.toContain('short-secret');

    const denied = await graphql(app, steward, ADD, { input: { url: 'ftp://nope', secret: SECRET } });
    expect(denied.body.data!.addSubscriber).toEqual({ __typename: 'Forbidden', message: 'managing event subscribers needs an API key with the admin role' });
    const list = await graphql(app, steward, LIST);
    expect(list.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect((await audits()).length).toBe(2); // refusals are not audited
  });

  it('lists subscribers with their backlog and no secret field, and updates URL, filters and state', async () => {
    const type = await graphql(app, admin, '{ __type(name: "EventSubscriber") { fields { name } } }');
    expect(type.body.data!.__type.fields.map((f: any) => f.name).filter((n: string) => /secret/i.test(n))).toEqual([]);
    const { body } = await graphql(app, admin, LIST);
    expect(body.data!.subscribers.map((s: any) => s.name)).toEqual(['erp', 'crm.example.com/mdm-events']);
    expect(JSON.stringify(body)).not.toContain(SECRET);

    const paused = await graphql(app, admin, UPDATE, { s: 'crm.example.com/mdm-events', input: { active: false, entities: ['PRODUCT', 'ASSET'], eventTypes: ['updated'], url: 'https://crm2.example.com/events' } });
    expect(paused.body.data!.updateSubscriber).toMatchObject({
      __typename: 'UpdateSubscriberSuccess',
      subscriber: { active: false, entities: ['PRODUCT', 'ASSET'], eventTypes: ['golden.updated'], url: 'https://crm2.example.com/events' },
    });
    const cleared = await graphql(app, admin, UPDATE, { s: 'crm.example.com/mdm-events', input: { entities: [], active: true } });
    expect(cleared.body.data!.updateSubscriber.subscriber).toMatchObject({ active: true, entities: null, eventTypes: ['golden.updated'] });
    const bad = await graphql(app, admin, UPDATE, { s: 'crm.example.com/mdm-events', input: { url: 'file:///etc/passwd' } });
    expect(bad.body.data!.updateSubscriber).toMatchObject({ __typename: 'InvalidInput', field: 'url' });
    const missing = await graphql(app, admin, UPDATE, { s: 'nobody', input: { active: false } });
    expect(missing.body.data!.updateSubscriber).toMatchObject({ __typename: 'NotFound', message: expect.stringContaining('no subscriber "nobody"') });

    const log = (await audits()).filter((a) => a.action === 'subscriber.update');
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({ reason: 'moved', before: { active: true, url: 'https://crm.example.com/mdm-events', entities: null }, after: { active: false, url: 'https://crm2.example.com/events', entities: ['product', 'asset'] } });
  });

  it('pages dead letters with their error and replays them to the subscriber', async () => {
    receiver.behaviour = () => 500;
    dispatcher = startDispatcher(database, {
      pollIntervalMs: 50, refreshIntervalMs: 100, timeoutMs: 1000, logger: pino({ level: 'silent' }),
      metrics: createDeliveryMetrics(new Registry()), retry: { maxAttempts: 2, baseDelayMs: 20, maxDelayMs: 50 },
    });
    const ids = await writeEvents(database, ['G-A', 'G-B', 'G-C'].map((goldenId) => ({ goldenId, version: 1, type: 'golden.created' })));
    await waitFor(async () => (await countRows(database, 'dead_letter')) === 3, 15_000, 'three dead letters');

    const first = await graphql(app, admin, DEAD, { s: 'erp', first: 2 });
    expect(first.body.errors).toBeUndefined();
    const page1 = first.body.data!.deadLetters;
    expect(page1.edges.map((e: any) => e.node.eventId)).toEqual(ids.slice(0, 2));
    expect(page1.edges[0].node).toMatchObject({ eventType: 'golden.created', goldenId: 'G-A', goldenVersion: 1, attempts: 2, lastStatus: 500, lastError: 'HTTP 500' });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await graphql(app, admin, DEAD, { s: 'erp', first: 2, after: page1.pageInfo.endCursor });
    expect(second.body.data!.deadLetters.edges.map((e: any) => e.node.eventId)).toEqual([ids[2]]);
    expect(second.body.data!.deadLetters.pageInfo.hasNextPage).toBe(false);
    expect((await graphql(app, admin, DEAD, { s: 'nobody' })).body.data!.deadLetters).toBeNull();
    expect((await graphql(app, admin, DEAD, { s: 'erp', after: 'bm90LWEtY3Vyc29y' })).body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const list = await graphql(app, admin, LIST);
    expect(list.body.data!.subscribers.find((s: any) => s.name === 'erp').delivery).toMatchObject({ deadLetters: 3, pending: 0 });

    const future = await graphql(app, admin, REPLAY, { s: 'erp', since: new Date(Date.now() + 3_600_000).toISOString() });
    expect(future.body.data!.replayDeadLetters).toMatchObject({ __typename: 'InvalidInput', field: 'since' });
    expect((await graphql(app, steward, REPLAY, { s: 'erp' })).body.data!.replayDeadLetters.__typename).toBe('Forbidden');
    expect(await countRows(database, 'dead_letter')).toBe(3);

    receiver.behaviour = () => 200;
    const replayed = await graphql(app, admin, REPLAY, { s: 'erp' });
    expect(replayed.body.data!.replayDeadLetters).toMatchObject({ __typename: 'ReplayDeadLettersSuccess', deadLetters: 3, redelivered: 0, subscriber: { name: 'erp' } });
    await waitFor(() => new Set(receiver.acked().map((e) => e.id)).size === 3, 15_000, 'the replayed events');
    expect(receiver.received.every((r) => r.signatureValid)).toBe(true);
    expect((await audits()).at(-1)).toMatchObject({ action: 'subscriber.replay', after: { subscriber: { name: 'erp' }, since: null, deadLetters: 3, redelivered: 0 } });
  });

  it('removes a subscriber', async () => {
    const { body } = await graphql(app, admin, REMOVE, { s: 'erp' });
    expect(body.data!.removeSubscriber).toMatchObject({ __typename: 'RemoveSubscriberSuccess', subscriber: { name: 'erp', delivery: null } });
    expect((await graphql(app, admin, LIST)).body.data!.subscribers.map((s: any) => s.name)).toEqual(['crm.example.com/mdm-events']);
    expect((await graphql(app, admin, REMOVE, { s: 'erp' })).body.data!.removeSubscriber.__typename).toBe('NotFound');
    expect((await audits()).at(-1)).toMatchObject({ action: 'subscriber.remove', before: { name: 'erp' }, after: null });
  });
});
