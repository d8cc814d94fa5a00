import type { Database } from '../db/database';

/** Holders and waiters of each entity type's lock in this process, per database handle (pool). */
const queues = new WeakMap<Database, Map<string, Promise<unknown>>>();

/** A name hashed into PostgreSQL's int4 advisory-lock key space (FNV-1a). */
export function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h | 0;
}

/** What the holder of an entity type's resolution lock can do with it while it holds it. */
export interface EntityLockTurn {
  /**
   * Lets whoever waits for the lock (an inbox worker, a steward action, another hub process) have
   * its turn, then takes the lock again: for long work made of self-contained steps, such as an
   * incremental resolve's chunks, so that a change waits for one step rather than for the whole run.
   */
  yield(): Promise<void>;
}

/**
 * Takes the lock: this process's queue first, then the advisory lock on its own connection. Shared:
 * held by holders in any number of processes (or database handles) at once, never together with an
 * exclusive holder.
 */
async function acquire(database: Database, entity: string, shared = false): Promise<() => Promise<void>> {
  // In this process holders take turns, shared or not: a waiter holds no connection of the pool.
  let local = queues.get(database);
  if (!local) queues.set(database, (local = new Map()));
  const previous = local.get(entity) ?? Promise.resolve();
  let done!: () => void;
  const mine = new Promise<void>((r) => (done = r));
  const chained = previous.then(() => mine);
  local.set(entity, chained);
  let released = false;
  const leave = () => {
    released = true;
    done();
    if (local.get(entity) === chained) local.delete(entity);
  };
  await previous.catch(() => undefined);
  if (database.kind !== 'postgres') {
    return async () => {
      if (!released) leave();
    };
  }
  const mode = shared ? '_shared' : '';
  const client = await database.pool.connect().catch((error: unknown) => {
    leave();
    throw error;
  });
  try {
    await client.query(`SELECT pg_advisory_lock${mode}($1, $2)`, [0x6d646d, lockKey(entity)]);
  } catch (error) {
    client.release();
    leave();
    throw error;
  }
  return async () => {
    if (released) return;
    try {
      await client.query(`SELECT pg_advisory_unlock${mode}($1, $2)`, [0x6d646d, lockKey(entity)]);
    } finally {
      client.release();
      leave();
    }
  };
}

/**
 * Runs `fn` while holding the resolution lock of an entity type: one resolution (or steward
 * action) per entity type at a time, across every hub process on a PostgreSQL server (a session
 * advisory lock on a connection of its own) and within this process. Shared (`options.shared`, for
 * real-time resolution that locks its neighbourhood, see `resolveRecordsNow`), holders in several
 * hub processes resolve at once and an exclusive holder waits for all of them; within one process
 * they still take turns, so that a waiter holds none of the pool's connections. `fn` may let
 * waiters go first between steps (`turn.yield()`); waiters are served in the order they came, and
 * PostgreSQL hands a released advisory lock to the session that waited for it before a new request.
 */
export async function withEntityLock<T>(
  database: Database,
  entity: string,
  fn: (turn: EntityLockTurn) => Promise<T>,
  options: { shared?: boolean } = {},
): Promise<T> {
  let release = await acquire(database, entity, options.shared);
  try {
    return await fn({
      yield: async () => {
        await release();
        release = await acquire(database, entity, options.shared);
      },
    });
  } finally {
    await release();
  }
}
