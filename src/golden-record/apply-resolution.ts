import type { EntityType } from '../core/entities';
import type { TermFrequencyTable } from '../matching/scoring/term-frequency';
import type { BulkSession, Cell } from '../db/bulk';
import type { Database } from '../db/database';
import type { GoldenAssignment } from './assign-golden-ids';
import type { GoldenChanges, GoldenWrite } from './golden-changes';

export interface ReviewPairRow {
  left: string;
  right: string;
  weight: number;
  probability: number;
  rule: string | null;
  reason: string;
  explanation: unknown[];
}

export interface ResolutionChanges {
  entity: EntityType;
  changes: GoldenChanges;
  assignment: GoldenAssignment;
  review: ReviewPairRow[];
  /** Records whose references to other records are rewritten (all live records of a full run). */
  linkRecords: string[];
  links: Array<[recordId: string, relation: string, targetEntity: string, targetSource: string, targetSourceId: string]>;
  correlationId?: string | null;
  /** The correlation id of each golden record's events, when they differ (real-time resolution). */
  correlationOf?: (goldenId: string) => string | null;
  /**
   * Records whose review pairs this resolution decides (a real-time neighbourhood); pending pairs
   * of other records are left alone. Default: every record of the entity type (a full run).
   */
  reviewScope?: string[];
  /**
   * Source and source id of a live record of the entity type (a batch run knows them all): a large
   * resolution then copies new cross-references and moves straight into their tables.
   */
  recordKey?: (recordId: string) => readonly [source: string, sourceId: string] | undefined;
  /**
   * Rows at or under which staged rows travel as JSON parameters (default 200); above it, COPY
   * and temporary tables. Both write the same rows; tests set it to exercise one or the other.
   */
  inlineRows?: number;
  /** Called at the end of each write step, for profiling. */
  onPhase?: (phase: string) => void;
  /**
   * A full run's frequency tables per model, stored for later real-time resolution (`term_frequency`,
   * values occurring at least twice), replacing those of every model named in `models`.
   */
  frequencies?: { models: readonly string[]; tables: Readonly<Record<string, Record<string, TermFrequencyTable>>> };
}

export interface AppliedCounts {
  created: number;
  merged: number;
  retired: number;
  updated: number;
  attached: number;
  detached: number;
  queued: number;
  events: number;
}

/** Rows at or under which staged rows travel as a JSON parameter instead of a temporary table. */
const INLINE_ROWS = 200;

/** A write's golden attributes: computed ones, or those of a new golden record computed now (`GoldenWrite.survive`). */
const attributesOf = (w: GoldenWrite): Record<string, unknown> | null => w.attributes ?? w.survive?.() ?? null;

const serialized = (attributes: Record<string, unknown> | null): string | null => (attributes === null ? null : JSON.stringify(attributes));

/** COPY of many rows, each encoded only when it is sent (see `BulkSession.copyRows`). */
function copyMapped<T>(session: BulkSession, table: string, columns: readonly string[], rows: readonly T[], cells: (row: T) => Cell[]): Promise<void> {
  if (rows.length === 0) return Promise.resolve(); // no round trip for nothing
  return session.copyRows(table, columns, mapped(rows, cells));
}

function* mapped<T, U>(rows: readonly T[], map: (row: T) => U): Generator<U> {
  for (const row of rows) yield map(row);
}

type StageName = 'golden_stage' | 'xref_stage' | 'move_stage' | 'pair_stage';

const STAGES: Record<StageName, Array<[column: string, type: string]>> = {
  golden_stage: [['id', 'text'], ['version', 'integer'], ['status', 'text'], ['merged_into', 'text'], ['split_from', 'text'], ['attributes', 'jsonb'], ['members', 'jsonb'], ['change', 'text'], ['created', 'boolean']],
  xref_stage: [['record_id', 'bigint'], ['golden_id', 'text']],
  move_stage: [['record_id', 'bigint'], ['from_golden', 'text'], ['to_golden', 'text'], ['reason', 'text']],
  pair_stage: [['left_id', 'bigint'], ['right_id', 'bigint'], ['weight', 'double precision'], ['probability', 'double precision'], ['rule', 'text'], ['reason', 'text'], ['explanation', 'jsonb']],
};

/**
 * Staged rows for set-based statements. A large resolution (a batch run) copies them into
 * temporary tables, analyzed so the planner knows their size (a pair_stage index keeps the
 * obsolete-pairs anti-join cheap whatever the statistics of match_pair say). A small one (real-time
 * resolution, a steward action) passes them as one JSON parameter per statement: a transaction
 * that touches no temporary table skips the truncation of every ON COMMIT DELETE ROWS table the
 * connection holds, which costs file operations at each commit.
 */
class Stager {
  /** Inline: each stage's rows as JSON text. */
  private readonly rows = new Map<StageName, string>();
  constructor(private readonly session: BulkSession, readonly inline: boolean) {}

  async stage(name: StageName, rows: Array<Record<string, unknown>>): Promise<void> {
    if (this.inline) {
      // Serialized once, however many statements read the rows.
      this.rows.set(name, JSON.stringify(rows));
      return;
    }
    const columns = STAGES[name];
    await this.session.query(`CREATE TEMP TABLE IF NOT EXISTS ${name} (${columns.map(([c, t]) => `${c} ${t}`).join(', ')}) ON COMMIT DELETE ROWS`);
    if (name === 'pair_stage') await this.session.query('CREATE INDEX IF NOT EXISTS pair_stage_key ON pair_stage (left_id, right_id)');
    await copyMapped(this.session, name, columns.map(([c]) => c), rows, (r) => columns.map(([c, t]) => (t === 'jsonb' && r[c] != null ? JSON.stringify(r[c]) : (r[c] as Cell))));
    await this.session.query(`ANALYZE ${name}`);
  }

  /** Runs a statement whose `{stage_name}` placeholders name staged rows. */
  query(text: string, params: unknown[] = []): Promise<unknown[]> {
    const all = [...params];
    const sqlText = text.replace(/\{(golden_stage|xref_stage|move_stage|pair_stage)\}/g, (_, name: StageName) => {
      if (!this.inline) return name;
      all.push(this.rows.get(name) ?? '[]');
      return `jsonb_to_recordset($${all.length}::jsonb) AS ${name}(${STAGES[name].map(([c, t]) => `${c} ${t}`).join(', ')})`;
    });
    return this.session.query(sqlText, all);
  }
}

const pairRow = (p: ReviewPairRow) => ({
  left_id: p.left, right_id: p.right, weight: p.weight, probability: p.probability, rule: p.rule, reason: p.reason, explanation: p.explanation,
});

/** Priority: pairs nearest the middle of the review band are the most uncertain; the queue shows them first (probability closest to 0.5). */
const priorityOf = (probability: number) => 1 - Math.abs(probability - 0.5) * 2;

const UPSERT_PAIRS = `INSERT INTO match_pair (entity, left_record_id, right_record_id, weight, probability, blocking_rule, reason, explanation, priority)
  SELECT $1, left_id, right_id, weight, probability, rule, reason, explanation, 1 - abs(probability - 0.5) * 2
  FROM {pair_stage}
  ON CONFLICT ON CONSTRAINT match_pair_key DO UPDATE SET
    weight = EXCLUDED.weight, probability = EXCLUDED.probability, blocking_rule = EXCLUDED.blocking_rule,
    reason = EXCLUDED.reason, explanation = EXCLUDED.explanation, priority = EXCLUDED.priority, updated_at = now(),
    status = CASE WHEN match_pair.status = 'obsolete' THEN 'pending' ELSE match_pair.status END`;

/**
 * The review queue of a whole entity type (a batch run), written as the staged statements would
 * write it, with the pairs the queue does not hold yet copied straight into match_pair: the
 * stored pairs of the entity type are read first (under the entity lock), pairs among them are
 * updated through pair_stage, and pending or deferred ones no longer proposed become obsolete by id.
 */
async function writeReviewQueue(session: BulkSession, s: Stager, entity: EntityType, review: readonly ReviewPairRow[]): Promise<void> {
  const stored = await session.query<{ id: string; left_record_id: string; right_record_id: string; status: string }>(
    `SELECT id, left_record_id, right_record_id, status FROM match_pair WHERE entity = $1`,
    [entity],
  );
  const known = new Map<string, { id: string; status: string }>();
  for (const r of stored) known.set(`${r.left_record_id}:${r.right_record_id}`, r);
  const proposed = new Set<string>();
  const fresh: ReviewPairRow[] = [];
  const again: ReviewPairRow[] = [];
  for (const p of review) {
    const key = `${p.left}:${p.right}`;
    proposed.add(key);
    (known.has(key) ? again : fresh).push(p);
  }
  await copyMapped(
    session,
    'match_pair',
    ['entity', 'left_record_id', 'right_record_id', 'weight', 'probability', 'blocking_rule', 'reason', 'explanation', 'priority'],
    fresh,
    (p) => [entity, p.left, p.right, p.weight, p.probability, p.rule, p.reason, JSON.stringify(p.explanation), priorityOf(p.probability)],
  );
  if (again.length > 0) {
    await s.stage('pair_stage', again.map(pairRow));
    await s.query(UPSERT_PAIRS, [entity]);
  }
  const obsolete: string[] = [];
  for (const [key, r] of known) if ((r.status === 'pending' || r.status === 'deferred') && !proposed.has(key)) obsolete.push(String(r.id));
  for (let i = 0; i < obsolete.length; i += 10_000) {
    await session.query(`UPDATE match_pair SET status = 'obsolete', updated_at = now() WHERE id = ANY($1::bigint[])`, [obsolete.slice(i, i + 10_000)]);
  }
}

/**
 * Writes the outcome of a resolution in one transaction: golden records (new ones, new versions
 * with their history rows, merges with redirects that follow the loser to the winner, retirements),
 * cross-reference changes and their moves, links between records, the change events (outbox), and
 * the review queue (steward statuses are kept; pending pairs no longer proposed become obsolete).
 */
export async function applyResolution(database: Database, input: ResolutionChanges): Promise<AppliedCounts> {
  const { entity, assignment, changes } = input;
  const inline = Math.max(changes.writes.length, changes.attach.length, changes.moves.length, input.review.length) <= (input.inlineRows ?? INLINE_ROWS);
  return database.bulk(async (session) => {
    const s = new Stager(session, inline);
    const phase = (name: string) => input.onPhase?.(`write: ${name}`);
    if (!inline) await session.query(`SET LOCAL work_mem = '64MB'`); // hash joins of staged rows stay in memory
    // A large resolution copies new golden records and their first history rows straight into
    // their tables (a new id has no row yet; the same rows the staged statements below write).
    const direct = inline ? [] : changes.writes.filter((w) => w.created);
    const staged = inline ? changes.writes : changes.writes.filter((w) => !w.created);
    if (direct.length > 0) {
      // Each attribute set is serialized once: the history rows are copied from the new golden records.
      await copyMapped(session, 'golden_record', ['id', 'entity', 'split_from', 'version', 'attributes'], direct, (w) => [
        w.id, entity, w.splitFrom, w.version, serialized(attributesOf(w)),
      ]);
      await session.query(
        `INSERT INTO golden_history (golden_id, version, entity, status, merged_into, attributes, members, change)
         SELECT n.id, g.version, g.entity, n.status, n.merged_into, g.attributes, n.members, n.change
         FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[], $5::text[]) AS n(id, status, merged_into, members, change)
         JOIN golden_record g ON g.id = n.id`,
        [direct.map((w) => w.id), direct.map((w) => w.status), direct.map((w) => w.mergedInto), direct.map((w) => JSON.stringify(w.members)), direct.map((w) => w.change)],
      );
    }
    if (staged.length > 0) {
      await s.stage('golden_stage', staged.map((w) => ({
        id: w.id, version: w.version, status: w.status, merged_into: w.mergedInto, split_from: w.splitFrom,
        attributes: attributesOf(w), members: w.members, change: w.change, created: w.created,
      })));
      if (inline) {
        // A few rows (a real-time resolution, a steward action): one statement, the rows sent once.
        await s.query(
          `WITH st AS MATERIALIZED (SELECT * FROM {golden_stage}),
           ins AS (
             INSERT INTO golden_record (id, entity, split_from, version, attributes)
             SELECT id, $1, split_from, version, attributes FROM st WHERE created
             RETURNING id, attributes),
           upd AS (
             UPDATE golden_record g SET version = st.version, status = st.status, merged_into = st.merged_into,
               attributes = COALESCE(st.attributes, g.attributes), updated_at = now()
             FROM st WHERE g.id = st.id AND NOT st.created
             RETURNING g.id, g.attributes),
           closed AS (
             UPDATE golden_history h SET valid_to = now() FROM st WHERE h.golden_id = st.id AND NOT st.created AND h.valid_to IS NULL)
           INSERT INTO golden_history (golden_id, version, entity, status, merged_into, attributes, members, change)
           SELECT st.id, st.version, $1, st.status, st.merged_into, w.attributes, st.members, st.change
           FROM st JOIN (SELECT id, attributes FROM ins UNION ALL SELECT id, attributes FROM upd) w ON w.id = st.id`,
          [entity],
        );
      } else {
        // Staged rows of a large resolution are new versions of stored golden records (new ones were copied above).
        await s.query(
          `UPDATE golden_record g SET version = s.version, status = s.status, merged_into = s.merged_into,
             attributes = COALESCE(s.attributes, g.attributes), updated_at = now()
           FROM (SELECT * FROM {golden_stage}) s WHERE g.id = s.id`,
        );
        await s.query(
          `UPDATE golden_history h SET valid_to = now() FROM (SELECT id FROM {golden_stage}) s WHERE h.golden_id = s.id AND h.valid_to IS NULL`,
        );
        await s.query(
          `INSERT INTO golden_history (golden_id, version, entity, status, merged_into, attributes, members, change)
           SELECT s.id, s.version, $1, s.status, s.merged_into, g.attributes, s.members, s.change
           FROM (SELECT * FROM {golden_stage}) s JOIN golden_record g ON g.id = s.id`,
          [entity],
        );
      }
    }
    if (changes.writes.length > 0) {
      phase(`golden records and history (${changes.writes.length})`);
    }
    for (const { loser, winner } of assignment.merged) {
      await session.query(`UPDATE golden_redirect SET to_id = $2 WHERE to_id = $1`, [loser, winner]);
      await session.query(
        `INSERT INTO golden_redirect (from_id, to_id, reason) VALUES ($1, $2, 'merged')
         ON CONFLICT (from_id) DO UPDATE SET to_id = EXCLUDED.to_id`,
        [loser, winner],
      );
    }
    if (changes.detach.length > 0) {
      await session.query(`DELETE FROM xref WHERE record_id = ANY($1::bigint[])`, [changes.detach]);
    }
    // New cross-references (the record had none: `attachments` was read under the entity lock)
    // and moves of records whose key is known are copied; the others go through staged statements.
    const keyOf = !inline && input.recordKey ? input.recordKey : () => undefined;
    const fresh = new Set<string>();
    for (const m of changes.moves) if (m.reason === 'new' && m.from === null && keyOf(m.recordId)) fresh.add(m.recordId);
    const copiedAttach = changes.attach.filter(([recordId]) => fresh.has(recordId));
    const stagedAttach = fresh.size === 0 ? changes.attach : changes.attach.filter(([recordId]) => !fresh.has(recordId));
    if (copiedAttach.length > 0) {
      await copyMapped(session, 'xref', ['record_id', 'entity', 'source', 'source_id', 'golden_id'], copiedAttach, ([recordId, goldenId]) => {
        const [source, sourceId] = keyOf(recordId)!;
        return [recordId, entity, source, sourceId, goldenId];
      });
    }
    if (stagedAttach.length > 0) {
      await s.stage('xref_stage', stagedAttach.map(([recordId, goldenId]) => ({ record_id: recordId, golden_id: goldenId })));
      await s.query(
        `INSERT INTO xref (record_id, entity, source, source_id, golden_id)
         SELECT st.record_id, r.entity, r.source, r.source_id, st.golden_id
         FROM (SELECT * FROM {xref_stage}) st JOIN source_record r ON r.id = st.record_id
         ON CONFLICT (record_id) DO UPDATE SET golden_id = EXCLUDED.golden_id, attached_at = now()
         WHERE xref.golden_id <> EXCLUDED.golden_id`,
      );
    }
    phase(`redirects and cross-references (${changes.attach.length})`);
    if (changes.moves.length > 0) {
      const copiedMoves = changes.moves.filter((m) => keyOf(m.recordId));
      const stagedMoves = changes.moves.filter((m) => !keyOf(m.recordId));
      await copyMapped(session, 'xref_move', ['record_id', 'entity', 'source', 'source_id', 'from_golden', 'to_golden', 'reason'], copiedMoves, (m) => {
        const [source, sourceId] = keyOf(m.recordId)!;
        return [m.recordId, entity, source, sourceId, m.from, m.to, m.reason];
      });
      if (stagedMoves.length > 0) {
        await s.stage('move_stage', stagedMoves.map((m) => ({ record_id: m.recordId, from_golden: m.from, to_golden: m.to, reason: m.reason })));
        await s.query(
          `INSERT INTO xref_move (record_id, entity, source, source_id, from_golden, to_golden, reason)
           SELECT m.record_id, r.entity, r.source, r.source_id, m.from_golden, m.to_golden, m.reason
           FROM (SELECT * FROM {move_stage}) m JOIN source_record r ON r.id = m.record_id`,
        );
      }
      phase(`moves (${changes.moves.length})`);
    }
    if (input.linkRecords.length > 0) {
      await session.query(`DELETE FROM record_link WHERE record_id = ANY($1::bigint[])`, [input.linkRecords]);
      if (input.links.length > 0) {
        await copyMapped(session, 'record_link', ['record_id', 'relation', 'target_entity', 'target_source', 'target_source_id'], input.links, (l) => l);
      }
      phase(`record links (${input.links.length})`);
    }
    if (changes.events.length > 0) {
      await copyMapped(
        session,
        'outbox',
        ['event_type', 'entity', 'golden_id', 'golden_version', 'payload', 'correlation_id'],
        changes.events,
        (e) => [e.type, entity, e.goldenId, e.version, JSON.stringify(e.payload), input.correlationOf?.(e.goldenId) ?? input.correlationId ?? null],
      );
      phase(`outbox (${changes.events.length})`);
    }

    if (!inline && !input.reviewScope) await writeReviewQueue(session, s, entity, input.review);
    else {
      await s.stage('pair_stage', input.review.map(pairRow));
      if (input.review.length > 0) await s.query(UPSERT_PAIRS, [entity]);
      if (input.reviewScope) {
        if (input.reviewScope.length > 0) await s.query(
          `UPDATE match_pair m SET status = 'obsolete', updated_at = now()
           WHERE m.entity = $1 AND m.status IN ('pending', 'deferred')
             AND m.left_record_id = ANY($2::bigint[]) AND m.right_record_id = ANY($2::bigint[])
             AND NOT EXISTS (SELECT 1 FROM {pair_stage} WHERE pair_stage.left_id = m.left_record_id AND pair_stage.right_id = m.right_record_id)`,
          [entity, input.reviewScope],
        );
      } else {
        await s.query(
          `UPDATE match_pair m SET status = 'obsolete', updated_at = now()
           WHERE m.entity = $1 AND m.status IN ('pending', 'deferred')
             AND NOT EXISTS (SELECT 1 FROM {pair_stage} WHERE pair_stage.left_id = m.left_record_id AND pair_stage.right_id = m.right_record_id)`,
          [entity],
        );
      }
    }
    phase(`review pairs (${input.review.length})`);
    if (input.frequencies) {
      await session.query('DELETE FROM term_frequency WHERE model = ANY($1::text[])', [[...input.frequencies.models]]);
      const { tables } = input.frequencies;
      await session.copyRows('term_frequency', ['model', 'key', 'value', 'count'], (function* () {
        for (const [model, byKey] of Object.entries(tables)) {
          for (const [key, table] of Object.entries(byKey)) for (const [value, count] of table.counts) if (count >= 2) yield [model, key, value, count];
        }
      })());
      phase('value frequencies');
    }
    return {
      created: assignment.created.length,
      merged: assignment.merged.length,
      retired: assignment.retired.length,
      updated: changes.writes.filter((w) => !w.created && w.status === 'active').length,
      attached: changes.attach.length,
      detached: changes.detach.length,
      queued: input.review.length,
      events: changes.events.length,
    };
  });
}
