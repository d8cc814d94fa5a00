import { sql } from 'kysely';
import type { Database } from '../db/database';

export interface OutboxBacklogOptions {
  /** Not ready above this many undelivered events for one subscriber (default 100000; 0 turns the check off). */
  maxBacklog?: number;
}

export type BacklogCheck = { ok: true; backlog: number } | { ok: false; backlog: number; reason: string };

/** `MDM_READY_MAX_OUTBOX_BACKLOG`, default 100000. */
export function maxBacklogFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.MDM_READY_MAX_OUTBOX_BACKLOG ?? '');
  return env.MDM_READY_MAX_OUTBOX_BACKLOG !== undefined && Number.isInteger(value) && value >= 0 ? value : 100_000;
}

/**
 * The readiness part of event delivery: the backlog of the active subscriber furthest behind
 * (outbox events its fan-out has not read, plus its pending deliveries) must stay under a bound.
 * Counting stops at the bound, so the check costs the same however far behind a subscriber is.
 *
 * @example
 * ```ts
 * const check = await checkOutboxBacklog(database, { maxBacklog: 50_000 });
 * if (!check.ok) return c.json({ status: 'not-ready', reason: check.reason }, 503);
 * ```
 */
export async function checkOutboxBacklog(database: Database, options: OutboxBacklogOptions = {}): Promise<BacklogCheck> {
  const max = options.maxBacklog ?? maxBacklogFromEnv();
  if (max === 0) return { ok: true, backlog: 0 };
  const { rows } = await sql<{ backlog: number | null }>`
    SELECT max(
      (SELECT count(*) FROM (SELECT 1 FROM outbox o WHERE (o.tx_id, o.id) > (c.tx_id, c.outbox_id) LIMIT ${max + 1}) u) +
      (SELECT count(*) FROM (SELECT 1 FROM delivery d WHERE d.subscriber_id = s.id LIMIT ${max + 1}) p)
    )::int AS backlog
    FROM subscriber s JOIN subscriber_cursor c ON c.subscriber_id = s.id
    WHERE s.active`.execute(database.db);
  const backlog = rows[0]?.backlog ?? 0;
  if (backlog > max) return { ok: false, backlog, reason: `outbox backlog over ${max} events (a subscriber is behind; see \`mdm events status\`)` };
  return { ok: true, backlog };
}
