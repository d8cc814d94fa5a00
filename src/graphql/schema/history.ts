import type { EntityType } from '../../core/entities';
import { builder } from '../builder';
import type { GraphqlContext } from '../context';
import type { GoldenVersionRow, XrefMoveRow } from '../history.reader';
import { plainAttributes, plainValue, redactPersonalAttributes } from '../pii';
import { EntityTypeEnum, GoldenRecordStatusEnum } from './entity-type';
import { GoldenRecordRef } from './golden-record';

interface AttributeChange {
  attribute: string;
  before: unknown;
  after: unknown;
}

interface VersionView {
  row: GoldenVersionRow;
  previous: GoldenVersionRow | null;
}

/** Plain attribute values of a version as the caller may see them. */
function visible(row: GoldenVersionRow | null, context: GraphqlContext): { attributes: Record<string, unknown>; redacted: string[] } {
  const plain = plainAttributes(row?.attributes ?? {});
  if (context.canSeePii || !row) return { attributes: plain, redacted: [] };
  return redactPersonalAttributes(row.entity as EntityType, plain);
}

/** Attributes whose value differs from the previous version (personal ones left out without `pii`). */
function diff(view: VersionView, context: GraphqlContext): AttributeChange[] {
  const after = visible(view.row, context);
  const before = visible(view.previous, context);
  const hidden = new Set([...after.redacted, ...before.redacted]);
  const names = [...new Set([...Object.keys(after.attributes), ...Object.keys(before.attributes)])].filter((n) => !hidden.has(n)).sort();
  return names
    .filter((n) => JSON.stringify(before.attributes[n] ?? null) !== JSON.stringify(after.attributes[n] ?? null))
    .map((n) => ({ attribute: n, before: plainValue(before.attributes[n]) ?? null, after: plainValue(after.attributes[n]) ?? null }));
}

const AttributeChangeRef = builder.objectRef<AttributeChange>('AttributeChange').implement({
  description: 'One attribute whose golden value changed between two versions.',
  fields: (t) => ({
    attribute: t.exposeString('attribute'),
    before: t.field({ type: 'JSON', nullable: true, description: 'The value in the previous version (null: none).', resolve: (c) => c.before }),
    after: t.field({ type: 'JSON', nullable: true, description: 'The value in this version (null: removed).', resolve: (c) => c.after }),
  }),
});

const GoldenRecordVersionRef = builder.objectRef<VersionView>('GoldenRecordVersion').implement({
  description: 'One version of a golden record (golden_history): the state it had from validFrom until validTo.',
  fields: (t) => ({
    goldenId: t.id({ resolve: (v) => v.row.goldenId }),
    version: t.int({ resolve: (v) => v.row.version }),
    change: t.string({
      description:
        'What made this version: created, updated, merged (absorbed others, or was merged away), split, retired, or steward:<action> (merge, not-a-match, split, move, pin, override, lock, unlock).',
      resolve: (v) => v.row.change,
    }),
    status: t.field({ type: GoldenRecordStatusEnum, resolve: (v) => v.row.status as never }),
    mergedInto: t.id({ nullable: true, resolve: (v) => v.row.mergedInto }),
    validFrom: t.field({ type: 'DateTime', resolve: (v) => v.row.validFrom }),
    validTo: t.field({ type: 'DateTime', nullable: true, description: 'Null for the current version.', resolve: (v) => v.row.validTo }),
    members: t.stringList({ description: 'The source records attached at this version, as "source|sourceId".', resolve: (v) => v.row.members }),
    attributes: t.field({
      type: 'JSON',
      description: 'The attribute values of this version (personal ones left out without the `pii` scope).',
      resolve: (v, _args, context) => visible(v.row, context).attributes,
    }),
    changes: t.field({
      type: [AttributeChangeRef],
      description: 'Attributes that differ from the previous version (all of them for the first).',
      complexity: { field: 1, multiplier: 5 },
      resolve: (v, _args, context) => diff(v, context),
    }),
  }),
});

const SourceRecordMoveRef = builder.objectRef<XrefMoveRow>('SourceRecordMove').implement({
  description: 'A source record attached to, moved between or detached from golden records (xref_move).',
  fields: (t) => ({
    recordId: t.exposeID('recordId', { description: 'The hub\'s internal source-record id (used by split and moveRecord).' }),
    entity: t.field({ type: EntityTypeEnum, resolve: (m) => m.entity as EntityType }),
    source: t.exposeString('source'),
    sourceId: t.exposeString('sourceId'),
    fromGoldenId: t.exposeID('fromGolden', { nullable: true, description: 'Null when the record was first attached.' }),
    toGoldenId: t.exposeID('toGolden', { nullable: true, description: 'Null when the record was detached (deleted in its source).' }),
    reason: t.string({ description: 'new, resolve (re-clustering, steward decisions included) or deleted.', resolve: (m) => m.reason }),
    movedAt: t.field({ type: 'DateTime', resolve: (m) => m.movedAt }),
  }),
});

builder.interfaceFields(GoldenRecordRef, (t) => ({
  history: t.field({
    type: [GoldenRecordVersionRef],
    description: 'Every version of this golden record, newest first, each with the attributes that changed.',
    authScopes: { read: true },
    args: { first: t.arg.int({ required: false, description: 'Only the newest n versions.' }) },
    resolve: async (r, args, context) => {
      const versions = await context.loaders.history.load(r.id);
      const views = versions.map((row, i) => ({ row, previous: versions[i + 1] ?? null }));
      return args.first !== null && args.first !== undefined ? views.slice(0, Math.max(0, args.first)) : views;
    },
  }),
  sourceRecordMoves: t.field({
    type: [SourceRecordMoveRef],
    description: 'Source records attached to or moved into or out of this golden record, oldest first.',
    authScopes: { read: true },
    resolve: (r, _args, context) => context.loaders.moves.load(r.id),
  }),
}));
