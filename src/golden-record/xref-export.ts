import type { Writable } from 'node:stream';
import type { EntityType } from '../core/entities';
import type { Database } from '../db/database';
import { textWriter } from './write-text';

function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Writes the cross-references as CSV (`entity,source,sourceId,goldenId`, see
 * `shared/spec/canonical-records.md`), in pages, so any size streams in constant memory.
 *
 * @example
 * ```ts
 * await exportXrefs(database, process.stdout, { entity: 'customer' });
 * ```
 */
export async function exportXrefs(database: Database, out: Writable, options: { entity?: EntityType; pageSize?: number } = {}): Promise<number> {
  const pageSize = options.pageSize ?? 20_000;
  const write = textWriter(out);
  await write('entity,source,sourceId,goldenId\n');
  let after = '0';
  let count = 0;
  for (;;) {
    let q = database.db
      .selectFrom('xref')
      .select(['record_id', 'entity', 'source', 'source_id', 'golden_id'])
      .where('record_id', '>', after)
      .orderBy('record_id')
      .limit(pageSize);
    if (options.entity) q = q.where('entity', '=', options.entity);
    const rows = await q.execute();
    if (rows.length === 0) break;
    let text = '';
    for (const r of rows) text += `${r.entity},${csvCell(r.source)},${csvCell(r.source_id)},${r.golden_id}\n`;
    await write(text);
    count += rows.length;
    after = rows[rows.length - 1].record_id;
  }
  return count;
}
