import { builder } from '../builder';
import type { GraphqlContext } from '../context';
import { limitExceeded } from '../errors';
import { type MergePreview, type MergePreviewResult, previewMerge, previewPairMerge } from '../merge-preview.service';
import { plainValue, redactPersonalAttributes } from '../pii';
import type { SourceRecordRow } from '../relationship.reader';
import { EntityTypeEnum } from './entity-type';
import { GoldenRecordRef } from './golden-record';
import { SourceRecordRef } from './match-queue';
import { InvalidRef, NotFoundRef } from './steward';

/*
 * mergePreview / mergePreviewForPair: the golden record a merge would produce, computed by the
 * same survivorship and id assignment the merge runs, without writing anything.
 */

interface LineageView {
  value: unknown;
  recordId: string | null;
  source: string;
  sourceId: string;
  strategy: string;
  reason: string | null;
}

interface CurrentValueView {
  goldenId: string;
  value: unknown;
  changed: boolean;
}

interface AttributeView {
  attribute: string;
  value: unknown;
  wonBy: LineageView[];
  current: CurrentValueView[];
  changed: boolean;
}

/** A preview as the caller may see it: personal attributes left out everywhere without `pii`. */
interface PreviewView extends MergePreview {
  visibleAttributes: Record<string, unknown>;
  redacted: string[];
}

type Stored = { value?: unknown; values?: Array<{ value: unknown; lineage: Record<string, unknown> }>; lineage?: Record<string, unknown> };

function lineageView(value: unknown, lineage: Record<string, unknown> | undefined): LineageView {
  return {
    value,
    recordId: (lineage?.recordId as string | null | undefined) ?? null,
    source: String(lineage?.source ?? ''),
    sourceId: String(lineage?.sourceId ?? ''),
    strategy: String(lineage?.strategy ?? ''),
    reason: (lineage?.reason as string | undefined) ?? null,
  };
}

function viewOf(preview: MergePreview, canSeePii: boolean): PreviewView {
  if (canSeePii) return { ...preview, visibleAttributes: preview.attributes, redacted: [] };
  // An attribute personal in the preview or in any current record is left out of all of them.
  const redacted = new Set(redactPersonalAttributes(preview.entity, preview.attributes).redacted);
  for (const c of preview.current) for (const name of redactPersonalAttributes(preview.entity, c.attributes ?? {}).redacted) redacted.add(name);
  const person = preview.entity === 'customer' && [preview.attributes, ...preview.current.map((c) => c.attributes ?? {})].some((a) => plainValue(a.kind) === 'person');
  if (person) redacted.add('name');
  const drop = (attributes: Record<string, unknown> | null) =>
    attributes === null ? null : Object.fromEntries(Object.entries(attributes).filter(([k]) => !redacted.has(k)));
  return {
    ...preview,
    visibleAttributes: drop(preview.attributes)!,
    current: preview.current.map((c) => ({ ...c, attributes: drop(c.attributes) })),
    changed: Object.fromEntries(Object.entries(preview.changed).map(([id, names]) => [id, names.filter((n) => !redacted.has(n))])),
    redacted: [...redacted].filter((n) => n in preview.attributes || preview.current.some((c) => c.attributes?.[n] !== undefined)).sort(),
  };
}

function attributeViews(p: PreviewView): AttributeView[] {
  const names = new Set(Object.keys(p.visibleAttributes));
  for (const c of p.current) for (const k of Object.keys(c.attributes ?? {})) names.add(k);
  return [...names].sort().map((attribute) => {
    const stored = p.visibleAttributes[attribute] as Stored | undefined;
    const wonBy = stored?.values
      ? stored.values.map((v) => lineageView(v.value, v.lineage))
      : stored && 'value' in stored ? [lineageView(stored.value, stored.lineage)] : [];
    const current = p.current.map((c) => ({
      goldenId: c.goldenId,
      value: c.attributes ? (plainValue(c.attributes[attribute]) ?? null) : null,
      changed: p.changed[c.goldenId]?.includes(attribute) ?? true,
    }));
    return { attribute, value: stored === undefined ? null : plainValue(stored), wonBy, current, changed: current.some((c) => c.changed) };
  });
}

const LineageRef = builder.objectRef<LineageView>('SurvivorshipLineage').implement({
  description: 'Where a golden value comes from: the source record and the survivorship rule that chose it (`pin`/`override` for a steward decision; an override has no record).',
  fields: (t) => ({
    value: t.field({ type: 'JSON', nullable: true, resolve: (l) => l.value ?? null }),
    recordId: t.id({ nullable: true, resolve: (l) => l.recordId }),
    source: t.exposeString('source'),
    sourceId: t.exposeString('sourceId'),
    strategy: t.exposeString('strategy', { description: 'sourcePriority, mostRecent, trustDecay, mostComplete, mostFrequent, onlyValue, tieBreak, aggregate, pin or override.' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const CurrentValueRef = builder.objectRef<CurrentValueView>('MergePreviewCurrentValue').implement({
  description: 'An attribute of one of the golden records as it is now, and whether the merge changes it.',
  fields: (t) => ({
    goldenId: t.exposeID('goldenId'),
    value: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.value ?? null }),
    changed: t.exposeBoolean('changed'),
  }),
});

const AttributeRef = builder.objectRef<AttributeView>('MergePreviewAttribute').implement({
  description: 'One attribute of the previewed golden record: its value, the source that wins it and the value each golden record has now.',
  fields: (t) => ({
    attribute: t.exposeString('attribute'),
    value: t.field({ type: 'JSON', nullable: true, description: 'The value after the merge (an array for multi-valued attributes); null when no member has one.', resolve: (a) => a.value ?? null }),
    wonBy: t.field({ type: [LineageRef], description: 'The winning source record per value (one per value of a multi-valued attribute).', resolve: (a) => a.wonBy }),
    current: t.field({ type: [CurrentValueRef], description: 'Per golden record being merged, in the order asked.', resolve: (a) => a.current }),
    changed: t.exposeBoolean('changed', { description: 'The merge changes the value of at least one of the golden records.' }),
  }),
});

const MergePreviewRef = builder.objectRef<PreviewView>('MergePreview').implement({
  description:
    'The golden record a merge would produce, computed without writing anything by the survivorship and id assignment the merge itself runs. A resolution run that at the same time changes members (new source data, another steward\'s decision) can give a different result.',
  fields: (t) => ({
    entity: t.field({ type: EntityTypeEnum, resolve: (p) => p.entity }),
    goldenIds: t.exposeIDList('goldenIds', { description: 'The golden records merged, without repeats, in the order asked.' }),
    survivorId: t.exposeID('survivorId', { description: 'The id that survives: the oldest golden record (see docs/golden-ids.md).' }),
    redirectedIds: t.exposeIDList('redirectedIds', { description: 'The ids that would redirect to the survivor.' }),
    attributes: t.field({ type: 'JSON', description: 'The attribute values after the merge, as GoldenRecord.attributes shows them.', resolve: (p) => Object.fromEntries(Object.keys(p.visibleAttributes).sort().map((k) => [k, plainValue(p.visibleAttributes[k])])) }),
    attributeLineage: t.field({ type: 'JSON', description: 'The attributes after the merge with their lineage and losing values, as GoldenRecord.attributeLineage shows them.', resolve: (p) => p.visibleAttributes }),
    redactedAttributes: t.stringList({ description: 'Personal attributes left out of this preview for lack of the `pii` scope.', resolve: (p) => p.redacted }),
    attributeChanges: t.field({
      type: [AttributeRef],
      description: 'Every attribute of the result or of a current golden record, by name, with the winning source and the current values.',
      complexity: { field: 1, multiplier: 5 },
      resolve: (p) => attributeViews(p),
    }),
    records: t.field({
      type: [GoldenRecordRef],
      description: 'The golden records being merged, as they are now.',
      resolve: async (p, _a, c) => (await Promise.all(p.goldenIds.map((id) => c.loaders.goldenRecord.load(id)))).filter((r) => r !== null),
    }),
    sourceRecords: t.field({
      type: [SourceRecordRef],
      description: 'The live source records the merged golden record would have.',
      complexity: { field: 1, multiplier: 5 },
      resolve: async (p, _a, c) => (await c.loaders.sourceRecord.loadMany(p.memberRecordIds)).filter((r): r is SourceRecordRow => r !== null && !(r instanceof Error)),
    }),
    blockedBy: t.exposeString('blockedBy', { nullable: true, description: 'Why the merge itself would be refused (a locked golden record); null when it would go ahead.' }),
    notes: t.exposeStringList('notes', { description: 'Steward pins and overrides that would not carry over (those of the redirected ids) or not apply.' }),
  }),
});

type Tagged = ({ __typename: 'MergePreview' } & PreviewView) | { __typename: 'NotFound' | 'Invalid'; message: string };

const MergePreviewResultRef = builder.unionType('MergePreviewResult', {
  description: 'A preview, or why there is none: NotFound (an unknown golden id or pair), Invalid (what the merge would refuse too).',
  types: [MergePreviewRef, NotFoundRef, InvalidRef] as never,
  resolveType: (value: unknown) => (value as { __typename: string }).__typename,
});

function tagged(result: MergePreviewResult, context: GraphqlContext): Tagged {
  switch (result.kind) {
    case 'success':
      return { __typename: 'MergePreview', ...viewOf(result.preview, context.canSeePii) };
    case 'notFound':
      return { __typename: 'NotFound', message: result.message };
    case 'invalid':
      return { __typename: 'Invalid', message: result.message };
  }
}

builder.queryFields((t) => ({
  mergePreview: t.field({
    type: MergePreviewResultRef as never,
    description:
      'The golden record merging these golden records would produce (survivorship preview), computed without writing anything. Personal attributes are left out without the `pii` scope, as in GoldenRecord.attributes.',
    authScopes: { read: true },
    args: { goldenIds: t.arg.idList({ required: true, description: 'Two or more active golden ids of one entity type.' }) },
    resolve: async (_root, args, context) => {
      const max = context.config.maxBatchSize;
      if (args.goldenIds.length > max) throw limitExceeded('batchSize', max, args.goldenIds.length, `mergePreview takes at most ${max} golden ids (got ${args.goldenIds.length})`);
      return tagged(await previewMerge(context.db, args.goldenIds.map(String)), context) as never;
    },
  }),
  mergePreviewForPair: t.field({
    type: MergePreviewResultRef as never,
    description: 'The merge preview of a match-queue pair: merging the golden records of its two source records (what decidePair MERGE does). Needs the `steward` scope, like the queue.',
    authScopes: { steward: true },
    args: { pairId: t.arg.id({ required: true }) },
    resolve: async (_root, args, context) => tagged(await previewPairMerge(context.db, String(args.pairId)), context) as never,
  }),
}));
