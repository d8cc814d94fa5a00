import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema';
import { deliveryDb } from './delivery-schema';
import { outboxHorizon } from './delivery.repository';

/** A subscriber as the hub shows it: never with its secret. */
export interface SubscriberView {
  id: string;
  name: string;
  url: string;
  /** null: every entity type. */
  entities: string[] | null;
  /** null: every event type. */
  eventTypes: string[] | null;
  active: boolean;
  createdAt: Date;
}

/** A subscriber with its stored (sealed) secret, for the dispatcher only. */
export interface SubscriberRow extends SubscriberView {
  sealedSecret: string;
}

export interface NewSubscriberRow {
  name: string;
  url: string;
  entities: string[] | null;
  eventTypes: string[] | null;
  sealedSecret: string;
  /** Where the subscriber's fan-out starts: new events only, or the whole outbox. */
  startAt: 'now' | 'beginning';
}

type Row = {
  id: string; name: string; url: string; entities: string[] | null; event_types: string[] | null;
  active: boolean; created_at: Date; secret: string;
};

function toRow(r: Row): SubscriberRow {
  return {
    id: r.id, name: r.name, url: r.url, entities: r.entities, eventTypes: r.event_types,
    active: r.active, createdAt: r.created_at, sealedSecret: r.secret,
  };
}

function toView(r: Row): SubscriberView {
  const { sealedSecret: _, ...view } = toRow(r);
  return view;
}

const COLUMNS = ['id', 'name', 'url', 'entities', 'event_types', 'active', 'created_at', 'secret'] as const;

/** Inserts a subscriber and its cursor in one transaction; undefined when the name is taken. */
export async function insertSubscriber(db: Kysely<DB>, input: NewSubscriberRow): Promise<SubscriberView | undefined> {
  return deliveryDb(db).transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('subscriber')
      .values({ name: input.name, url: input.url, entities: input.entities, event_types: input.eventTypes, secret: input.sealedSecret })
      .onConflict((oc) => oc.column('name').doNothing())
      .returning(COLUMNS)
      .executeTakeFirst();
    if (!row) return undefined;
    // "now": everything older than the oldest transaction still running in this database (the
    // fan-out's horizon) is behind the cursor, and of the newer events those already committed
    // now (visible in this snapshot) are passed over (sql/0012): events of transactions still
    // running, or started later, are delivered, and none committed before.
    if (input.startAt === 'now') {
      await sql`WITH ${outboxHorizon}
        INSERT INTO subscriber_cursor (subscriber_id, tx_id, outbox_id, start_snapshot)
        SELECT ${row.id}, horizon.xmin, 0, pg_current_snapshot() FROM horizon`.execute(trx);
    } else {
      await sql`INSERT INTO subscriber_cursor (subscriber_id, tx_id, outbox_id) VALUES (${row.id}, '0'::xid8, 0)`.execute(trx);
    }
    return toView(row);
  });
}

export async function listSubscribers(db: Kysely<DB>): Promise<SubscriberView[]> {
  const rows = await deliveryDb(db).selectFrom('subscriber').select(COLUMNS).orderBy('id').execute();
  return rows.map(toView);
}

/** Active subscribers with their sealed secrets (dispatcher). */
export async function loadActiveSubscribers(db: Kysely<DB>): Promise<SubscriberRow[]> {
  const rows = await deliveryDb(db).selectFrom('subscriber').select(COLUMNS).where('active', '=', true).orderBy('id').execute();
  return rows.map(toRow);
}

/** Finds a subscriber by id (digits) or name. */
export async function findSubscriber(db: Kysely<DB>, idOrName: string): Promise<SubscriberView | undefined> {
  const q = deliveryDb(db).selectFrom('subscriber').select(COLUMNS);
  const row = /^\d{1,18}$/.test(idOrName)
    ? await q.where((eb) => eb.or([eb('id', '=', idOrName), eb('name', '=', idOrName)])).orderBy('id').executeTakeFirst()
    : await q.where('name', '=', idOrName).executeTakeFirst();
  return row ? toView(row) : undefined;
}

/** Deletes a subscriber with its cursor, pending deliveries and dead letters. */
export async function deleteSubscriber(db: Kysely<DB>, id: string): Promise<boolean> {
  const result = await deliveryDb(db).deleteFrom('subscriber').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function setSubscriberActive(db: Kysely<DB>, id: string, active: boolean): Promise<boolean> {
  const result = await deliveryDb(db).updateTable('subscriber').set({ active, updated_at: new Date() }).where('id', '=', id).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Changes the given columns of a subscriber (undefined: unchanged); undefined when it does not exist. */
export async function updateSubscriberRow(
  db: Kysely<DB>,
  id: string,
  changes: { url?: string; entities?: string[] | null; eventTypes?: string[] | null; active?: boolean },
): Promise<SubscriberView | undefined> {
  const row = await deliveryDb(db)
    .updateTable('subscriber')
    .set({
      updated_at: new Date(),
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.entities !== undefined ? { entities: changes.entities } : {}),
      ...(changes.eventTypes !== undefined ? { event_types: changes.eventTypes } : {}),
      ...(changes.active !== undefined ? { active: changes.active } : {}),
    })
    .where('id', '=', id)
    .returning(COLUMNS)
    .executeTakeFirst();
  return row ? toView(row) : undefined;
}
