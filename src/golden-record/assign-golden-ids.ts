/**
 * Decides which golden id each new cluster carries, keeping ids stable:
 * - a golden record's id is inherited by the cluster that holds most of its members (ties: the
 *   cluster holding its oldest member), so unchanged data keeps every id and a retrained model keeps
 *   every id whose cluster keeps most of its members;
 * - when one cluster inherits several ids (a merge), the oldest golden record survives and the
 *   others become redirects to it;
 * - a cluster that inherits no id gets a new one, recording the golden record most of its members
 *   came from (a split), if any;
 * - a golden record none of whose members is in any cluster any more is retired.
 *
 * Pure: plain data in, plain data out.
 */
export interface ExistingGolden {
  id: string;
  /** Creation time (ms); older survives a merge. */
  createdAt: number;
}

export interface ClusterMember {
  recordId: string;
  /** The golden id the record is attached to now, or null for a new record. */
  goldenId: string | null;
  /** When it was attached (ms); the earliest is the golden record's oldest member. */
  attachedAt: number;
}

export interface GoldenAssignment {
  /** Golden id per input cluster, in input order. */
  ids: string[];
  created: Array<{ id: string; cluster: number; splitFrom: string | null }>;
  merged: Array<{ loser: string; winner: string }>;
  retired: string[];
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function assignGoldenIds(
  clusters: ClusterMember[][],
  goldens: ReadonlyMap<string, ExistingGolden>,
  newId: (cluster: number, taken: (id: string) => boolean) => string,
): GoldenAssignment {
  // For every existing golden id: how many of its members each cluster holds, and its oldest member.
  const share = new Map<string, Map<number, number>>();
  const oldest = new Map<string, { cluster: number; attachedAt: number; recordId: string }>();
  clusters.forEach((members, c) => {
    for (const m of members) {
      if (m.goldenId === null) continue;
      let counts = share.get(m.goldenId);
      if (!counts) share.set(m.goldenId, (counts = new Map()));
      counts.set(c, (counts.get(c) ?? 0) + 1);
      const o = oldest.get(m.goldenId);
      if (!o || m.attachedAt < o.attachedAt || (m.attachedAt === o.attachedAt && m.recordId < o.recordId)) {
        oldest.set(m.goldenId, { cluster: c, attachedAt: m.attachedAt, recordId: m.recordId });
      }
    }
  });

  const heirs = new Map<number, string[]>();
  for (const [goldenId, counts] of share) {
    let best = -1;
    let bestCount = -1;
    const holder = oldest.get(goldenId)!.cluster;
    for (const [c, count] of counts) {
      if (count > bestCount || (count === bestCount && (c === holder || (best !== holder && c < best)))) {
        best = c;
        bestCount = count;
      }
    }
    let list = heirs.get(best);
    if (!list) heirs.set(best, (list = []));
    list.push(goldenId);
  }

  const age = (id: string) => goldens.get(id)?.createdAt ?? Number.POSITIVE_INFINITY;
  const ids = new Array<string>(clusters.length);
  const taken = new Set<string>(goldens.keys());
  const result: GoldenAssignment = { ids, created: [], merged: [], retired: [] };

  clusters.forEach((members, c) => {
    const inherited = heirs.get(c);
    if (inherited && inherited.length > 0) {
      inherited.sort((a, b) => age(a) - age(b) || compareIds(a, b));
      ids[c] = inherited[0];
      for (const loser of inherited.slice(1)) result.merged.push({ loser, winner: inherited[0] });
      return;
    }
    let splitFrom: string | null = null;
    let most = 0;
    const counts = new Map<string, number>();
    for (const m of members) if (m.goldenId !== null) counts.set(m.goldenId, (counts.get(m.goldenId) ?? 0) + 1);
    for (const [g, n] of [...counts].sort((a, b) => compareIds(a[0], b[0]))) {
      if (n > most) {
        most = n;
        splitFrom = g;
      }
    }
    const id = newId(c, (candidate) => taken.has(candidate));
    taken.add(id);
    ids[c] = id;
    result.created.push({ id, cluster: c, splitFrom });
  });

  for (const id of goldens.keys()) if (!share.has(id)) result.retired.push(id);
  result.retired.sort(compareIds);
  return result;
}
