import type { EntityType } from '../../core/entities';
import { builder } from '../builder';
import { badUserInput, limitExceeded } from '../errors';
import { findMatchCandidates, type MatchCandidate } from '../match-candidates.service';
import { EntityTypeEnum } from './entity-type';
import { ExplanationRowRef, explanationViews } from './explanation';
import { GoldenRecordRef } from './golden-record';

const MAX_CANDIDATES = 50;

const MatchVerdictEnum = builder.enumType('MatchVerdict', {
  values: {
    MATCH: { value: 'match', description: 'At or above the model\'s auto-merge threshold: resolution would merge it.' },
    POSSIBLE_MATCH: { value: 'possibleMatch', description: 'Between the review and auto-merge thresholds: a steward would be asked.' },
    NO_MATCH: { value: 'noMatch', description: 'Below the review threshold, or conflicting identifiers (hard negative).' },
  } as const,
});

const MatchCandidateRef = builder.objectRef<MatchCandidate & { canSeePii: boolean }>('MatchCandidate').implement({
  description: 'A golden record the probed attributes may describe, with the explanation of its best-scoring source record.',
  fields: (t) => ({
    goldenId: t.exposeID('goldenId'),
    record: t.field({
      type: GoldenRecordRef,
      nullable: true,
      resolve: async (c, _args, context) => (await context.lookup(c.goldenId))?.record ?? null,
    }),
    probability: t.exposeFloat('probability', { description: 'Match probability of the best member record (0..1).' }),
    weight: t.exposeFloat('weight', { description: 'Match weight in bits (the sum of the explanation rows).' }),
    verdict: t.field({ type: MatchVerdictEnum, resolve: (c) => c.verdict }),
    source: t.exposeString('source', { description: 'Source of the member record that scored best.' }),
    sourceId: t.exposeString('sourceId'),
    blockingRule: t.exposeString('blockingRule', {
      description: 'The model\'s blocking rule whose keys the probe and the record share (`key:<name>` when only the lookup key did).',
    }),
    matchedOn: t.exposeStringList('matchedOn', { description: 'The lookup keys that found the record (taxId, duns, email, phone, postalCode+name, gtin, serialNumber, ...).' }),
    model: t.exposeString('model', { description: 'The match model that scored it.' }),
    explanation: t.field({
      type: [ExplanationRowRef],
      complexity: { field: 1, multiplier: 15 },
      resolve: (c) => explanationViews(c.explanation, { canSeePii: c.canSeePii, model: c.model }),
    }),
  }),
});

interface MatchCandidatesView {
  model: string | null;
  scoredRecords: number;
  candidates: Array<MatchCandidate & { canSeePii: boolean }>;
}

const MatchCandidatesResultRef = builder.objectRef<MatchCandidatesView>('MatchCandidatesResult').implement({
  description: 'The answer of the duplicate probe.',
  fields: (t) => ({
    model: t.exposeString('model', { nullable: true, description: 'The match model the probe fell under (null: none applies).' }),
    scoredRecords: t.exposeInt('scoredRecords', { description: 'Source records found through the lookup keys and scored.' }),
    candidates: t.field({ type: [MatchCandidateRef], description: 'Golden records, best first.', resolve: (r) => r.candidates }),
  }),
});

builder.queryFields((t) => ({
  matchCandidates: t.field({
    type: MatchCandidatesResultRef,
    description:
      'Real-time duplicate check: which golden records match a record with these attributes? The attributes (canonical names, e.g. {"name": "Krüger GmbH", "taxId": "DE811234567", "postalCode": "70565"}) are standardized like source records, candidates are found through indexed match keys, scored with the entity\'s match model and ranked by probability. Nothing is stored.',
    authScopes: { read: true },
    args: {
      entity: t.arg({ type: EntityTypeEnum, required: true }),
      attributes: t.arg({ type: 'JSON', required: true, description: 'Canonical attributes of the record to check.' }),
      source: t.arg.string({ required: false, description: 'Source system of the ids in references (customerRef, productRef, ...), so they resolve to golden records.' }),
      limit: t.arg.int({ required: false, defaultValue: 10, description: `Most candidates (at most ${MAX_CANDIDATES}).` }),
      minProbability: t.arg.float({ required: false, description: 'Lowest probability returned (default: the model\'s review threshold; 0 returns every scored candidate).' }),
    },
    complexity: (args) => ({ field: 10, multiplier: Math.max(1, args.limit ?? 10) }),
    resolve: async (_root, args, context) => {
      const attributes = args.attributes;
      if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) {
        throw badUserInput('attributes must be a JSON object of canonical attributes, e.g. {"name": "Krüger GmbH", "postalCode": "70565"}', 'attributes');
      }
      const limit = args.limit ?? 10;
      if (limit < 0) throw badUserInput('limit must be 0 or more', 'limit');
      if (limit > MAX_CANDIDATES) throw limitExceeded('pageSize', MAX_CANDIDATES, limit, `limit may be at most ${MAX_CANDIDATES} (got ${limit})`);
      const result = await findMatchCandidates(context.database, {
        entity: args.entity as EntityType,
        attributes: attributes as Record<string, unknown>,
        source: args.source,
        limit,
        minProbability: args.minProbability,
      });
      return { ...result, candidates: result.candidates.map((c) => ({ ...c, canSeePii: context.canSeePii })) };
    },
  }),
}));
