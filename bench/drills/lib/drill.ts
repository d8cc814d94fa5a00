/** What every drill reports, and the options they share. */
import type { Random } from './random';

export type DrillName = 'sync' | 'resolve' | 'events' | 'delivery';
export const DRILLS: readonly DrillName[] = ['sync', 'resolve', 'events', 'delivery'];

export interface DrillOptions {
  /** Seed of the world and of the kill points. */
  seed: number;
  /** SIGKILLs to deliver (only kills of a process that was still running count). */
  kills: number;
  /** Records in the generated world (all sources together); each drill has its default. */
  size?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface DrillResult {
  drill: DrillName;
  database: 'postgres' | 'pglite';
  kills: number;
  seconds: number;
  /** Records (sync, resolve, events) or events (delivery) checked at the end. */
  checked: number;
  lost: number;
  duplicated: number;
  /** Differences from the reference (stored state, golden state, order). */
  mismatches: number;
  /** What the drill measured on the way (one line each). */
  notes: string[];
  /** A few examples of what went wrong, if anything. */
  problems: string[];
}

export const passed = (r: DrillResult) => r.lost === 0 && r.duplicated === 0 && r.mismatches === 0;

/** The delay before a kill: uniform over [min, max) ms, from the drill's own seeded sequence. */
export function killDelay(random: Random, minMs: number, maxMs: number): number {
  return Math.round(random.between(minMs, Math.max(minMs + 1, maxMs)));
}
