import type { Kysely } from 'kysely';
import type { DB } from '../db/schema';
import type { SubscriberView } from './subscriber.repository';

/** Actions on event subscribers recorded in the audit (`steward_audit.action`). */
export type SubscriberAuditAction = 'subscriber.add' | 'subscriber.update' | 'subscriber.remove' | 'subscriber.replay';

/** A subscriber as the audit keeps it: what the hub shows, never the secret. */
function auditView(s: SubscriberView | null | undefined): Record<string, unknown> | null {
  if (!s) return null;
  return { id: s.id, name: s.name, url: s.url, entities: s.entities, eventTypes: s.eventTypes, active: s.active };
}

/**
 * Records an administrative action on an event subscriber in `steward_audit`, next to the steward
 * actions: `entity` is `subscriber`, `golden_ids` is empty, `before` / `after` hold the subscriber
 * (never its secret) and, for a replay, what was queued again.
 *
 * @example
 * ```ts
 * await auditSubscriberAction(db, 'subscriber.update', { actor: 'ops (api key 3)', reason: 'new endpoint' }, before, after);
 * ```
 */
export async function auditSubscriberAction(
  db: Kysely<DB>,
  action: SubscriberAuditAction,
  who: { actor: string; reason?: string | null },
  before: SubscriberView | null | undefined,
  after: SubscriberView | null | undefined,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const afterView = after ? { ...auditView(after), ...extra } : Object.keys(extra).length > 0 ? extra : null;
  await db
    .insertInto('steward_audit')
    .values({
      action,
      entity: 'subscriber',
      golden_ids: [],
      actor: who.actor,
      reason: who.reason ?? null,
      before: before ? (JSON.stringify(auditView(before)) as never) : null,
      after: afterView ? (JSON.stringify(afterView) as never) : null,
    })
    .execute();
}
