import { resolveCursorConnection } from '@pothos/plugin-relay';
import type { EntityType } from '../../core/entities';
import { builder } from '../builder';
import { badUserInput, limitExceeded } from '../errors';
import type { GoldenRecordRow } from '../golden-record.reader';
import { pageGoldenRecordIds } from '../golden-record.reader';
import { goldenIdOfSourceRecordAsOf } from '../history.reader';
import { plainAttributes, redactPersonalAttributes } from '../pii';
import type { GraphqlContext } from '../context';
import { timedKey } from '../loaders';
import { recordAsOf } from '../as-of';
import { CrossReferenceRef } from './cross-reference';
import { EntityTypeEnum, GoldenRecordStatusEnum } from './entity-type';

/** GraphQL object type name per entity type. */
export const TYPE_NAME_BY_ENTITY: Record<EntityType, string> = {
  customer: 'Customer',
  product: 'Product',
  serial: 'SerialUnit',
  asset: 'InstalledAsset',
  contract: 'Contract',
  location: 'Location',
};

/**
 * The attributes a caller may see: the stored golden attributes (or, before survivorship has
 * written any, the provisional view of the member records), with personal attributes removed
 * unless the key has `pii`.
 */
async function visibleAttributes(record: GoldenRecordRow, context: GraphqlContext) {
  const stored = record.attributes ?? (record.asOf ? {} : await context.loaders.provisionalAttributes.load(record.id));
  if (context.canSeePii) return { stored, redacted: [] as string[] };
  const { attributes, redacted } = redactPersonalAttributes(record.entity, stored);
  return { stored: attributes, redacted };
}

export const GoldenRecordRef = builder.interfaceRef<GoldenRecordRow>('GoldenRecord').implement({
  description: 'One real-world thing as the hub resolved it from every source record that describes it.',
  resolveType: (record) => TYPE_NAME_BY_ENTITY[record.entity as EntityType],
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable golden id (`G-` + 13 Crockford base32 characters).' }),
    entity: t.field({ type: EntityTypeEnum, resolve: (r) => r.entity as EntityType }),
    status: t.field({ type: GoldenRecordStatusEnum, resolve: (r) => r.status as never }),
    version: t.exposeInt('version', { description: 'Increases whenever the record or its membership changes.' }),
    createdAt: t.field({ type: 'DateTime', resolve: (r) => r.createdAt }),
    updatedAt: t.field({ type: 'DateTime', resolve: (r) => r.updatedAt }),
    splitFrom: t.exposeID('splitFrom', { nullable: true, description: 'The golden id this record was split from, if any.' }),
    attributes: t.field({
      type: 'JSON',
      description:
        'Attribute values as one JSON object (typed fields will follow): a single value per attribute, an array for multi-valued ones (all distinct phones). Personal attributes are left out unless the API key has the `pii` scope; `redactedAttributes` names them.',
      authScopes: { read: true },
      resolve: async (r, _args, context) => plainAttributes((await visibleAttributes(r, context)).stored),
    }),
    attributeLineage: t.field({
      type: 'JSON',
      nullable: true,
      description:
        'The golden attributes as survivorship stored them: each value with its lineage (source record, strategy, reason) and the values that lost. Null until survivorship has run for this record. Personal attributes are left out as in `attributes`.',
      authScopes: { read: true },
      resolve: async (r, _args, context) => (r.attributes === null ? null : (await visibleAttributes(r, context)).stored),
    }),
    redactedAttributes: t.stringList({
      description: 'Names of attributes that have a value but were left out of `attributes` for lack of the `pii` scope.',
      authScopes: { read: true },
      resolve: async (r, _args, context) => (await visibleAttributes(r, context)).redacted,
    }),
    crossReferences: t.field({
      type: [CrossReferenceRef],
      description: 'The source records attached to this golden record, ordered by source and source id.',
      args: { sources: t.arg.stringList({ required: false, description: 'Only these source systems.' }) },
      // A golden record rarely has more than a handful of source records.
      complexity: { field: 1, multiplier: 5 },
      resolve: async (r, args, context) => {
        const all = r.asOf
          ? await context.loaders.crossReferencesAsOf.load(timedKey(r.asOf, r.id))
          : await context.loaders.crossReferences.load(r.id);
        return args.sources ? all.filter((x) => args.sources!.includes(x.source)) : all;
      },
    }),
    asOf: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'Set when this is a past state (the `asOf` argument of goldenRecord / goldenRecordByXref): the time asked for. `version`, `status`, `attributes` and `crossReferences` are as they were then; relationships are always current.',
      resolve: (r) => r.asOf ?? null,
    }),
    redirectedFrom: t.idList({
      description: 'Golden ids that were merged into this one and now redirect here.',
      resolve: (r, _args, context) => context.loaders.redirectedFrom.load(r.id),
    }),
  }),
});

const CURSOR_PREFIX = 'golden:';
const toCursor = (id: string) => Buffer.from(CURSOR_PREFIX + id, 'utf8').toString('base64url');
function fromCursor(cursor: string | undefined, argument: string): string | undefined {
  if (cursor === undefined) return undefined;
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX)) throw badUserInput(`${argument} is not a cursor of this connection`, argument);
  return decoded.slice(CURSOR_PREFIX.length);
}

builder.queryFields((t) => ({
  goldenRecordByXref: t.field({
    type: GoldenRecordRef,
    nullable: true,
    description: 'The golden record a source record is attached to; null when the hub does not know the source record.',
    authScopes: { read: true },
    args: {
      entity: t.arg({ type: EntityTypeEnum, required: true }),
      source: t.arg.string({ required: true }),
      sourceId: t.arg.string({ required: true }),
      asOf: t.arg({
        type: 'DateTime',
        required: false,
        description: 'The golden record the source record belonged to at this time, in the state it had then.',
      }),
    },
    resolve: async (_root, args, context) => {
      if (args.asOf) {
        const goldenId = await goldenIdOfSourceRecordAsOf(context.db, { entity: args.entity, source: args.source, sourceId: args.sourceId }, args.asOf);
        return goldenId ? ((await recordAsOf(context, goldenId, args.asOf))?.record ?? null) : null;
      }
      const xref = await context.loaders.crossReference.load({ entity: args.entity, source: args.source, sourceId: args.sourceId });
      if (!xref) return null;
      return (await context.lookup(xref.goldenId))?.record ?? null;
    },
  }),

  goldenRecordsConnection: t.connection({
    type: GoldenRecordRef,
    description: 'Active golden records of one entity type in golden-id order, a page at a time.',
    authScopes: { read: true },
    args: { entity: t.arg({ type: EntityTypeEnum, required: true }) },
    complexity: (args, context) => ({ field: 1, multiplier: args.first ?? args.last ?? context.config.defaultPageSize }),
    resolve: async (_root, args, context) => {
      const { maxPageSize, defaultPageSize } = context.config;
      for (const name of ['first', 'last'] as const) {
        const size = args[name];
        if (size === null || size === undefined) continue;
        if (size < 0) throw badUserInput(`${name} must be 0 or more`, name);
        if (size > maxPageSize) throw limitExceeded('pageSize', maxPageSize, size, `${name} may be at most ${maxPageSize} (got ${size}); page with after/before`);
      }
      const after = fromCursor(args.after ?? undefined, 'after');
      const before = fromCursor(args.before ?? undefined, 'before');
      return resolveCursorConnection<Promise<GoldenRecordRow[]>>(
        { args, defaultSize: defaultPageSize, maxSize: maxPageSize, toCursor: (r: GoldenRecordRow) => toCursor(r.id) },
        async (page) => {
          const ids = await pageGoldenRecordIds(context.db, { entity: args.entity, after, before, limit: page.limit, inverted: page.inverted });
          const rows = await context.loaders.goldenRecord.loadMany(ids);
          return rows.filter((r): r is GoldenRecordRow => r !== null && !(r instanceof Error));
        },
      );
    },
  }, { name: 'GoldenRecordConnection' }, { name: 'GoldenRecordEdge' }),
}));
