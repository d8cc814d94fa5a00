import type { EntityType } from '../core/entities';

/**
 * A position in a feed's change order: the change stamp (ISO-8601 UTC) and the key of the last
 * record read. Feeds read in (stamp, key) order, so everything at or before the position was read.
 */
export interface Watermark {
  stamp: string;
  key: string;
}

/** One payload turned into a canonical record input (validated later), or why it could not be. */
export type MappedItem =
  | { ok: true; input: Record<string, unknown> }
  | { ok: false; entity: EntityType | null; sourceId: string | null; reason: string; excerpt: string };

/** One page of a feed: its items and the position after it (null when the page carried none). */
export interface SourcePage {
  items: MappedItem[];
  watermark: Watermark | null;
  /** Source rows in the page (including rows that could not be mapped). */
  rows: number;
}

export interface PageOptions {
  /** Read changes at or after this position; null = from the beginning (a full read). */
  since: Watermark | null;
  signal?: AbortSignal;
}

/**
 * One object a source system exposes (`A_BusinessPartner`, `Account`, `alm_asset`, ...), read in
 * change order. A feed yields pages; the sync service stores each page and only then moves the
 * feed's watermark, so a crash re-reads at most one page.
 */
export interface SourceFeed {
  /** The source object's name; watermarks are kept per source and feed. */
  readonly name: string;
  /** Canonical entity types the feed yields. */
  readonly entities: readonly EntityType[];
  pages(options: PageOptions): AsyncIterable<SourcePage>;
}

/**
 * A source system the hub pulls from: its feeds in reference order (records that others point
 * at come first).
 *
 * @example
 * ```ts
 * const adapter = createSourceAdapter(config, http);
 * for (const feed of adapter.feeds) {
 *   for await (const page of feed.pages({ since: null })) {
 *     // page.items: canonical record inputs; page.watermark: where the next read starts
 *   }
 * }
 * ```
 */
export interface SourceAdapter {
  /** The canonical source name the records carry (`erp`, `crm`, `fsm`). */
  readonly source: string;
  readonly kind: 'sap' | 'salesforce' | 'servicenow';
  readonly feeds: readonly SourceFeed[];
}

/** A short, single-line excerpt of a payload for quarantine (never more than 2 KB). */
export function excerptOf(payload: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? String(payload);
  } catch (error) {
    // Too deeply nested to serialize, or a value without a usable toString (an own "toString" field).
    text = `(not shown: ${(error as Error).message})`;
  }
  return text.length > 2000 ? `${text.slice(0, 1997)}...` : text;
}

/** Raised by an adapter's mapping for a payload it cannot turn into a record. */
export class PayloadError extends Error {
  override readonly name = 'PayloadError';
}
