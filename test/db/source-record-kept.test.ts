import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/database';

/**
 * Source records are never deleted or renumbered (sql/0013): cross-references, their moves, record
 * links and review pairs refer to them by id without a foreign key, so the database refuses what
 * would leave such a reference dangling, and lets the hub mark a record deleted.
 */
let database: TestDatabase;
let id: number;
const query = <T>(text: string, params: unknown[] = []) => database.bulk((s) => s.query<T>(text, params));
const count = async () => (await query<{ n: number }>('SELECT count(*)::int AS n FROM source_record'))[0].n;

beforeAll(async () => {
  database = await openTestDatabase();
  const rows = await query<{ id: string }>(
    `INSERT INTO source_record (entity, source, source_id, content_hash, attributes, raw)
     VALUES ('customer', 'erp', '100', 'h1', '{"name":"Acme"}', '{}'), ('customer', 'crm', '001A', 'h2', '{"name":"Acme"}', '{}') RETURNING id`,
  );
  id = Number(rows[0].id);
});
afterAll(async () => {
  await database?.close();
});

describe('source records are kept', () => {
  it('refuses DELETE and TRUNCATE with an error that says what to do instead', async () => {
    await expect(query('DELETE FROM source_record WHERE id = $1', [id])).rejects.toThrow(/source records are never deleted or renumbered \(DELETE on source_record\)/);
    await expect(query('TRUNCATE source_record CASCADE')).rejects.toThrow(/never deleted or renumbered \(TRUNCATE on source_record\)/);
    expect(await count()).toBe(2);
  });

  it('refuses a new id, and allows every other change, marking a record deleted included', async () => {
    await expect(query('UPDATE source_record SET id = id + 1000 WHERE id = $1', [id])).rejects.toThrow(/never deleted or renumbered \(UPDATE on source_record\)/);
    await query(`UPDATE source_record SET deleted = true, attributes = '{"name":"Acme AG"}', id = id WHERE id = $1`, [id]);
    const [row] = await query<{ deleted: boolean; name: string }>(`SELECT deleted, attributes->>'name' AS name FROM source_record WHERE id = $1`, [id]);
    expect(row).toEqual({ deleted: true, name: 'Acme AG' });
    expect(await count()).toBe(2);
  });
});
