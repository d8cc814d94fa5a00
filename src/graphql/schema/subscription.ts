import type { EntityType } from '../../core/entities';
import { hasScope, type Scope } from '../../auth/roles';
import { builder } from '../builder';
import { goldenChangeFeed, matchQueueFeed, type OutboxEvent } from '../change-feed';
import type { GraphqlContext } from '../context';
import { forbidden } from '../errors';
import type { MatchPairRow } from '../match-queue.service';
import { EntityTypeEnum } from './entity-type';
import { GoldenRecordRef } from './golden-record';
import { MatchPairRef } from './match-queue';

builder.subscriptionType({
  description:
    'Change streams over Server-Sent Events (POST /graphql with `Accept: text/event-stream`), fed by polling the outbox and the match queue (every MDM_GRAPHQL_POLL_MS, default 500 ms). A stream starts at the moment of subscribing.',
});

const GoldenRecordChangeRef = builder.objectRef<OutboxEvent>('GoldenRecordChange').implement({
  description: 'A change event of a golden record, as written to the outbox in the transaction of the change.',
  fields: (t) => ({
    eventId: t.exposeID('id', { description: 'Outbox id: increases with every event.' }),
    type: t.exposeString('eventType', { description: 'golden.created, golden.updated, golden.merged, golden.split, golden.redirected, golden.retired or xref.moved.' }),
    entity: t.field({ type: EntityTypeEnum, resolve: (e) => e.entity as EntityType }),
    goldenId: t.exposeID('goldenId'),
    goldenVersion: t.exposeInt('goldenVersion'),
    payload: t.field({ type: 'JSON', description: 'Event details (changedAttributes, losers, newIds, moved record, ...).', resolve: (e) => e.payload }),
    occurredAt: t.field({ type: 'DateTime', resolve: (e) => e.createdAt }),
    record: t.field({
      type: GoldenRecordRef,
      nullable: true,
      description: 'The golden record now (following merges).',
      resolve: async (e, _args, context) => (await context.lookup(e.goldenId))?.record ?? null,
    }),
  }),
});

function require(context: GraphqlContext, scope: Scope, field: string): void {
  if (hasScope(context.principal, scope)) return;
  throw forbidden(`the ${context.principal.role ?? 'anonymous'} role may not subscribe to ${field}`);
}

builder.subscriptionFields((t) => ({
  goldenRecordChanged: t.field({
    type: GoldenRecordChangeRef,
    description: 'Golden-record change events, optionally only of one entity type or one golden id (a merge into another record is announced too).',
    authScopes: { read: true },
    args: {
      entity: t.arg({ type: EntityTypeEnum, required: false }),
      goldenId: t.arg.id({ required: false }),
      sinceVersion: t.arg.int({
        required: false,
        description: 'With goldenId: the version the subscriber shows. Changes of that golden record past it that happened before the subscription started are sent first, so none is missed between reading the record and subscribing.',
      }),
    },
    subscribe: (_root, args, context) => {
      require(context, 'read', 'goldenRecordChanged');
      const goldenId = args.goldenId === null || args.goldenId === undefined ? null : String(args.goldenId);
      return goldenChangeFeed(context.db, { entity: args.entity, goldenId, sinceVersion: args.sinceVersion ?? null }, context.config.subscriptionPollMs);
    },
    resolve: (event: OutboxEvent) => event,
  }),
  matchQueueChanged: t.field({
    type: MatchPairRef,
    description: 'Match pairs as they are queued, re-scored, deferred, decided or become obsolete. Needs the `steward` scope.',
    authScopes: { steward: true },
    args: { entity: t.arg({ type: EntityTypeEnum, required: false }) },
    subscribe: (_root, args, context) => {
      require(context, 'steward', 'matchQueueChanged');
      return matchQueueFeed(context.db, { entity: args.entity }, context.config.subscriptionPollMs);
    },
    resolve: (pair: MatchPairRow) => pair,
  }),
}));
