import { type RawBuilder, sql } from 'kysely';
import type { EntityType } from '../core/entities';
import type { Database } from '../db/database';
import { executePrepared } from '../db/prepared';
import { goldenIdsOfKeys } from '../golden-record/resolution.repository';
import { modelsForRun } from '../golden-record/resolve.service';
import { blockingKeys } from '../matching/blocking';
import { modelFor } from '../matching/models';
import { prepareRecord, type PrepareContext, type PreparedRecord } from '../matching/prepare';
import { type CompiledModel, compileModel, type ExplanationRow, matchWeightToProbability, scorePair } from '../matching/scoring';

/**
 * The real-time duplicate probe: which golden records does a record with these attributes
 * (typed into a CRM screen, say) match? The attributes are standardized with the entity type's
 * prepare function, candidates are found through match keys (indexed SQL expressions over source
 * attributes, sql/0006_graphql.sql), each candidate source record is scored against the probe
 * with the entity's match model (`scorePair`, with explanation rows), and the golden records are
 * ranked by their best member's match probability. Nothing is stored.
 *
 * @example
 * ```ts
 * const found = await findMatchCandidates(database, { entity: 'customer', attributes: { name: 'Krüger GmbH', taxId: 'DE 811 234 567' } });
 * found.candidates[0]; // { goldenId, probability, weight, verdict: 'match', explanation: [...], ... }
 * ```
 */
export interface MatchProbe {
  entity: EntityType;
  attributes: Record<string, unknown>;
  /** Source system the probe's references (customerRef, productRef, ...) are ids of. */
  source?: string | null;
  /** Most golden records returned (default 10). */
  limit?: number;
  /** Lowest match probability returned; default: the model's review threshold. */
  minProbability?: number | null;
  /** Most candidate source records read per match key (default 200). */
  perKeyLimit?: number;
}

export type MatchVerdict = 'match' | 'possibleMatch' | 'noMatch';

export interface MatchCandidate {
  goldenId: string;
  /** The member source record that scored best. */
  recordId: string;
  source: string;
  sourceId: string;
  weight: number;
  probability: number;
  verdict: MatchVerdict;
  /** The model's blocking rule whose keys the probe and the record share, else `key:<match key>`. */
  blockingRule: string;
  /** The match keys (sql/0006) that found the record. */
  matchedOn: string[];
  model: string;
  explanation: ExplanationRow[];
}

export interface MatchCandidatesResult {
  model: string | null;
  /** How many source records the match keys found (before scoring). */
  scoredRecords: number;
  candidates: MatchCandidate[];
}

export interface KeySpec {
  name: string;
  /** SQL over source_record.attributes and the same over the probe's value(s). */
  attributes: string[];
  expression: (attributes: RawBuilder<unknown>[]) => RawBuilder<unknown>;
}

const attr = (name: string) => sql`attributes->>${sql.lit(name)}`;
const ident = (name: string): KeySpec => ({ name, attributes: [name], expression: ([v]) => sql`mdm_ident_key(${v})` });
const digits = (name: string): KeySpec => ({ name, attributes: [name], expression: ([v]) => sql`mdm_digits_key(${v})` });
const NAME_POSTAL: KeySpec = {
  name: 'postalCode+name',
  attributes: ['postalCode', 'name'],
  expression: ([postal, name]) => sql`(mdm_ident_key(${postal}), mdm_name_prefix(${name}))`,
};

/** The match keys per entity type; each is an expression index of sql/0006_graphql.sql. */
export const KEYS: Record<EntityType, KeySpec[]> = {
  customer: [
    ident('taxId'),
    digits('duns'),
    ident('nationalId'),
    { name: 'email', attributes: ['email'], expression: ([v]) => sql`mdm_email_key(${v})` },
    { name: 'phone', attributes: ['phone'], expression: ([v]) => sql`mdm_phone_key(${v})` },
    NAME_POSTAL,
  ],
  product: [digits('gtin'), ident('partNumber'), ident('manufacturerPartNumber')],
  serial: [{ name: 'serialNumber', attributes: ['serialNumber'], expression: ([v]) => sql`mdm_serial_key(${v})` }],
  asset: [{ name: 'serialNumber', attributes: ['serialNumber'], expression: ([v]) => sql`mdm_serial_key(${v})` }],
  contract: [ident('contractNumber')],
  location: [digits('gln'), NAME_POSTAL],
};

function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  return value.trim() === '' ? null : value;
}

/** The source records (live, attached to a golden record) that share a match key with the probe. */
export async function keyCandidates(
  database: Database,
  probe: MatchProbe,
  perKeyLimit: number,
): Promise<Array<{ id: string; source: string; sourceId: string; attributes: Record<string, unknown>; goldenId: string; keys: string[] }>> {
  const lookups: RawBuilder<unknown>[] = [];
  for (const spec of KEYS[probe.entity]) {
    const values = spec.attributes.map((a) => text(probe.attributes[a]));
    if (values.some((v) => v === null)) continue;
    const column = spec.expression(spec.attributes.map(attr));
    const param = spec.expression(values.map((v) => sql`${v}::text`));
    lookups.push(sql`(SELECT id, ${spec.name}::text AS key FROM source_record
      WHERE entity = ${probe.entity} AND NOT deleted AND ${column} = ${param} LIMIT ${perKeyLimit})`);
  }
  if (lookups.length === 0) return [];
  // One statement per set of keys the probe has (a few dozen at most), planned once per connection.
  const rows = await executePrepared(database.db, sql<{ id: string; source: string; source_id: string; attributes: Record<string, unknown>; golden_id: string; keys: string[] }>`
    SELECT s.id, s.source, s.source_id, s.attributes, x.golden_id, array_agg(DISTINCT k.key ORDER BY k.key) AS keys
    FROM (${sql.join(lookups, sql` UNION ALL `)}) k
    JOIN source_record s ON s.id = k.id
    JOIN xref x ON x.record_id = s.id
    GROUP BY s.id, s.source, s.source_id, s.attributes, x.golden_id
    ORDER BY s.id`);
  return rows.rows.map((r) => ({ id: String(r.id), source: r.source, sourceId: r.source_id, attributes: r.attributes, goldenId: r.golden_id, keys: r.keys }));
}

/**
 * Prepares records whose references resolve through cross-references: a first pass records the
 * references asked for, one query resolves them, a second pass prepares with the answers.
 */
async function prepareAll(database: Database, entity: EntityType, inputs: Array<{ source: string; sourceId: string; attributes: Record<string, unknown> }>): Promise<PreparedRecord[]> {
  const wanted = new Map<string, [string, string, string]>();
  const key = (e: string, source: string, id: string) => `${e}\u0000${source}\u0000${id}`;
  const recording: PrepareContext = {
    ref: (e, id, source) => {
      wanted.set(key(e, source, id), [e, source, id]);
      return null;
    },
  };
  inputs.forEach((input, i) => prepareRecord(entity, { id: i, ...input }, recording));
  // The probe without a source carries a placeholder source (with a NUL) that no reference resolves in.
  const asked = [...wanted.values()].filter(([, s, id]) => !s.includes('\u0000') && !id.includes('\u0000'));
  const resolved = asked.length > 0 ? await goldenIdsOfKeys(database.db, asked) : new Map<string, string>();
  const context: PrepareContext = { ref: (e, id, source) => resolved.get(key(e, source, id)) ?? null };
  return inputs.map((input, i) => prepareRecord(entity, { id: i, ...input }, context));
}

// Compiling a model takes longer than scoring a probe's candidates: compiled models are kept by
// their content (a retrained model is new content), at most a few dozen.
const compiledModels = new Map<string, CompiledModel>();

function compiledModel(model: Parameters<typeof compileModel>[0]): CompiledModel {
  const key = JSON.stringify(model);
  let compiled = compiledModels.get(key);
  if (!compiled) {
    compiled = compileModel(model);
    if (compiledModels.size >= 32) compiledModels.delete(compiledModels.keys().next().value!);
    compiledModels.set(key, compiled);
  }
  return compiled;
}

/** See `MatchProbe`. */
export async function findMatchCandidates(database: Database, probe: MatchProbe): Promise<MatchCandidatesResult> {
  const limit = probe.limit ?? 10;
  const models = await modelsForRun(database, probe.entity);
  const entry = modelFor(models, probe.attributes);
  if (!entry) return { model: null, scoredRecords: 0, candidates: [] };
  const found = await keyCandidates(database, probe, probe.perKeyLimit ?? 200);
  // Records under another model of the entity type (an organization for a person) are never compared.
  const comparable = found.filter((r) => modelFor(models, r.attributes)?.name === entry.name);
  const prepared = await prepareAll(database, probe.entity, [
    { source: probe.source ?? '\u0000probe', sourceId: '\u0000probe', attributes: probe.attributes },
    ...comparable.map((r) => ({ source: r.source, sourceId: r.sourceId, attributes: r.attributes })),
  ]);
  const compiled = compiledModel(entry.model);
  const minProbability = probe.minProbability ?? matchWeightToProbability(compiled.thresholds.review);
  const probeRecord = prepared[0];
  const probeKeys = entry.model.blocking.map((rule) => new Set(blockingKeys(probeRecord, rule)));

  const best = new Map<string, MatchCandidate>();
  comparable.forEach((r, i) => {
    const record = prepared[i + 1];
    const shared = entry.model.blocking.findIndex((rule, k) => blockingKeys(record, rule).some((key) => probeKeys[k].has(key)));
    const blockingRule = shared >= 0 ? entry.model.blocking[shared].name : `key:${r.keys[0]}`;
    const scored = scorePair(compiled, probeRecord, record, blockingRule);
    const hardNegative = scored.deterministic?.outcome === 'hardNegative';
    const verdict: MatchVerdict =
      !hardNegative && scored.weight >= compiled.thresholds.autoMerge ? 'match' : !hardNegative && scored.weight >= compiled.thresholds.review ? 'possibleMatch' : 'noMatch';
    const candidate: MatchCandidate = {
      goldenId: r.goldenId,
      recordId: r.id,
      source: r.source,
      sourceId: r.sourceId,
      weight: scored.weight,
      probability: scored.probability,
      verdict,
      blockingRule,
      matchedOn: r.keys,
      model: entry.name,
      explanation: scored.explanation,
    };
    const previous = best.get(r.goldenId);
    if (!previous || candidate.weight > previous.weight) best.set(r.goldenId, candidate);
  });
  const candidates = [...best.values()]
    .filter((c) => c.probability >= minProbability)
    .sort((a, b) => b.weight - a.weight || a.goldenId.localeCompare(b.goldenId))
    .slice(0, limit);
  return { model: entry.name, scoredRecords: comparable.length, candidates };
}
