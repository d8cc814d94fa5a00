import type { Writable } from 'node:stream';
import type { EntityType } from '../core/entities';
import type { Database } from '../db/database';
import { textWriter } from './write-text';

/**
 * Writes the active golden records as JSONL: id, entity, version, attributes with lineage,
 * cross-references, relationships (outgoing and incoming, as golden ids), and the ids that
 * redirect to it. Pages through the table, so any size streams in bounded memory.
 *
 * @example
 * ```ts
 * await exportGolden(database, process.stdout, { entity: 'customer' });
 * ```
 */
export async function exportGolden(database: Database, out: Writable, options: { entity?: EntityType; pageSize?: number } = {}): Promise<number> {
  const { db } = database;
  const pageSize = options.pageSize ?? 5_000;
  const write = textWriter(out);
  let after = '';
  let count = 0;
  for (;;) {
    let q = db
      .selectFrom('golden_record')
      .select(['id', 'entity', 'version', 'attributes', 'created_at', 'updated_at', 'split_from', 'locked'])
      .where('status', '=', 'active')
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize);
    if (options.entity) q = q.where('entity', '=', options.entity);
    const goldens = await q.execute();
    if (goldens.length === 0) break;
    const ids = goldens.map((g) => g.id);
    const [xrefs, outgoing, incoming, redirects] = await Promise.all([
      db.selectFrom('xref').select(['golden_id', 'source', 'source_id', 'attached_at']).where('golden_id', 'in', ids).orderBy('source').orderBy('source_id').execute(),
      db.selectFrom('golden_link').select(['from_id', 'relation', 'to_id', 'to_entity']).where('from_id', 'in', ids).execute(),
      db.selectFrom('golden_link').select(['from_id', 'from_entity', 'relation', 'to_id']).where('to_id', 'in', ids).execute(),
      db.selectFrom('golden_redirect').select(['from_id', 'to_id']).where('to_id', 'in', ids).orderBy('from_id').execute(),
    ]);
    const group = <T, K>(rows: T[], key: (r: T) => K) => {
      const m = new Map<K, T[]>();
      for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
      return m;
    };
    const x = group(xrefs, (r) => r.golden_id);
    const o = group(outgoing, (r) => r.from_id);
    const i = group(incoming, (r) => r.to_id);
    const rd = group(redirects, (r) => r.to_id);
    let text = '';
    for (const g of goldens) {
      text += `${JSON.stringify({
        goldenId: g.id,
        entity: g.entity,
        version: g.version,
        createdAt: g.created_at,
        updatedAt: g.updated_at,
        splitFrom: g.split_from,
        locked: g.locked,
        attributes: g.attributes ?? {},
        crossReferences: (x.get(g.id) ?? []).map((r) => ({ source: r.source, sourceId: r.source_id, attachedAt: r.attached_at })),
        relationships: [
          ...(o.get(g.id) ?? []).map((r) => ({ direction: 'out', relation: r.relation, goldenId: r.to_id, entity: r.to_entity })),
          ...(i.get(g.id) ?? []).map((r) => ({ direction: 'in', relation: r.relation, goldenId: r.from_id, entity: r.from_entity })),
        ],
        redirectedFrom: (rd.get(g.id) ?? []).map((r) => r.from_id),
      })}\n`;
    }
    await write(text);
    count += goldens.length;
    after = goldens[goldens.length - 1].id;
  }
  return count;
}
