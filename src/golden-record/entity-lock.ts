import type { Database } from '../db/database';

const local = new Map<string, Promise<unknown>>();

function lockKey(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h | 0;
}

/**
 * Runs `fn` while holding the resolution lock of an entity type: one resolution (or steward
 * action) per entity type at a time, across every hub process on a PostgreSQL server (a session
 * advisory lock on a connection of its own) and within this process.
 */
export async function withEntityLock<T>(database: Database, entity: string, fn: () => Promise<T>): Promise<T> {
  const previous = local.get(entity) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const chained = previous.then(() => mine);
  local.set(entity, chained);
  await previous.catch(() => undefined);
  try {
    if (database.kind !== 'postgres') return await fn();
    const client = await database.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1, $2)', [0x6d646d, lockKey(entity)]);
      try {
        return await fn();
      } finally {
        await client.query('SELECT pg_advisory_unlock($1, $2)', [0x6d646d, lockKey(entity)]);
      }
    } finally {
      client.release();
    }
  } finally {
    release();
    if (local.get(entity) === chained) local.delete(entity);
  }
}

