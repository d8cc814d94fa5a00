import { attributeCandidates, type Candidate } from './candidate';
import type { SurvivorshipRecord } from './source-record';
import type { StrategyContext } from './strategy';
import type { NormalizeMode } from './values';

/** Test helper: a source record with sensible defaults. */
export function rec(
  source: string,
  sourceId: string,
  attributes: Record<string, unknown>,
  extra: Partial<SurvivorshipRecord> = {},
): SurvivorshipRecord {
  return {
    recordId: `${source}:${sourceId}`,
    source,
    sourceId,
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
    receivedAt: '2026-01-01T00:05:00.000Z',
    attributes,
    ...extra,
  };
}

/** Test helper: the candidates of one attribute. */
export function candidates(records: SurvivorshipRecord[], attribute: string, mode: NormalizeMode = 'text'): Candidate[] {
  return attributeCandidates(records, attribute, mode);
}

export const NOW = new Date('2026-03-01T00:00:00.000Z');

export function context(attribute = 'x', now: Date = NOW): StrategyContext {
  return { attribute, now };
}

/** Test helper: ISO timestamp `days` before NOW. */
export function daysAgo(days: number): string {
  return new Date(NOW.getTime() - days * 86_400_000).toISOString();
}

/** Test helper: a deterministic shuffle (mulberry32). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
