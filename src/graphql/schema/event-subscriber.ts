import type { EntityType } from '../../core/entities';
import { type DeadLetterRow, deliveryStates, type SubscriberDeliveryState } from '../../events/delivery.repository';
import { auditSubscriberAction } from '../../events/subscriber-audit';
import type { SubscriberView } from '../../events/subscriber.repository';
import {
  addSubscriber,
  listEventSubscribers,
  removeSubscriber,
  replaySubscriberEvents,
  type SubscriberResult,
  subscriberDeadLetters,
  updateSubscriber,
} from '../../events/subscriber.service';
import { builder } from '../builder';
import type { GraphqlContext } from '../context';
import { badUserInput, forbidden } from '../errors';
import { checkPageSize, decodeCursor, encodeCursor } from '../paging';
import { EntityTypeEnum } from './entity-type';
import { ForbiddenRef, NotFoundRef } from './steward';

/*
 * Administration of change-event subscribers (docs/events.md): the `subscribers` and
 * `deadLetters` queries and four mutations, admin only. Each mutation calls the service of
 * src/events/subscriber.service.ts, maps its result once here to
 * `<Action>Success | InvalidInput | NotFound | Forbidden`, and records a successful action in the
 * audit (`steward_audit`, action `subscriber.*`). No field ever carries a signing secret, except
 * `AddSubscriberSuccess.generatedSecret`, which is the one the hub generated when none was given.
 */

/** Delivery state per subscriber id, read once per request (one query for every subscriber). */
const statesOf = new WeakMap<GraphqlContext, Promise<Map<string, SubscriberDeliveryState>>>();
function deliveryStateOf(context: GraphqlContext, id: string): Promise<SubscriberDeliveryState | undefined> {
  let states = statesOf.get(context);
  if (!states) {
    states = deliveryStates(context.db).then((rows) => new Map(rows.map((r) => [r.subscriberId, r])));
    statesOf.set(context, states);
  }
  return states.then((m) => m.get(id));
}

const SubscriberDeliveryRef = builder.objectRef<SubscriberDeliveryState>('SubscriberDelivery').implement({
  description: 'A subscriber\'s delivery backlog, as `mdm events status` shows it.',
  fields: (t) => ({
    unread: t.exposeInt('unread', { description: 'Outbox events past the subscriber\'s cursor, not yet fanned out to its queue (counted up to 1 000 000).' }),
    pending: t.exposeInt('pending', { description: 'Events queued, in flight or waiting for a retry.' }),
    retrying: t.exposeInt('retrying', { description: 'Pending events that failed at least once.' }),
    deadLetters: t.exposeInt('deadLetters', { description: 'Events given up on; each holds back later events of its golden record until replayed or discarded.' }),
    oldestPendingSeconds: t.exposeFloat('oldestPendingSeconds', { description: 'Age of the oldest pending event; 0 when none.' }),
  }),
});

export const EventSubscriberRef = builder.objectRef<SubscriberView>('EventSubscriber').implement({
  description: 'A receiver of change events (signed CloudEvents over HTTP). Its signing secret is never shown.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    url: t.exposeString('url'),
    entities: t.field({ type: [EntityTypeEnum], nullable: true, description: 'The entity types it receives; null: all.', resolve: (s) => (s.entities as EntityType[] | null) }),
    eventTypes: t.exposeStringList('eventTypes', { nullable: true, description: 'The event types it receives (e.g. golden.merged); null: all.' }),
    active: t.exposeBoolean('active', { description: 'false: paused (events keep queueing, nothing is sent).' }),
    createdAt: t.field({ type: 'DateTime', resolve: (s) => s.createdAt }),
    delivery: t.field({
      type: SubscriberDeliveryRef,
      nullable: true,
      description: 'Backlog and dead letters now; null once the subscriber is removed.',
      resolve: (s, _a, context) => deliveryStateOf(context, s.id).then((d) => d ?? null),
    }),
  }),
});

const DeadLetterRef = builder.objectRef<DeadLetterRow>('DeadLetter').implement({
  description: 'An event given up on after the retry budget, with the last error.',
  fields: (t) => ({
    eventId: t.exposeID('outboxId', { description: 'The CloudEvent id (outbox id).' }),
    eventType: t.exposeString('eventType'),
    goldenId: t.exposeID('goldenId'),
    goldenVersion: t.exposeInt('goldenVersion'),
    attempts: t.exposeInt('attempts'),
    lastStatus: t.exposeInt('lastStatus', { nullable: true, description: 'The HTTP status of the last attempt; null when there was no answer.' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    eventCreatedAt: t.field({ type: 'DateTime', resolve: (d) => d.eventCreatedAt }),
    failedAt: t.field({ type: 'DateTime', resolve: (d) => d.failedAt }),
  }),
});

type Failure = { __typename: 'InvalidInput'; field: string; message: string } | { __typename: 'NotFound' | 'Forbidden'; message: string };
type Tagged<T> = { __typename: string } & T;

const InvalidInputRef = builder.objectRef<{ field: string; message: string }>('InvalidInput').implement({
  description: 'An input field cannot be used as given: which one, and why (with how to fix it).',
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The input field, e.g. url, eventTypes, secret, since.' }),
    message: t.exposeString('message'),
  }),
});

function failure(r: Exclude<SubscriberResult<object>, { kind: 'success' }>): Failure {
  switch (r.kind) {
    case 'invalid':
      return { __typename: 'InvalidInput', field: r.field ?? 'input', message: r.message };
    case 'notFound':
      return { __typename: 'NotFound', message: r.message };
    case 'forbidden':
      return { __typename: 'Forbidden', message: r.message };
  }
}

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

function resultUnion<T>(name: string, success: PothosSchemaTypes.ObjectRef<BuilderTypes, T>, action: string) {
  return builder.unionType(name, {
    description: `The outcome of ${action}: success, or InvalidInput (field and message), NotFound, Forbidden (a key without the admin role).`,
    types: [success, InvalidInputRef, NotFoundRef, ForbiddenRef] as never,
    resolveType: (value: unknown) => (value as { __typename: string }).__typename,
  });
}

/** Maps a service result: a success is audited, then shaped into the success type. */
async function run<T extends object, S extends object>(
  successType: string,
  result: SubscriberResult<T>,
  audit: (value: T) => Promise<void>,
  shape: (value: T) => S,
): Promise<Tagged<S> | Failure> {
  if (result.kind !== 'success') return failure(result as Exclude<SubscriberResult<object>, { kind: 'success' }>);
  const { kind: _kind, ...value } = result;
  await audit(value as unknown as T);
  return { __typename: successType, ...shape(value as unknown as T) };
}

const who = async (context: GraphqlContext, reason: string | null | undefined) => ({ actor: await context.actor(), reason: reason ?? null });

const AddSubscriberSuccessRef = builder.objectRef<{ subscriber: SubscriberView; generatedSecret: string | null }>('AddSubscriberSuccess').implement({
  description: 'The subscriber is registered; it receives events written from now on (or the whole outbox with fromBeginning).',
  fields: (t) => ({
    subscriber: t.field({ type: EventSubscriberRef, resolve: (s) => s.subscriber }),
    generatedSecret: t.exposeString('generatedSecret', {
      nullable: true,
      description: 'The signing secret the hub generated because none was given: shown this once, store it now. Null when you gave one (a given secret is never echoed).',
    }),
  }),
});
const UpdateSubscriberSuccessRef = builder.objectRef<{ subscriber: SubscriberView }>('UpdateSubscriberSuccess').implement({
  description: 'The subscriber was changed; new filters apply to events fanned out from now on.',
  fields: (t) => ({ subscriber: t.field({ type: EventSubscriberRef, resolve: (s) => s.subscriber }) }),
});
const RemoveSubscriberSuccessRef = builder.objectRef<{ subscriber: SubscriberView }>('RemoveSubscriberSuccess').implement({
  description: 'The subscriber was removed with its pending deliveries and dead letters.',
  fields: (t) => ({ subscriber: t.field({ type: EventSubscriberRef, description: 'The subscriber as it was.', resolve: (s) => s.subscriber }) }),
});
const ReplaySuccessRef = builder.objectRef<{ subscriber: SubscriberView; deadLetters: number; redelivered: number }>('ReplayDeadLettersSuccess').implement({
  description: 'Events are queued again; a running hub delivers them in order per golden record.',
  fields: (t) => ({
    subscriber: t.field({ type: EventSubscriberRef, resolve: (s) => s.subscriber }),
    deadLetters: t.exposeInt('deadLetters', { description: 'Dead letters put back in the queue.' }),
    redelivered: t.exposeInt('redelivered', { description: 'Events already delivered that are queued again (with since).' }),
  }),
});

const AddSubscriberResult = resultUnion('AddSubscriberResult', AddSubscriberSuccessRef, 'addSubscriber');
const UpdateSubscriberResult = resultUnion('UpdateSubscriberResult', UpdateSubscriberSuccessRef, 'updateSubscriber');
const RemoveSubscriberResult = resultUnion('RemoveSubscriberResult', RemoveSubscriberSuccessRef, 'removeSubscriber');
const ReplayDeadLettersResult = resultUnion('ReplayDeadLettersResult', ReplaySuccessRef, 'replayDeadLetters');

const AddSubscriberInput = builder.inputType('AddSubscriberInput', {
  fields: (t) => ({
    url: t.string({ required: true, description: 'Where events are POSTed: http or https, no credentials in the URL.' }),
    name: t.string({ required: false, description: 'Unique name; default: the URL\'s host and path.' }),
    entities: t.field({ type: [EntityTypeEnum], required: false, description: 'Only these entity types; absent or empty: all.' }),
    eventTypes: t.stringList({ required: false, description: 'Only these event types (created, golden.merged, mdm.golden.split, moved, ...); absent or empty: all.' }),
    secret: t.string({ required: false, description: 'The HMAC signing secret, at least 16 characters; absent: the hub generates one and answers it once. Never echoed, listed or logged.' }),
    fromBeginning: t.boolean({ required: false, defaultValue: false, description: 'Also deliver every event already in the outbox.' }),
  }),
});

const UpdateSubscriberInput = builder.inputType('UpdateSubscriberInput', {
  description: 'The changes to make; an absent (or null) field is left as it is.',
  fields: (t) => ({
    url: t.string({ required: false }),
    entities: t.field({ type: [EntityTypeEnum], required: false, description: 'Only these entity types; empty: all.' }),
    eventTypes: t.stringList({ required: false, description: 'Only these event types; empty: all.' }),
    active: t.boolean({ required: false, description: 'false pauses delivery (events keep queueing), true resumes it.' }),
  }),
});

const some = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
const SUBSCRIBER_ARG = 'The subscriber\'s id or name.';

builder.queryFields((t) => ({
  subscribers: t.field({
    type: [EventSubscriberRef],
    description: 'Every change-event subscriber with its delivery backlog and dead letters (never its secret). Needs the `admin` scope.',
    authScopes: { admin: true },
    resolve: async (_root, _args, context) => {
      const r = await listEventSubscribers(context.db, context.principal);
      if (r.kind !== 'success') throw forbidden(r.message);
      return r.subscribers;
    },
  }),
  deadLetters: t.connection(
    {
      type: DeadLetterRef,
      nullable: true,
      description: 'A subscriber\'s dead letters in event order, with the last error and the attempts made; null when no subscriber has this id or name. Needs the `admin` scope.',
      authScopes: { admin: true },
      args: { subscriber: t.arg.id({ required: true, description: SUBSCRIBER_ARG }) },
      complexity: (args, context) => ({ field: 1, multiplier: Math.max(1, Math.ceil((args.first ?? context.config.defaultPageSize) / 10)) }),
      resolve: async (_root, args, context) => {
        checkPageSize(args, context.config);
        if (args.last !== null && args.last !== undefined) throw badUserInput('deadLetters pages forward only (first/after)', 'last');
        const after = decodeCursor('dead', args.after, 'after');
        if (after !== undefined && !/^\d{1,18}$/.test(after)) throw badUserInput('after is not a cursor of this connection', 'after');
        const size = args.first ?? context.config.defaultPageSize;
        const r = await subscriberDeadLetters(context.db, context.principal, String(args.subscriber), { limit: size + 1, after });
        if (r.kind === 'notFound') return null;
        if (r.kind !== 'success') throw forbidden(r.message);
        const edges = r.deadLetters.slice(0, size).map((d) => ({ cursor: encodeCursor('dead', d.outboxId), node: d }));
        return {
          edges,
          pageInfo: { hasNextPage: r.deadLetters.length > size, hasPreviousPage: after !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
        };
      },
    },
    { name: 'DeadLetterConnection' },
    { name: 'DeadLetterEdge' },
  ),
}));

builder.mutationFields((t) => ({
  addSubscriber: t.field({
    type: AddSubscriberResult,
    description: 'Registers a change-event subscriber (admin). See docs/events.md.',
    args: { input: t.arg({ type: AddSubscriberInput, required: true }), reason: t.arg.string({ required: false, description: 'Why, for the audit.' }) },
    resolve: async (_root, { input, reason }, context) => {
      const result = await addSubscriber(context.db, context.principal, {
        url: input.url,
        name: some(input.name),
        entities: some(input.entities),
        eventTypes: some(input.eventTypes),
        secret: some(input.secret),
        startAt: input.fromBeginning ? 'beginning' : 'now',
      });
      const given = some(input.secret) !== undefined;
      return run(
        'AddSubscriberSuccess',
        result,
        async (v) => auditSubscriberAction(context.db, 'subscriber.add', await who(context, reason), null, v.subscriber, { fromBeginning: Boolean(input.fromBeginning) }),
        (v) => ({ subscriber: v.subscriber, generatedSecret: given ? null : v.secret }),
      ) as never;
    },
  }),
  updateSubscriber: t.field({
    type: UpdateSubscriberResult,
    description: 'Changes a subscriber\'s URL or filters, or pauses / resumes it (admin).',
    args: {
      subscriber: t.arg.id({ required: true, description: SUBSCRIBER_ARG }),
      input: t.arg({ type: UpdateSubscriberInput, required: true }),
      reason: t.arg.string({ required: false, description: 'Why, for the audit.' }),
    },
    resolve: async (_root, { subscriber, input, reason }, context) => {
      const result = await updateSubscriber(context.db, context.principal, String(subscriber), {
        url: some(input.url), entities: some(input.entities), eventTypes: some(input.eventTypes), active: some(input.active),
      });
      return run('UpdateSubscriberSuccess', result, async (v) => auditSubscriberAction(context.db, 'subscriber.update', await who(context, reason), v.before, v.subscriber), (v) => ({ subscriber: v.subscriber })) as never;
    },
  }),
  removeSubscriber: t.field({
    type: RemoveSubscriberResult,
    description: 'Removes a subscriber with its pending deliveries and dead letters (admin).',
    args: { subscriber: t.arg.id({ required: true, description: SUBSCRIBER_ARG }), reason: t.arg.string({ required: false, description: 'Why, for the audit.' }) },
    resolve: async (_root, { subscriber, reason }, context) => {
      const result = await removeSubscriber(context.db, context.principal, String(subscriber));
      return run('RemoveSubscriberSuccess', result, async (v) => auditSubscriberAction(context.db, 'subscriber.remove', await who(context, reason), v.subscriber, null), (v) => v) as never;
    },
  }),
  replayDeadLetters: t.field({
    type: ReplayDeadLettersResult,
    description:
      'Delivers again (admin): the subscriber\'s dead letters (those of events written at or after `since` when given), and with `since` every matching event written since then that was already delivered. As `mdm events replay`.',
    args: {
      subscriber: t.arg.id({ required: true, description: SUBSCRIBER_ARG }),
      since: t.arg({ type: 'DateTime', required: false }),
      reason: t.arg.string({ required: false, description: 'Why, for the audit.' }),
    },
    resolve: async (_root, { subscriber, since, reason }, context) => {
      const result = await replaySubscriberEvents(context.db, context.principal, String(subscriber), some(since));
      return run('ReplayDeadLettersSuccess', result, async (v) =>
        auditSubscriberAction(context.db, 'subscriber.replay', await who(context, reason), null, null, {
          subscriber: { id: v.subscriber.id, name: v.subscriber.name }, since: since?.toISOString() ?? null, deadLetters: v.deadLetters, redelivered: v.redelivered,
        }),
        (v) => v,
      ) as never;
    },
  }),
}));
