/**
 * Resolve drill: the same world ingested into two fresh databases; `mdm resolve` runs through in
 * the reference, and in the other is killed with SIGKILL at seeded random points (within the time
 * the work still left took in the reference run, by its per-entity times), run again, N times,
 * then run to completion. The golden state (state.ts: golden records, clusters, cross-references, redirects,
 * history, outbox events per golden record in version order) must equal the reference's.
 *
 * A run that finishes before its kill leaves nothing to interrupt: the drill then compares, and
 * goes on in a new round on a fresh database, until N kills were delivered.
 */
import { sql } from 'kysely';
import type { Database } from '../../../src/db/database';
import { type DrillOptions, type DrillResult, killDelay } from './drill';
import { type DrillDatabase, freshDatabase } from './drill-database';
import { runMdm, sleep, startMdm } from './mdm-process';
import { seededRandom } from './random';
import { compareStates, goldenState, type State } from './state';
import { worldRecords, writeJsonl } from './world';

async function resolvedEntities(database: Database): Promise<Set<string>> {
  const rows = await database.db.selectFrom('resolve_run').select('entity').where('status', '=', 'succeeded').distinct().execute();
  return new Set(rows.map((r) => r.entity));
}

async function duplicatedXrefs(database: Database): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT record_id FROM xref GROUP BY record_id HAVING count(*) > 1) d`.execute(database.db);
  return rows[0].n;
}

export async function resolveDrill(options: DrillOptions): Promise<DrillResult> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const random = seededRandom(options.seed * 4 + 2);
  const records = worldRecords(options.seed, options.size ?? 6000);
  const file = writeJsonl(records as unknown as Record<string, unknown>[]);
  const ingested = async (label: string): Promise<DrillDatabase> => {
    const database = await freshDatabase(label);
    await runMdm(['ingest', '--file', file], database.env);
    return database;
  };

  const reference = await ingested('resolveref');
  let expected: State;
  const entitySeconds = new Map<string, number>();
  // What `mdm resolve` takes besides the entities' own work (start-up, checks): a run with nothing to do.
  let startSeconds = 0.5;
  // The rest of the reference run, spread over the entity types by their own times.
  let workSeconds = 1;
  try {
    const run = await runMdm(['resolve', '--json'], reference.env);
    const summary = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { entities: Array<{ entity: string; seconds: number }> };
    for (const e of summary.entities) entitySeconds.set(e.entity, e.seconds);
    startSeconds = (await runMdm(['resolve'], reference.env)).seconds;
    workSeconds = Math.max(0.1, run.seconds - startSeconds);
    log(`resolve: reference run ${run.seconds.toFixed(1)} s (${summary.entities.map((e) => `${e.entity} ${e.seconds.toFixed(1)}`).join(', ')}; ${startSeconds.toFixed(1)} s with nothing to do)`);
    expected = await reference.use(goldenState);
  } finally {
    await reference.drop();
  }

  let kills = 0;
  let rounds = 0;
  let cap = Number.POSITIVE_INFINITY;
  let finishedFirst = 0;
  let mismatches = 0;
  let lost = 0;
  let duplicated = 0;
  const problems: string[] = [];
  const checked = [...expected.xref.keys()].length;
  while (kills < options.kills && rounds < options.kills * 5) {
    rounds++;
    const target = await ingested('resolve');
    try {
      for (;;) {
        const done = await target.use(resolvedEntities);
        const all = [...entitySeconds.values()].reduce((s, t) => s + t, 0);
        const left = [...entitySeconds].filter(([e]) => !done.has(e)).reduce((s, [, t]) => s + t, 0);
        if (left === 0 || kills >= options.kills) break;
        const upper = Math.min(cap, startSeconds + (workSeconds * left) / Math.max(all, 0.001));
        const delay = killDelay(random, Math.min(startSeconds * 0.8, upper * 0.5) * 1000, upper * 1000);
        const child = startMdm(['resolve'], target.env);
        await Promise.race([sleep(delay), child.exited]);
        if (await child.kill()) {
          kills++;
          log(`resolve: kill ${kills} after ${delay} ms (round ${rounds}; resolved before: ${[...done].join(', ') || 'nothing'})`);
        } else {
          const run = await child.exited;
          if (run.code !== 0) throw new Error(`mdm resolve failed: ${run.stderr.trim().slice(-1000)}`);
          // Faster than the reference (a less busy machine): kill the next ones sooner.
          cap = Math.min(cap, run.seconds * 0.9);
          finishedFirst++;
          break;
        }
      }
      await runMdm(['resolve'], target.env);
      const { actual, dups } = await target.use(async (db) => ({ actual: await goldenState(db), dups: await duplicatedXrefs(db) }));
      const diff = compareStates(expected, actual);
      mismatches += diff.count;
      lost += [...expected.xref.keys()].filter((k) => !actual.xref.has(k)).length;
      duplicated += dups;
      problems.push(...diff.examples.map((e) => `round ${rounds}: ${e}`).slice(0, Math.max(0, 8 - problems.length)));
    } finally {
      await target.drop();
    }
  }
  return {
    drill: 'resolve',
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    kills,
    seconds: (performance.now() - started) / 1000,
    checked: checked * rounds,
    lost,
    duplicated,
    mismatches,
    notes: [`${records.length} world records, ${expected.golden.size} golden records in the reference; ${rounds} round(s), each compared with the reference${finishedFirst > 0 ? ` (${finishedFirst} run${finishedFirst === 1 ? '' : 's'} finished before the kill time)` : ''}`],
    problems,
  };
}
