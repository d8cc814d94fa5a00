import { builder } from '../builder';
import { badUserInput } from '../errors';
import type { MatchPairRow } from '../match-queue.service';
import { PAIR_STATUSES, pageMatchQueue } from '../match-queue.service';
import { checkPageSize, decodeCursor, encodeCursor } from '../paging';
import { redactPersonalAttributes } from '../pii';
import type { SourceRecordRow } from '../relationship.reader';
import { EntityTypeEnum } from './entity-type';
import { ExplanationRowRef, explanationViews } from './explanation';
import { GoldenRecordRef } from './golden-record';

export const MatchPairStatusEnum = builder.enumType('MatchPairStatus', {
  values: {
    PENDING: { value: 'pending', description: 'Waiting for a steward.' },
    DEFERRED: { value: 'deferred', description: 'Put aside by a steward (deferPair).' },
    MERGED: { value: 'merged', description: 'Decided: the same thing (merged).' },
    REJECTED: { value: 'rejected', description: 'Decided: not a match.' },
    OBSOLETE: { value: 'obsolete', description: 'No longer proposed by resolution (the records changed or were decided otherwise).' },
  } as const,
});

/** A source record as stored, with the golden record it is attached to. */
export const SourceRecordRef = builder.objectRef<SourceRecordRow>('SourceRecord').implement({
  description: 'A source record as the hub stores it (its current version).',
  fields: (t) => ({
    recordId: t.exposeID('recordId', { description: 'The hub\'s internal id (used by split, moveRecord and pinAttribute).' }),
    entity: t.field({ type: EntityTypeEnum, resolve: (r) => r.entity as never }),
    source: t.exposeString('source'),
    sourceId: t.exposeString('sourceId'),
    version: t.exposeInt('version'),
    deleted: t.exposeBoolean('deleted'),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (r) => r.updatedAt }),
    attributes: t.field({
      type: 'JSON',
      description: 'The canonical attributes as received (personal ones left out without the `pii` scope).',
      resolve: (r, _args, context) => (context.canSeePii ? r.attributes : redactPersonalAttributes(r.entity, r.attributes).attributes),
    }),
    goldenId: t.exposeID('goldenId', { nullable: true, description: 'The golden record it is attached to now.' }),
    goldenRecord: t.field({
      type: GoldenRecordRef,
      nullable: true,
      resolve: async (r, _args, context) => (r.goldenId ? ((await context.lookup(r.goldenId))?.record ?? null) : null),
    }),
  }),
});

export const MatchPairRef = builder.objectRef<MatchPairRow>('MatchPair').implement({
  description: 'Two source records resolution was unsure about, with the explanation of their score: the steward queue\'s unit of work.',
  fields: (t) => ({
    id: t.exposeID('id'),
    entity: t.field({ type: EntityTypeEnum, resolve: (p) => p.entity as never }),
    status: t.field({ type: MatchPairStatusEnum, resolve: (p) => p.status as never }),
    probability: t.exposeFloat('probability'),
    weight: t.exposeFloat('weight'),
    priority: t.exposeFloat('priority', { description: 'Queue order, highest first: pairs nearest probability 0.5 are the most uncertain.' }),
    reason: t.exposeString('reason', { description: 'Why it is queued: between-thresholds, cannot-link, clearly-different or weak-linkage.' }),
    blockingRule: t.exposeString('blockingRule', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (p) => p.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (p) => p.updatedAt }),
    left: t.field({ type: SourceRecordRef, nullable: true, resolve: (p, _args, context) => context.loaders.sourceRecord.load(p.leftRecordId) }),
    right: t.field({ type: SourceRecordRef, nullable: true, resolve: (p, _args, context) => context.loaders.sourceRecord.load(p.rightRecordId) }),
    explanation: t.field({
      type: [ExplanationRowRef],
      complexity: { field: 1, multiplier: 15 },
      resolve: (p, _args, context) => explanationViews(p.explanation, { canSeePii: context.canSeePii, model: null }),
    }),
  }),
});

const CURSOR = 'queue';

builder.queryFields((t) => ({
  matchQueue: t.connection(
    {
      type: MatchPairRef,
      description:
        'The steward queue: match pairs in priority order (the most uncertain first), each with both source records, their current golden records and the explanation rows. Needs the `steward` scope.',
      authScopes: { steward: true },
      args: {
        entity: t.arg({ type: EntityTypeEnum, required: false }),
        source: t.arg.string({ required: false, description: 'Only pairs with a record of this source system.' }),
        minScore: t.arg.float({ required: false, description: 'Lowest match probability (0..1).' }),
        maxScore: t.arg.float({ required: false, description: 'Highest match probability (0..1).' }),
        status: t.arg({ type: MatchPairStatusEnum, required: false, defaultValue: 'pending', description: 'Default PENDING.' }),
      },
      // `edges` is a list and already multiplies its selection by 10: together they cost the page size.
      complexity: (args, context) => ({ field: 1, multiplier: Math.max(1, Math.ceil((args.first ?? context.config.defaultPageSize) / 10)) }),
      resolve: async (_root, args, context) => {
        checkPageSize(args, context.config);
        if (args.last !== null && args.last !== undefined) throw badUserInput('matchQueue pages forward only (first/after)', 'last');
        const after = decodeCursor(CURSOR, args.after, 'after');
        let position: { priority: number; id: string } | undefined;
        if (after !== undefined) {
          const [priority, id] = after.split('/');
          if (!priority || !id || Number.isNaN(Number(priority))) throw badUserInput('after is not a cursor of this connection', 'after');
          position = { priority: Number(priority), id };
        }
        const size = args.first ?? context.config.defaultPageSize;
        const rows = await pageMatchQueue(context.db, {
          entity: args.entity,
          source: args.source,
          minProbability: args.minScore,
          maxProbability: args.maxScore,
          statuses: [args.status ?? PAIR_STATUSES[0]],
          after: position,
          limit: size + 1,
        });
        const page = rows.slice(0, size);
        const edges = page.map((p) => ({ cursor: encodeCursor(CURSOR, `${p.priority}/${p.id}`), node: p }));
        return {
          edges,
          pageInfo: {
            hasNextPage: rows.length > size,
            hasPreviousPage: position !== undefined,
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
          },
        };
      },
    },
    { name: 'MatchPairConnection' },
    { name: 'MatchPairEdge' },
  ),
}));
