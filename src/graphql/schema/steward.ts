import type { StewardResult } from '../../golden-record/steward.service';
import {
  markNotAMatch,
  mergeGoldenRecords,
  moveRecord,
  pinAttribute,
  setLocked,
  splitGoldenRecord,
} from '../../golden-record/steward.service';
import type { ObjectRef, UnionRef } from '@pothos/core';
import { hasScope } from '../../auth/roles';
import { builder } from '../builder';
import type { GraphqlContext } from '../context';
import { clearLoaders } from '../loaders';
import { decidePair, deferPair, type MatchPairRow } from '../match-queue.service';
import { GoldenRecordRef } from './golden-record';
import { MatchPairRef } from './match-queue';

/*
 * Steward mutations. Each maps the service's `StewardResult` once, here, to a result union:
 * `<Action>Success | Conflict | NotFound | Forbidden | Invalid`.
 */

type Failure = { __typename: 'Conflict' | 'NotFound' | 'Forbidden' | 'Invalid'; message: string; goldenId?: string; expectedVersion?: number; currentVersion?: number };
type Tagged<T> = { __typename: string } & T;

const ConflictRef = builder.objectRef<Failure>('Conflict').implement({
  description: 'The golden record changed meanwhile (another version than expected), is locked, or is no longer active. Reload and try again.',
  fields: (t) => ({
    message: t.exposeString('message'),
    goldenId: t.id({ resolve: (f) => f.goldenId ?? '' }),
    expectedVersion: t.int({ resolve: (f) => f.expectedVersion ?? 0 }),
    currentVersion: t.int({ resolve: (f) => f.currentVersion ?? 0 }),
  }),
});
export const NotFoundRef = builder.objectRef<Failure>('NotFound').implement({
  description: 'A golden record, source record, match pair or event subscriber does not exist.',
  fields: (t) => ({ message: t.exposeString('message') }),
});
export const ForbiddenRef = builder.objectRef<Failure>('Forbidden').implement({
  description: 'The API key\'s role may not do this (steward actions need the steward or admin role, event subscriber administration the admin role).',
  fields: (t) => ({ message: t.exposeString('message') }),
});
export const InvalidRef = builder.objectRef<Failure>('Invalid').implement({
  description: 'The action cannot apply as asked (e.g. merging a record with itself, splitting off every record).',
  fields: (t) => ({ message: t.exposeString('message') }),
});

const FAILURE_REFS = [ConflictRef, NotFoundRef, ForbiddenRef, InvalidRef] as const;

function failure(r: Exclude<StewardResult, { kind: 'success' }>): Failure {
  switch (r.kind) {
    case 'conflict':
      return { __typename: 'Conflict', message: r.message, goldenId: r.goldenId, expectedVersion: r.expectedVersion, currentVersion: r.currentVersion };
    case 'notFound':
      return { __typename: 'NotFound', message: r.message };
    case 'invalid':
      return { __typename: 'Invalid', message: r.message };
  }
}

/** Forbidden unless the key has the steward scope. */
function forbiddenFor(context: GraphqlContext, action: string): Failure | null {
  if (hasScope(context.principal, 'steward')) return null;
  return { __typename: 'Forbidden', message: `the ${context.principal.role ?? 'anonymous'} role may not ${action}; a steward or admin key is needed` };
}

async function actor(context: GraphqlContext, reason: string | null | undefined) {
  return { actor: await context.actor(), reason: reason ?? undefined, correlationId: context.correlationId };
}

const record = async (context: GraphqlContext, id: string) => (await context.lookup(id))?.record ?? null;

/** Runs an action and maps its result: success objects get the success type name. */
async function run<T extends object>(context: GraphqlContext, action: string, successType: string, body: () => Promise<StewardResult<T>>): Promise<Tagged<T> | Failure> {
  const denied = forbiddenFor(context, action);
  if (denied) return denied;
  const result = await body();
  clearLoaders(context.loaders);
  if (result.kind !== 'success') return failure(result as Exclude<StewardResult, { kind: 'success' }>);
  const { kind: _kind, ...value } = result;
  return { __typename: successType, ...(value as T) };
}

type BuilderTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

function resultUnion<T>(name: string, success: ObjectRef<BuilderTypes, T>, description: string): UnionRef<BuilderTypes, Tagged<T> | Failure> {
  return builder.unionType(name, {
    description,
    types: [success, ...FAILURE_REFS] as never,
    resolveType: (value: unknown) => (value as { __typename: string }).__typename,
  }) as unknown as UnionRef<BuilderTypes, Tagged<T> | Failure>;
}

function versions(ids: readonly (string | number)[], expected: readonly number[] | null | undefined): Record<string, number> | Failure {
  if (!expected) return {};
  if (expected.length !== ids.length) return { __typename: 'Invalid', message: `expectedVersions has ${expected.length} entries for ${ids.length} golden ids; give one per id, in the same order` };
  return Object.fromEntries(ids.map((id, i) => [String(id), expected[i]]));
}

const isFailure = (v: unknown): v is Failure => typeof v === 'object' && v !== null && '__typename' in v;

const MergeSuccessRef = builder.objectRef<{ goldenId: string }>('MergeSuccess').implement({
  description: 'The golden records were merged; the oldest id survives and the others redirect to it.',
  fields: (t) => ({
    goldenId: t.exposeID('goldenId', { description: 'The surviving golden id.' }),
    record: t.field({ type: GoldenRecordRef, nullable: true, resolve: (s, _a, c) => record(c, s.goldenId) }),
  }),
});
const NotAMatchSuccessRef = builder.objectRef<{ goldenIds: string[] }>('NotAMatchSuccess').implement({
  description: 'The golden records stay apart in every later resolution (cannot-link); their queued pairs were closed.',
  fields: (t) => ({
    goldenIds: t.exposeIDList('goldenIds'),
    records: t.field({ type: [GoldenRecordRef], resolve: async (s, _a, c) => (await Promise.all(s.goldenIds.map((id) => record(c, id)))).filter((r) => r !== null) }),
  }),
});
const SplitSuccessRef = builder.objectRef<{ goldenId: string; newGoldenId: string }>('SplitSuccess').implement({
  description: 'The source records were split off into a new golden record (splitFrom names the original).',
  fields: (t) => ({
    goldenId: t.exposeID('goldenId', { description: 'The golden record that kept the remaining records.' }),
    newGoldenId: t.exposeID('newGoldenId', { description: 'The golden record of the records split off.' }),
    record: t.field({ type: GoldenRecordRef, nullable: true, resolve: (s, _a, c) => record(c, s.goldenId) }),
    newRecord: t.field({ type: GoldenRecordRef, nullable: true, resolve: (s, _a, c) => record(c, s.newGoldenId) }),
  }),
});
const MoveRecordSuccessRef = builder.objectRef<{ goldenId: string }>('MoveRecordSuccess').implement({
  description: 'The source record now belongs to the target golden record.',
  fields: (t) => ({
    goldenId: t.exposeID('goldenId'),
    record: t.field({ type: GoldenRecordRef, nullable: true, resolve: (s, _a, c) => record(c, s.goldenId) }),
  }),
});
const PinAttributeSuccessRef = builder.objectRef<{ goldenId: string }>('PinAttributeSuccess').implement({
  description: 'The attribute is pinned (a source record\'s value) or overridden (a typed value); it wins over survivorship.',
  fields: (t) => ({
    goldenId: t.exposeID('goldenId'),
    record: t.field({ type: GoldenRecordRef, nullable: true, resolve: (s, _a, c) => record(c, s.goldenId) }),
  }),
});
const LockSuccessRef = builder.objectRef<{ goldenId: string; locked: boolean }>('LockSuccess').implement({
  description: 'The golden record is locked against automatic change (or unlocked).',
  fields: (t) => ({
    goldenId: t.exposeID('goldenId'),
    locked: t.exposeBoolean('locked'),
    record: t.field({ type: GoldenRecordRef, nullable: true, resolve: (s, _a, c) => record(c, s.goldenId) }),
  }),
});
const DeferPairSuccessRef = builder.objectRef<{ pair: MatchPairRow }>('DeferPairSuccess').implement({
  description: 'The pair left the pending queue (status DEFERRED).',
  fields: (t) => ({ pair: t.field({ type: MatchPairRef, resolve: (s) => s.pair }) }),
});
const DecidePairSuccessRef = builder.objectRef<{ pair: MatchPairRow; goldenIds: string[] }>('DecidePairSuccess').implement({
  description: 'The pair was decided (status MERGED or REJECTED) and the decision applied.',
  fields: (t) => ({
    pair: t.field({ type: MatchPairRef, resolve: (s) => s.pair }),
    goldenIds: t.exposeIDList('goldenIds', { description: 'The resulting golden record (merge) or the two kept apart (not a match).' }),
    records: t.field({ type: [GoldenRecordRef], resolve: async (s, _a, c) => (await Promise.all(s.goldenIds.map((id) => record(c, id)))).filter((r) => r !== null) }),
  }),
});

const MergeResult = resultUnion('MergeResult', MergeSuccessRef, 'The outcome of merge.');
const NotAMatchResult = resultUnion('NotAMatchResult', NotAMatchSuccessRef, 'The outcome of notAMatch.');
const SplitResult = resultUnion('SplitResult', SplitSuccessRef, 'The outcome of split.');
const MoveRecordResult = resultUnion('MoveRecordResult', MoveRecordSuccessRef, 'The outcome of moveRecord.');
const PinAttributeResult = resultUnion('PinAttributeResult', PinAttributeSuccessRef, 'The outcome of pinAttribute.');
const LockResult = resultUnion('LockResult', LockSuccessRef, 'The outcome of lock.');
const DeferPairResult = resultUnion('DeferPairResult', DeferPairSuccessRef, 'The outcome of deferPair.');
const DecidePairResult = resultUnion('DecidePairResult', DecidePairSuccessRef, 'The outcome of decidePair.');

const PairDecisionEnum = builder.enumType('PairDecision', {
  values: {
    MERGE: { value: 'merge', description: 'The two records describe the same thing: merge their golden records.' },
    NOT_A_MATCH: { value: 'notAMatch', description: 'They do not: keep their golden records apart for good.' },
  } as const,
});


builder.mutationFields((t) => ({
  merge: t.field({
    type: MergeResult,
    description: 'Merges golden records (a must-link every later resolution respects). The oldest id survives; the others redirect to it.',
    args: {
      goldenIds: t.arg.idList({ required: true }),
      expectedVersions: t.arg.intList({ required: false, description: 'The versions you saw, one per golden id in the same order: Conflict when one changed meanwhile.' }),
      reason: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, context) => {
      const ids = args.goldenIds.map(String);
      const expected = versions(ids, args.expectedVersions);
      if (isFailure(expected) && !forbiddenFor(context, 'merge')) return expected;
      return run(context, 'merge golden records', 'MergeSuccess', async () =>
        mergeGoldenRecords(context.database, ids, await actor(context, args.reason), isFailure(expected) ? {} : expected),
      );
    },
  }),
  notAMatch: t.field({
    type: NotAMatchResult,
    description: 'Two golden records are not the same thing: they stay apart in every later resolution (cannot-link) and their queued pairs are closed.',
    args: {
      goldenIds: t.arg.idList({ required: true, description: 'Exactly two golden ids.' }),
      expectedVersions: t.arg.intList({ required: false }),
      reason: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, context) => {
      const ids = args.goldenIds.map(String);
      const expected = versions(ids, args.expectedVersions);
      const invalid = ids.length !== 2 ? ({ __typename: 'Invalid', message: `notAMatch takes exactly two golden ids (got ${ids.length})` } as Failure) : isFailure(expected) ? expected : null;
      if (invalid && !forbiddenFor(context, 'mark golden records as not a match')) return invalid;
      return run(context, 'mark golden records as not a match', 'NotAMatchSuccess', async () =>
        markNotAMatch(context.database, [ids[0], ids[1]], await actor(context, args.reason), isFailure(expected) ? {} : expected),
      );
    },
  }),
  split: t.field({
    type: SplitResult,
    description: 'Splits source records (by record id, see SourceRecord.recordId) out of a golden record into a new one.',
    args: {
      goldenId: t.arg.id({ required: true }),
      recordIds: t.arg.idList({ required: true }),
      expectedVersion: t.arg.int({ required: false }),
      reason: t.arg.string({ required: false }),
    },
    resolve: (_root, args, context) =>
      run(context, 'split golden records', 'SplitSuccess', async () =>
        splitGoldenRecord(context.database, String(args.goldenId), args.recordIds.map(String), await actor(context, args.reason), args.expectedVersion ?? undefined),
      ),
  }),
  moveRecord: t.field({
    type: MoveRecordResult,
    description: 'Moves one source record to another golden record.',
    args: {
      recordId: t.arg.id({ required: true }),
      toGoldenId: t.arg.id({ required: true }),
      expectedVersion: t.arg.int({ required: false, description: 'The version of the target golden record you saw.' }),
      reason: t.arg.string({ required: false }),
    },
    resolve: (_root, args, context) =>
      run(context, 'move source records', 'MoveRecordSuccess', async () =>
        moveRecord(context.database, String(args.recordId), String(args.toGoldenId), await actor(context, args.reason), args.expectedVersion ?? undefined),
      ),
  }),
  pinAttribute: t.field({
    type: PinAttributeResult,
    description: 'Pins a golden attribute to a member source record\'s value (recordId), or overrides it with a value (value); exactly one of the two.',
    args: {
      goldenId: t.arg.id({ required: true }),
      attribute: t.arg.string({ required: true }),
      recordId: t.arg.id({ required: false }),
      value: t.arg({ type: 'JSON', required: false }),
      expectedVersion: t.arg.int({ required: false }),
      reason: t.arg.string({ required: false }),
    },
    resolve: async (_root, args, context) => {
      const both = (args.recordId === null || args.recordId === undefined) === (args.value === null || args.value === undefined);
      if (both && !forbiddenFor(context, 'pin attributes')) return { __typename: 'Invalid', message: 'give exactly one of recordId (pin a record\'s value) or value (override)' } as Failure;
      return run(context, 'pin attributes', 'PinAttributeSuccess', async () =>
        pinAttribute(
          context.database,
          String(args.goldenId),
          args.attribute,
          args.recordId !== null && args.recordId !== undefined ? { recordId: String(args.recordId) } : { value: args.value },
          await actor(context, args.reason),
          args.expectedVersion ?? undefined,
        ),
      );
    },
  }),
  lock: t.field({
    type: LockResult,
    description: 'Locks a golden record against automatic change (resolution leaves its membership alone), or unlocks it.',
    args: {
      goldenId: t.arg.id({ required: true }),
      locked: t.arg.boolean({ required: true }),
      expectedVersion: t.arg.int({ required: false }),
      reason: t.arg.string({ required: false }),
    },
    resolve: (_root, args, context) =>
      run(context, 'lock golden records', 'LockSuccess', async () =>
        setLocked(context.database, String(args.goldenId), args.locked, await actor(context, args.reason), args.expectedVersion ?? undefined),
      ),
  }),
  deferPair: t.field({
    type: DeferPairResult,
    description: 'Puts a queued pair aside (status DEFERRED); it can still be decided later.',
    args: { pairId: t.arg.id({ required: true }), reason: t.arg.string({ required: false }) },
    resolve: (_root, args, context) =>
      run(context, 'work the match queue', 'DeferPairSuccess', async () => deferPair(context.database, String(args.pairId), await actor(context, args.reason))),
  }),
  decidePair: t.field({
    type: DecidePairResult,
    description: 'Decides a queued pair: MERGE merges the golden records of its two source records, NOT_A_MATCH keeps them apart for good.',
    args: {
      pairId: t.arg.id({ required: true }),
      decision: t.arg({ type: PairDecisionEnum, required: true }),
      reason: t.arg.string({ required: false }),
    },
    resolve: (_root, args, context) =>
      run(context, 'work the match queue', 'DecidePairSuccess', async () =>
        decidePair(context.database, String(args.pairId), args.decision, await actor(context, args.reason)),
      ),
  }),
}));
