import type { EntityType } from '../core/entities';
import { copyText } from '../db/bulk';
import type { Database } from '../db/database';
import type { GoldenAssignment } from './assign-golden-ids';

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
  /** Records whose golden record changes (new records included): record id -> golden id. */
  attach: Array<[recordId: string, goldenId: string]>;
  /** Records attached now that are no longer live (deleted at the source): detached. */
  detach: string[];
  assignment: GoldenAssignment;
  /** Golden ids whose membership changed (their version moves). */
  touched: string[];
  review: ReviewPairRow[];
}

export interface AppliedCounts {
  created: number;
  merged: number;
  retired: number;
  attached: number;
  detached: number;
  queued: number;
}

/**
 * Writes the outcome of a resolution in one transaction: new golden records, merges (losers
 * become redirects, and redirects to a loser follow it to the winner), retirements, cross-reference
 * changes, and the review queue (steward statuses are kept; pending pairs no longer proposed become
 * obsolete).
 */
export async function applyResolution(database: Database, changes: ResolutionChanges): Promise<AppliedCounts> {
  const { entity, assignment } = changes;
  return database.bulk(async (s) => {
    if (assignment.created.length > 0) {
      await s.copy(
        'golden_record',
        ['id', 'entity', 'split_from'],
        copyText(assignment.created.map((c) => [c.id, entity, c.splitFrom])),
      );
    }
    for (const { loser, winner } of assignment.merged) {
      await s.query(
        `UPDATE golden_record SET status = 'merged', merged_into = $2, version = version + 1, updated_at = now() WHERE id = $1`,
        [loser, winner],
      );
      await s.query(`UPDATE golden_redirect SET to_id = $2 WHERE to_id = $1`, [loser, winner]);
      await s.query(
        `INSERT INTO golden_redirect (from_id, to_id, reason) VALUES ($1, $2, 'merged')
         ON CONFLICT (from_id) DO UPDATE SET to_id = EXCLUDED.to_id`,
        [loser, winner],
      );
    }
    if (assignment.retired.length > 0) {
      await s.query(`UPDATE golden_record SET status = 'retired', version = version + 1, updated_at = now() WHERE id = ANY($1)`, [
        assignment.retired,
      ]);
    }
    if (changes.detach.length > 0) {
      await s.query(`DELETE FROM xref WHERE record_id = ANY($1::bigint[])`, [changes.detach]);
    }
    if (changes.attach.length > 0) {
      await s.query(`CREATE TEMP TABLE IF NOT EXISTS xref_stage (record_id bigint, golden_id text) ON COMMIT DELETE ROWS`);
      await s.copy('xref_stage', ['record_id', 'golden_id'], copyText(changes.attach));
      await s.query(
        `INSERT INTO xref (record_id, entity, source, source_id, golden_id)
         SELECT st.record_id, r.entity, r.source, r.source_id, st.golden_id
         FROM xref_stage st JOIN source_record r ON r.id = st.record_id
         ON CONFLICT (record_id) DO UPDATE SET golden_id = EXCLUDED.golden_id, attached_at = now()
         WHERE xref.golden_id <> EXCLUDED.golden_id`,
      );
    }
    const created = new Set(assignment.created.map((c) => c.id));
    const touched = changes.touched.filter((id) => !created.has(id));
    if (touched.length > 0) {
      await s.query(`UPDATE golden_record SET version = version + 1, updated_at = now() WHERE id = ANY($1) AND status = 'active'`, [
        touched,
      ]);
    }

    await s.query(`CREATE TEMP TABLE IF NOT EXISTS pair_stage (
      left_id bigint, right_id bigint, weight double precision, probability double precision,
      rule text, reason text, explanation jsonb) ON COMMIT DELETE ROWS`);
    if (changes.review.length > 0) {
      await s.copy(
        'pair_stage',
        ['left_id', 'right_id', 'weight', 'probability', 'rule', 'reason', 'explanation'],
        copyText(changes.review.map((p) => [p.left, p.right, p.weight, p.probability, p.rule, p.reason, JSON.stringify(p.explanation)])),
      );
    }
    // Priority: pairs nearest the middle of the review band are the most uncertain; the queue
    // shows them first (probability closest to 0.5).
    await s.query(
      `INSERT INTO match_pair (entity, left_record_id, right_record_id, weight, probability, blocking_rule, reason, explanation, priority)
       SELECT $1, left_id, right_id, weight, probability, rule, reason, explanation, 1 - abs(probability - 0.5) * 2
       FROM pair_stage
       ON CONFLICT ON CONSTRAINT match_pair_key DO UPDATE SET
         weight = EXCLUDED.weight, probability = EXCLUDED.probability, blocking_rule = EXCLUDED.blocking_rule,
         reason = EXCLUDED.reason, explanation = EXCLUDED.explanation, priority = EXCLUDED.priority, updated_at = now(),
         status = CASE WHEN match_pair.status = 'obsolete' THEN 'pending' ELSE match_pair.status END`,
      [entity],
    );
    await s.query(
      `UPDATE match_pair m SET status = 'obsolete', updated_at = now()
       WHERE m.entity = $1 AND m.status IN ('pending', 'deferred')
         AND NOT EXISTS (SELECT 1 FROM pair_stage p WHERE p.left_id = m.left_record_id AND p.right_id = m.right_record_id)`,
      [entity],
    );
    return {
      created: assignment.created.length,
      merged: assignment.merged.length,
      retired: assignment.retired.length,
      attached: changes.attach.length,
      detached: changes.detach.length,
      queued: changes.review.length,
    };
  });
}
