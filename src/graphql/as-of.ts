import type { GraphqlContext } from './context';
import type { GoldenRecordRow } from './golden-record.reader';
import type { GoldenVersionRow } from './history.reader';
import { timedKey } from './loaders';
import type { GoldenLookup } from './lookup';

// As in lookup.ts: redirects are one hop deep; a few more tolerate an interrupted rewrite.
const MAX_HOPS = 8;

function rowOf(version: GoldenVersionRow, current: GoldenRecordRow | null, at: Date): GoldenRecordRow {
  return {
    id: version.goldenId,
    entity: version.entity,
    status: version.status,
    version: version.version,
    attributes: version.attributes,
    splitFrom: current?.splitFrom ?? null,
    redirectTo: version.mergedInto,
    createdAt: current?.createdAt ?? version.validFrom,
    updatedAt: version.validFrom,
    asOf: at,
  };
}

/**
 * A golden record as it was at a time: the `golden_history` version valid then, following a
 * merge that had happened by then to the survivor's state at that time. Null when the id did not
 * exist yet. Batched through the request's loaders.
 *
 * @example
 * ```ts
 * await recordAsOf(context, 'G-9W4Q2M7TK1XZ3', new Date('2026-01-01T00:00:00Z')) // { requestedId, redirected, record: { version: 2, asOf, ... } }
 * ```
 */
export async function recordAsOf(context: GraphqlContext, id: string, at: Date): Promise<GoldenLookup | null> {
  const load = async (goldenId: string) => {
    const [version, current] = await Promise.all([
      context.loaders.stateAsOf.load(timedKey(at, goldenId)),
      context.loaders.goldenRecord.load(goldenId),
    ]);
    return version ? rowOf(version, current, at) : null;
  };
  let record = await load(id);
  if (!record) return null;
  const seen = new Set([record.id]);
  for (let hop = 0; hop < MAX_HOPS && record.status === 'merged' && record.redirectTo && !seen.has(record.redirectTo); hop++) {
    const next: GoldenRecordRow | null = await load(record.redirectTo);
    if (!next) break;
    seen.add(next.id);
    record = next;
  }
  return { requestedId: id, redirected: record.id !== id, record };
}
