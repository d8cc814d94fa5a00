import type { Generated, Kysely } from 'kysely';
import type { DB } from '../db/schema';

/** Kysely types of the delivery tables (sql/0008_delivery.sql). */
export interface SubscriberTable {
  id: Generated<string>;
  name: string;
  url: string;
  entities: string[] | null;
  event_types: string[] | null;
  secret: string;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface SubscriberCursorTable {
  subscriber_id: string;
  /** xid8, as text. */
  tx_id: string;
  outbox_id: string;
  /** pg_snapshot, as text: events visible in it were committed before the subscriber was added (sql/0012). */
  start_snapshot: string | null;
  updated_at: Generated<Date>;
}

export interface DeliveryTable {
  subscriber_id: string;
  outbox_id: string;
  golden_id: string;
  golden_version: number;
  event_created_at: Date;
  attempts: Generated<number>;
  next_attempt_at: Generated<Date>;
  claimed_by: string | null;
  claimed_until: Date | null;
  last_status: number | null;
  last_error: string | null;
  replayed: Generated<boolean>;
  queued_at: Generated<Date>;
}

export interface DeadLetterTable {
  subscriber_id: string;
  outbox_id: string;
  golden_id: string;
  golden_version: number;
  event_created_at: Date;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  failed_at: Generated<Date>;
}

export type DeliveryTables = {
  subscriber: SubscriberTable;
  subscriber_cursor: SubscriberCursorTable;
  delivery: DeliveryTable;
  dead_letter: DeadLetterTable;
};

export type DeliveryDB = DB & DeliveryTables;

/** The hub's Kysely handle widened with the delivery tables (the shared `DB` type does not list them). */
export function deliveryDb(db: Kysely<DB>): Kysely<DeliveryDB> {
  return db.withTables<DeliveryTables>();
}
