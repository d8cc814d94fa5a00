import type pg from 'pg';
import type { Database } from '../db/database';

const local = new Map<string, Promise<unknown>>();

function lockKey(name: string): number {
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

/** Takes the lock: this process's queue first, then the advisory lock on its own connection. */
async function acquire(database: Database, entity: string): Promise<() => Promise<void>> {
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
  let client: pg.PoolClient | undefined;
  try {
    client = await database.pool.connect();
    await client.query('SELECT pg_advisory_lock($1, $2)', [0x6d646d, lockKey(entity)]);
  } catch (error) {
    client?.release();
    leave();
    throw error;
  }
  const held = client as pg.PoolClient;
  return async () => {
    if (released) return;
    try {
      await held.query('SELECT pg_advisory_unlock($1, $2)', [0x6d646d, lockKey(entity)]);
    } finally {
      held.release();
      leave();
    }
  };
}

/**
 * Runs `fn` while holding the resolution lock of an entity type: one resolution (or steward
 * action) per entity type at a time, across every hub process on a PostgreSQL server (a session
 * advisory lock on a connection of its own) and within this process. `fn` may let waiters go first
 * between steps (`turn.yield()`); waiters are served in the order they came, and PostgreSQL hands a
 * released advisory lock to the session that waited for it before a new request.
 */
export async function withEntityLock<T>(database: Database, entity: string, fn: (turn: EntityLockTurn) => Promise<T>): Promise<T> {
  let release = await acquire(database, entity);
  try {
    return await fn({
      yield: async () => {
        await release();
        release = await acquire(database, entity);
      },
    });
  } finally {
    await release();
  }
}
