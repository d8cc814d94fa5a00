/**
 * The crash drills of `npm run drill:crash`, each with two kills on a tiny world, so that they
 * keep working. They run at the same time: much of their time is spent waiting for the claims of
 * a killed hub to lapse (inbox 60 s, delivery 35 s), not computing.
 *
 * On the embedded database (no DATABASE_URL) this runs the sync and resolve drills, where killed
 * CLI processes leave the data-directory lock behind for the next one to take over. The events
 * and delivery drills restart `mdm serve`, which takes 5-8 s per start on the embedded database
 * besides the lease, over two minutes for two kills: run them there with
 * `npm run drill:crash -- --drill events` (or `delivery`).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { type DrillOptions, type DrillResult } from '../../bench/drills/lib/drill';
import { deliveryDrill } from '../../bench/drills/lib/delivery-drill';
import { eventsDrill } from '../../bench/drills/lib/events-drill';
import { resolveDrill } from '../../bench/drills/lib/resolve-drill';
import { syncDrill } from '../../bench/drills/lib/sync-drill';
import { removeDrillTempDirs } from '../../bench/drills/lib/world';

const outcome = (r: DrillResult) => ({ drill: r.drill, kills: r.kills, lost: r.lost, duplicated: r.duplicated, mismatches: r.mismatches, problems: r.problems });
const onPostgres = Boolean(process.env.DATABASE_URL);

type Drill = [name: string, run: (o: DrillOptions) => Promise<DrillResult>, size: number];
const everywhere: Drill[] = [
  ['sync', syncDrill, 600],
  ['resolve', resolveDrill, 1500],
];
const serving: Drill[] = [
  ['events', eventsDrill, 300],
  ['delivery', deliveryDrill, 600],
];
const drills = onPostgres ? [...everywhere, ...serving] : everywhere;

// Test workers may end without an exit event: remove the world files and data directories here.
afterAll(removeDrillTempDirs);

describe('crash drills (kill -9, two kills each)', () => {
  it(`lose nothing, duplicate nothing and end equal to an uninterrupted run: ${drills.map(([name]) => name).join(', ')}`, async () => {
    const results = await Promise.all(drills.map(([, drill, size]) => drill({ seed: 7, kills: 2, size })));
    for (const r of results) {
      expect(outcome(r)).toEqual({ drill: r.drill, kills: 2, lost: 0, duplicated: 0, mismatches: 0, problems: [] });
      expect(r.checked).toBeGreaterThan(100);
    }
  }, 240_000);
});
