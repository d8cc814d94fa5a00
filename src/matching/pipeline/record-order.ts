/**
 * The canonical order of source records: by source, then source id, then the caller's id. Every
 * index the pipeline builds follows it, so results never depend on the order records arrive in.
 *
 * @example
 * ```ts
 * records.slice().sort(compareRecords)
 * ```
 */
export function compareRecords(
  a: { source: string; sourceId: string; id: number },
  b: { source: string; sourceId: string; id: number },
): number {
  if (a.source !== b.source) return a.source < b.source ? -1 : 1;
  if (a.sourceId !== b.sourceId) return a.sourceId < b.sourceId ? -1 : 1;
  return a.id - b.id;
}
