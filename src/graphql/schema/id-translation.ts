import type { EntityType } from '../../core/entities';
import { builder } from '../builder';
import type { CrossReferenceRow, GoldenRecordRow } from '../golden-record.reader';
import { CrossReferenceRef } from './cross-reference';
import { EntityTypeEnum } from './entity-type';
import { GoldenRecordRef } from './golden-record';

interface IdTranslation {
  requested: CrossReferenceRow;
  record: GoldenRecordRow;
  crossReferences: CrossReferenceRow[];
}

/** A source id translated to the golden id and to the ids of the same thing in other sources. */
export const IdTranslationRef = builder.objectRef<IdTranslation>('IdTranslation').implement({
  description: 'A source record id translated through its golden record.',
  fields: (t) => ({
    goldenId: t.id({ resolve: (x) => x.record.id }),
    requested: t.field({ type: CrossReferenceRef, description: 'The cross-reference that was asked for.', resolve: (x) => x.requested }),
    crossReferences: t.field({
      type: [CrossReferenceRef],
      description: 'The other source records of the same golden record (targetSources only, when given), by source and source id.',
      resolve: (x) => x.crossReferences,
    }),
    record: t.field({ type: GoldenRecordRef, resolve: (x) => x.record }),
  }),
});

builder.queryFields((t) => ({
  translateId: t.field({
    type: IdTranslationRef,
    nullable: true,
    description:
      'Translates a source id: the golden id and the ids of the same thing in the other sources. Null when the source record is unknown.',
    authScopes: { read: true },
    args: {
      entity: t.arg({ type: EntityTypeEnum, required: true }),
      source: t.arg.string({ required: true }),
      sourceId: t.arg.string({ required: true }),
      targetSources: t.arg.stringList({ required: false, description: 'Only ids in these sources (default: all).' }),
    },
    resolve: async (_root, args, context) => {
      const requested = await context.loaders.crossReference.load({ entity: args.entity as EntityType, source: args.source, sourceId: args.sourceId });
      if (!requested) return null;
      const lookup = await context.lookup(requested.goldenId);
      if (!lookup) return null;
      const targets = args.targetSources ? new Set(args.targetSources) : null;
      const all = await context.loaders.crossReferences.load(lookup.record.id);
      const crossReferences = all.filter(
        (x) => !(x.source === requested.source && x.sourceId === requested.sourceId) && (targets === null || targets.has(x.source)),
      );
      return { requested, record: lookup.record, crossReferences };
    },
  }),
}));
