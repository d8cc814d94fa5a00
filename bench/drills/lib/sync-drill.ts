/**
 * Sync drill: `mdm sync --source S --mode full` from the simulators, killed with SIGKILL after a
 * seeded random delay (within the time an uninterrupted full sync of that source takes), run
 * again, N times over the three sources; then each source synced to the end. The stored source
 * records must be exactly what the simulators hold (no key lost, none stored twice, same
 * attributes and deleted flag) and equal, field by field, to an uninterrupted run into another
 * database.
 */
import { validateCanonical } from '../../../src/ingest/canonical-record';
import { type DrillOptions, type DrillResult, killDelay } from './drill';
import { freshDatabase } from './drill-database';
import { runMdm, sleep, startMdm } from './mdm-process';
import { seededRandom } from './random';
import { heldRecords, SOURCES, type SourceName, startSources } from './sources';
import { compareStates, hashOf, sourceRecordState } from './state';
import { worldRecords } from './world';

export async function syncDrill(options: DrillOptions): Promise<DrillResult> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const random = seededRandom(options.seed * 4 + 1);
  const records = worldRecords(options.seed, options.size ?? 6000);
  const sources = await startSources(records, 100);
  const reference = await freshDatabase('syncref');
  const target = await freshDatabase('sync');
  try {
    // The uninterrupted reference run, which also says how long a full sync of each source takes.
    const duration = {} as Record<SourceName, number>;
    for (const source of SOURCES) {
      const run = await runMdm(['sync', '--source', source, '--mode', 'full', '--json'], { ...reference.env, ...sources.env });
      duration[source] = run.seconds;
    }
    log(`sync: reference full syncs took ${SOURCES.map((s) => `${s} ${duration[s].toFixed(1)} s`).join(', ')}`);

    let kills = 0;
    let finishedFirst = 0;
    for (let attempt = 0; kills < options.kills && attempt < options.kills * 4; attempt++) {
      const source = SOURCES[attempt % SOURCES.length];
      const delay = killDelay(random, 300, duration[source] * 1000);
      const child = startMdm(['sync', '--source', source, '--mode', 'full'], { ...target.env, ...sources.env });
      await Promise.race([sleep(delay), child.exited]);
      if (await child.kill()) {
        kills++;
        log(`sync: kill ${kills}: ${source} after ${delay} ms`);
      } else {
        finishedFirst++;
        const run = await child.exited;
        if (run.code !== 0) throw new Error(`mdm sync --source ${source} failed: ${run.stderr.trim().slice(-1000)}`);
      }
    }
    for (const source of SOURCES) await runMdm(['sync', '--source', source, '--mode', 'full'], { ...target.env, ...sources.env });

    const expected = await reference.use((db) => sourceRecordState(db));
    const actual = await target.use((db) => sourceRecordState(db));
    let lost = 0;
    let mismatches = 0;
    let checked = 0;
    const problems: string[] = [];
    const problem = (text: string) => problems.length < 8 && problems.push(text);
    for (const source of SOURCES) {
      for (const [key, held] of heldRecords(source, sources.sims[source])) {
        checked++;
        const stored = actual.attributes.get(key);
        if (!stored) {
          lost++;
          problem(`${key}: not stored`);
          continue;
        }
        const { sourcePayload: _payload, ...rest } = held.record as Record<string, unknown>;
        const valid = validateCanonical(rest);
        const attributes = valid.ok ? hashOf(valid.record.attributes) : undefined;
        if (stored.deleted !== held.deleted || (!held.deleted && attributes !== stored.attributes)) {
          mismatches++;
          problem(`${key}: stored ${stored.deleted ? 'deleted' : 'attributes'} differ from the source`);
        }
      }
    }
    const extra = actual.records.size - (checked - lost);
    if (extra > 0) problem(`${extra} stored records the sources do not hold`);
    const versusReference = compareStates({ records: expected.records }, { records: actual.records });
    problems.push(...versusReference.examples.slice(0, Math.max(0, 8 - problems.length)));
    return {
      drill: 'sync',
      database: target.kind,
      kills,
      seconds: (performance.now() - started) / 1000,
      checked,
      lost,
      duplicated: actual.duplicated.length + Math.max(0, extra),
      mismatches: mismatches + versusReference.count,
      notes: [
        `${records.length} world records; uninterrupted full sync: ${SOURCES.map((s) => `${s} ${duration[s].toFixed(1)} s`).join(', ')}` +
          (finishedFirst > 0 ? `; ${finishedFirst} run${finishedFirst === 1 ? '' : 's'} finished before the kill time` : ''),
      ],
      problems,
    };
  } finally {
    await sources.close();
    await reference.drop();
    await target.drop();
  }
}
