/**
 * Delivery drill: a world ingested and resolved, then changed and resolved again (so that golden
 * records have several versions in the outbox); a subscriber on loopback (subscriber.ts) added
 * from the beginning of the outbox; `mdm serve` delivers, and is killed with SIGKILL N times at
 * seeded random points (once a seeded random number of events, uniform over the outbox, was
 * received, plus a random moment) and started again. At the end every outbox event was delivered
 * at least once, with a valid signature, and per golden record in non-decreasing version order;
 * redeliveries are allowed (at least once) and counted.
 */
import { type DrillOptions, type DrillResult } from './drill';
import { freshDatabase } from './drill-database';
import { hubProcess, runMdm, sleep } from './mdm-process';
import { seededRandom } from './random';
import { startSubscriber } from './subscriber';
import { worldRecords, writeJsonl } from './world';

const SECRET = 'drill-subscriber-secret-0123456789';

export async function deliveryDrill(options: DrillOptions): Promise<DrillResult> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  const random = seededRandom(options.seed * 4 + 4);
  const records = worldRecords(options.seed, options.size ?? 6000);
  const changed = records
    .filter((r) => typeof r.name === 'string' && !r.deleted && random.chance(0.3))
    .map((r) => ({ ...r, updatedAt: new Date(Date.parse(r.updatedAt ?? '2026-01-01T00:00:00Z') + 86_400_000).toISOString(), name: `${r.name as string} (changed)` }));
  const target = await freshDatabase('delivery');
  const subscriber = await startSubscriber(SECRET);
  const problems: string[] = [];
  const problem = (text: string) => problems.length < 8 && problems.push(text);
  try {
    await runMdm(['ingest', '--file', writeJsonl(records as unknown as Record<string, unknown>[])], target.env);
    await runMdm(['resolve'], target.env);
    await runMdm(['ingest', '--file', writeJsonl(changed as unknown as Record<string, unknown>[])], target.env);
    await runMdm(['resolve'], target.env);
    await runMdm(['subscriber', 'add', '--url', subscriber.url, '--name', 'drill', '--secret', SECRET, '--from-beginning'], target.env);
    const outbox = await target.use((db) => db.db.selectFrom('outbox').select(['id', 'golden_id', 'golden_version', 'event_type']).orderBy('id').execute());
    const expected = new Map(outbox.map((e) => [String(e.id), e]));
    const total = expected.size;
    log(`delivery: ${total} outbox events for ${new Set(outbox.map((e) => e.golden_id)).size} golden records`);

    const hub = await hubProcess(target.env);
    let restartSeconds = await hub.start();
    let kills = 0;
    // Kill points: uniform over the delivery, each while at least one event is still undelivered.
    const thresholds = Array.from({ length: options.kills }, () => random.int(1, Math.max(1, total - 1))).sort((a, b) => a - b);
    const deadline = Date.now() + 600_000;
    while (kills < options.kills && Date.now() < deadline) {
      const threshold = thresholds[kills];
      while (subscriber.distinct.size < threshold && Date.now() < deadline) await sleep(10);
      await sleep(random.int(0, 100));
      await hub.kill();
      kills++;
      log(`delivery: kill ${kills} with ${subscriber.distinct.size} of ${total} delivered`);
      restartSeconds += await hub.start();
    }
    const waitFrom = performance.now();
    while (subscriber.distinct.size < total && Date.now() < deadline) await sleep(100);
    const waited = (performance.now() - waitFrom) / 1000;
    await hub.stop();

    let lost = 0;
    for (const id of expected.keys()) if (!subscriber.distinct.has(id)) (lost++, problem(`event ${id}: never delivered`));
    let mismatches = subscriber.badSignatures;
    if (subscriber.badSignatures > 0) problem(`${subscriber.badSignatures} requests with a bad signature`);
    const highest = new Map<string, number>();
    for (const r of subscriber.receipts) {
      const e = expected.get(r.id);
      if (!e || e.golden_id !== r.subject || e.golden_version !== r.goldenVersion || !r.type.endsWith(e.event_type)) {
        mismatches++;
        problem(`event ${r.id}: ${e ? 'differs from the outbox' : 'not in the outbox'}`);
        continue;
      }
      const before = highest.get(r.subject) ?? 0;
      if (r.goldenVersion < before) {
        mismatches++;
        problem(`golden ${r.subject}: version ${r.goldenVersion} delivered after version ${before}`);
      }
      highest.set(r.subject, Math.max(before, r.goldenVersion));
    }
    const redelivered = subscriber.receipts.length - subscriber.distinct.size;
    return {
      drill: 'delivery',
      database: target.kind,
      kills,
      seconds: (performance.now() - started) / 1000,
      checked: total,
      lost,
      duplicated: 0,
      mismatches,
      notes: [
        `${total} outbox events (${records.length} world records, ${changed.length} changed and resolved again), ${subscriber.receipts.length} deliveries: ${redelivered} redeliveries (allowed: at least once)`,
        `hub starts took ${restartSeconds.toFixed(1)} s in all; the last events arrived ${waited.toFixed(1)} s after the last restart (claims of a killed hub lapse after 35 s)`,
      ],
      problems,
    };
  } finally {
    await subscriber.close();
    await target.drop();
  }
}
