/**
 * drill:faults: the hub through database faults and beside another hub, under load, on a
 * PostgreSQL server of its own (initdb in a temporary directory; the shared server is never
 * touched).
 *
 * 1. PostgreSQL restarted under load. A hub (`mdm serve`, a child process) receives a steady
 *    stream of webhook events (new records and changed versions, one CloudEvent per request; a
 *    refused event is sent again with the same id after Retry-After, as a source would) and
 *    GraphQL reads, while /readyz is probed every 100 ms. The server goes down three times: a
 *    fast shutdown held down for 3 s, an immediate shutdown (no checkpoint: crash recovery on
 *    start) held down for 3 s, and `pg_ctl restart -m immediate`. Measured per outage: how long
 *    /readyz answered 503, the time from the server accepting connections to /readyz 200, and
 *    every webhook answer while it was down. Checked at the end: the hub process never exited;
 *    every event answered 2xx is stored and processed; no dead letters; no change event written
 *    twice; every change event delivered to a subscriber; every record in one active golden
 *    record; no advisory lock held; the inbox LISTEN connection back.
 * 2. Two hubs on one database. Two `mdm serve` processes receive the records of the same true
 *    entities at the same moment (records that match each other, so both resolve the same
 *    clusters) plus changed versions, and steward actions through GraphQL on both (pins with
 *    expected versions, merges). Checked: each source record in exactly one active golden record,
 *    no lost cross-reference, no advisory lock left, inbox empty, outbox delivered, both LISTEN
 *    connections up; the clusters compared with a batch resolve of the final records in a fresh
 *    database, against the same events through one hub in the same run (baseline).
 *
 *   npm run drill:faults [-- --seed 1] [--rate 40] [--seconds 36] [--world 1200] [--two-world 600] [--keep-logs]
 *
 * Prints a table and writes it to docs/benchmarks.md (section drill-faults). Exit code 1 when a
 * promise did not hold.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateWorld } from '../../src/sim/world';
import { createKey, startHub, type Hub } from '../lib/hub-server';
import { machineLine, writeSection } from '../lib/report';
import { PROJECT_ROOT } from '../lib/datasets';
import { seededRandom, type Random } from './lib/random';
import { compareWithBatch, type ClusterComparison, createDatabase, type HubState, hubState, mdm, problemsOf, recordKey, waitSettled, withClient } from './faults-lib/checks';
import { startThrowawayPostgres, type ThrowawayPostgres } from './faults-lib/postgres-server';
import { type Answer, atRate, closeAgent, every, get, post, type Rec, type SentEvent, sendEvent, startReceiver } from './faults-lib/traffic';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  const v = i === -1 ? fallback : Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) {
    console.error(`--${name} must be a positive number (got "${args[i + 1]}")`);
    process.exit(2);
  }
  return v;
};
const seed = opt('seed', 1);
const rate = opt('rate', 40);
const seconds = opt('seconds', 36);
const worldSize = opt('world', 1200);
const twoWorldSize = opt('two-world', 600);
/** Keeps the hubs' logs (printed directory) even when every promise held. */
const keepLogs = args.includes('--keep-logs');
const command = `npm run drill:faults -- ${args.filter((a) => a !== '--keep-logs').join(' ')}`.trim();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hubEnv = { MDM_LOG_LEVEL: 'warn' };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** World records in stream order, with changed versions of earlier ones mixed in (every `changeEvery`-th event). */
function eventStream(random: Random, size: number, worldSeed: number, n: number, changeEvery: number): Rec[] {
  const world = [...generateWorld({ seed: worldSeed, size })].map((r) => r.record as unknown as Rec);
  const out: Rec[] = [];
  let next = 0;
  const base = Date.parse('2030-01-01T00:00:00Z');
  for (let i = 0; out.length < n && (next < world.length || out.length > 0); i++) {
    if ((i % changeEvery === changeEvery - 1 && next > 0) || next >= world.length) {
      const r = world[random.int(0, Math.max(0, next - 1))];
      out.push(changed(r, i, base));
    } else out.push(world[next++]);
  }
  return out;
}

/** A technician's correction: a changed phone, status or name, with a newer version. */
function changed(r: Rec, i: number, base: number): Rec {
  const change: Record<string, unknown> =
    r.entity === 'customer' ? { phone: `+49 30 ${String(1000000 + i).slice(-7)}` } : r.entity === 'asset' ? { status: i % 3 === 0 ? 'In maintenance' : 'In use' } : { name: `${String(r.name ?? r.sourceId)} ` };
  return { ...r, ...change, updatedAt: new Date(base + i * 1000).toISOString() };
}

async function setUpHubDatabase(server: ThrowawayPostgres, name: string) {
  const url = await createDatabase(server.url, name);
  mdm(['migrate'], url);
  const key = createKey(url, 'admin', 'drill').key;
  const receiver = await startReceiver();
  mdm(['subscriber', 'add', '--url', receiver.url, '--name', 'drill', '--from-beginning'], url);
  return { url, key, receiver };
}

/** Inbox steps that failed and were retried, by error, from hub logs (pino JSON lines). */
function inboxFailures(files: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const file of files) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.includes('inbox events failed')) continue;
      try {
        const entry = JSON.parse(line) as { error?: string; events?: number };
        const reason = String(entry.error ?? '?').replace(/\d+/g, 'N').slice(0, 90);
        out.set(reason, (out.get(reason) ?? 0) + (entry.events ?? 1));
      } catch {
        // not a log entry
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 1. PostgreSQL restarted under load

interface Outage {
  kind: string;
  /** Seconds from the load start. */
  downAt: number;
  upAt: number;
  /** Seconds /readyz answered something other than 200 around this outage. */
  notReadySeconds: number;
  /** From the server accepting connections again to /readyz 200. */
  recoverySeconds: number;
  /** From the server accepting connections again to the first webhook answered 202. */
  firstAcceptSeconds: number;
  readyz503: number;
  webhook: Map<string, number>;
  graphql: Map<string, number>;
}

interface RestartResult {
  events: number;
  acked: number;
  gaveUp: number;
  outages: Outage[];
  answers: Map<string, number>;
  graphql: Map<string, number>;
  state: HubState;
  settleSeconds: number;
  hubAlive: boolean;
  problems: string[];
}

const tally = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
const answerKey = (a: Answer) => (a.status === 'network' ? 'no answer' : a.code ? `${a.status} ${a.code}` : String(a.status));

async function restartDrill(server: ThrowawayPostgres, logDir: string): Promise<RestartResult> {
  const random = seededRandom(seed);
  const { url, key, receiver } = await setUpHubDatabase(server, 'drill_restart');
  const hub = await startHub({ databaseUrl: url, env: hubEnv, logFile: join(logDir, 'restart-hub.log') });
  const n = Math.round(rate * seconds);
  const events = eventStream(random, worldSize, seed, n, 4);
  const started = performance.now();
  const now = () => (performance.now() - started) / 1000;

  // /readyz every 100 ms; GraphQL reads of golden records that exist (ids refreshed every 2 s).
  const readyz = every(100, async () => ({ at: now(), status: await get(hub.port, '/readyz') }));
  let goldenIds: string[] = [];
  const ids = every(2000, async () => {
    goldenIds = await withClient(url, async (c) => (await c.query(`SELECT id FROM golden_record WHERE status = 'active' ORDER BY random() LIMIT 50`)).rows.map((r) => r.id as string)).catch(() => goldenIds);
  });
  const query = 'query($ids: [ID!]!) { goldenRecords(ids: $ids) { record { id version crossReferences { source sourceId } } } }';
  const reads = every(100, async () => {
    const pick = goldenIds.length === 0 ? ['G-0000000000000'] : [0, 1, 2].map(() => goldenIds[random.int(0, goldenIds.length - 1)]);
    const res = await post(hub.port, '/graphql', JSON.stringify({ query, variables: { ids: pick } }), { 'content-type': 'application/json', authorization: `Bearer ${key}` });
    const errors = (res.json as { errors?: Array<{ extensions?: { code?: string } }> } | null)?.errors;
    return { at: now(), outcome: res.status === 'network' ? 'no answer' : res.status === 200 ? (errors ? `200 error ${errors[0]?.extensions?.code ?? '?'}` : '200') : `${res.status} ${(res.json as { error?: { code?: string } })?.error?.code ?? ''}`.trim() };
  });

  // The outages, at seeded moments of the load.
  const plan: Array<{ at: number; kind: string; run: () => Promise<{ down: number; up: number }> }> = [
    { at: seconds * 0.2 + random.between(-1, 1), kind: 'stop -m fast, 3 s down, start', run: async () => { const down = now(); await server.stop('fast'); await sleep(3000); await server.start(); return { down, up: now() }; } },
    { at: seconds * 0.5 + random.between(-1, 1), kind: 'stop -m immediate, 3 s down, start (crash recovery)', run: async () => { const down = now(); await server.stop('immediate'); await sleep(3000); await server.start(); return { down, up: now() }; } },
    { at: seconds * 0.8 + random.between(-1, 1), kind: 'pg_ctl restart -m immediate', run: async () => { const down = now(); await server.restart('immediate'); return { down, up: now() }; } },
  ];
  const faults = (async () => {
    const done: Array<{ kind: string; down: number; up: number }> = [];
    for (const f of plan) {
      const wait = f.at - now();
      if (wait > 0) await sleep(wait * 1000);
      done.push({ kind: f.kind, ...(await f.run()) });
    }
    return done;
  })();

  const sent: SentEvent[] = await atRate(events.length, rate, (i) => sendEvent(hub.port, key, `drill-${seed}-${i}`, events[i], started));
  const happened = await faults;
  const settle = await waitSettled(url, 180_000, (outbox) => outbox.every((id) => receiver.received.has(id)));
  const probes = await readyz.stop();
  const readResults = await reads.stop();
  await ids.stop();
  const hubAlive = alive(hub.pid) && (await get(hub.port, '/readyz')) === 200;
  const state = await hubState(url, sent, receiver.received);
  await hub.stop();
  await receiver.close();

  const allAnswers = sent.flatMap((s) => s.answers);
  const answers = new Map<string, number>();
  for (const a of allAnswers) tally(answers, answerKey(a));
  const graphql = new Map<string, number>();
  for (const r of readResults) tally(graphql, r.outcome);

  const outages: Outage[] = happened.map((h) => {
    const firstNotReady = probes.find((p) => p.at >= h.down && p.status !== 200);
    const readyAgain = probes.find((p) => p.at >= h.up && p.status === 200);
    const end = readyAgain?.at ?? Infinity;
    const webhook = new Map<string, number>();
    for (const a of allAnswers) if (a.at / 1000 >= h.down && a.at / 1000 <= end) tally(webhook, answerKey(a));
    const reads = new Map<string, number>();
    for (const r of readResults) if (r.at >= h.down && r.at <= end) tally(reads, r.outcome);
    const firstAccept = allAnswers.filter((a) => a.at / 1000 >= h.up && a.status === 202).reduce((m, a) => Math.min(m, a.at / 1000), Infinity);
    return {
      kind: h.kind,
      firstAcceptSeconds: firstAccept - h.up,
      downAt: h.down,
      upAt: h.up,
      notReadySeconds: firstNotReady && readyAgain ? readyAgain.at - firstNotReady.at : NaN,
      recoverySeconds: readyAgain ? readyAgain.at - h.up : NaN,
      readyz503: probes.filter((p) => p.at >= h.down && p.at <= end && p.status === 503).length,
      webhook,
      graphql: reads,
    };
  });

  // Read while the hub runs: its inbox LISTEN connection must be back after the restarts.
  const problems = problemsOf(state, 1);
  if (!hubAlive) problems.push('the hub process exited or is not ready');
  if (!settle.settled) problems.push(`the inbox and deliveries did not settle within ${settle.seconds.toFixed(0)} s`);
  const gaveUp = sent.filter((s) => !s.acked).length;
  if (gaveUp > 0) problems.push(`${gaveUp} events were still refused after 12 attempts`);
  for (const [k, v] of answers) if (!/^(202|503 DATABASE_UNAVAILABLE|429 OVERLOADED)$/.test(k)) problems.push(`${v} webhook answers were "${k}" (only 202, 503 DATABASE_UNAVAILABLE and 429 are expected)`);
  for (const o of outages) {
    if (!(o.recoverySeconds >= 0)) problems.push(`/readyz did not answer 200 again after "${o.kind}"`);
    if (o.kind.startsWith('stop') && o.readyz503 === 0) problems.push(`/readyz never answered 503 during "${o.kind}"`);
  }
  for (const [k, v] of graphql) if (!/^(200|200 error DATABASE_UNAVAILABLE|503 DATABASE_UNAVAILABLE)$/.test(k)) problems.push(`${v} GraphQL reads answered "${k}"`);
  return { events: events.length, acked: sent.filter((s) => s.acked).length, gaveUp, outages, answers, graphql, state, settleSeconds: settle.seconds, hubAlive, problems };
}

// ---------------------------------------------------------------------------------------------
// 2. Two hubs on one database

interface HubsRunResult {
  hubs: number;
  events: number;
  acked: number;
  steward: Map<string, number>;
  state: HubState;
  listenersWhileRunning: number;
  locksWhileIdle: number;
  comparison: ClusterComparison;
  settleSeconds: number;
  /** Inbox events whose processing failed once and was retried, by error (from the hub logs). */
  retried: Map<string, number>;
  problems: string[];
}

/** Steps of the two-hub load: the records of one true entity (sent at the same moment), or one changed version. */
function hubsSteps(size: number): Rec[][] {
  const random = seededRandom(seed + 7);
  const byTrue = new Map<string, Rec[]>();
  for (const { record, trueId } of generateWorld({ seed: seed + 1, size })) {
    const list = byTrue.get(trueId) ?? [];
    list.push(record as unknown as Rec);
    byTrue.set(trueId, list);
  }
  const groups = [...byTrue.values()];
  const steps: Rec[][] = [];
  const seen: Rec[] = [];
  const base = Date.parse('2030-01-01T00:00:00Z');
  groups.forEach((g, i) => {
    steps.push(g);
    seen.push(...g);
    // A changed version of a record seen a little earlier (its cluster may still be resolving).
    if (i % 3 === 2) steps.push([changed(seen[random.int(Math.max(0, seen.length - 20), seen.length - 1)], i, base)]);
  });
  return steps;
}

async function hubsRun(server: ThrowawayPostgres, hubCount: number, logDir: string): Promise<HubsRunResult> {
  const random = seededRandom(seed + 11);
  const { url, key, receiver } = await setUpHubDatabase(server, `drill_hubs_${hubCount}`);
  const hubs: Hub[] = [];
  for (let h = 0; h < hubCount; h++) hubs.push(await startHub({ databaseUrl: url, env: hubEnv, logFile: join(logDir, `hubs-${hubCount}-hub-${h}.log`) }));
  const steps = hubsSteps(twoWorldSize);
  const started = performance.now();
  const stepsPerSecond = rate / 2;

  // Steward actions through GraphQL, alternating between the hubs: pins with the version read,
  // and every fourth action a merge of two customer golden records.
  const steward = new Map<string, number>();
  const mergedKeys = new Set<string>();
  let action = 0;
  const pin = `mutation($id: ID!, $v: Int) { pinAttribute(goldenId: $id, attribute: "name", value: "Drill pin", expectedVersion: $v, reason: "drill") { __typename } }`;
  const merge = `mutation($ids: [ID!]!, $v: [Int!]) { merge(goldenIds: $ids, expectedVersions: $v, reason: "drill") { __typename ... on MergeSuccess { goldenId } } }`;
  const stewardLoop = every(700, async () => {
    const hub = hubs[action % hubCount];
    const isMerge = action % 4 === 3;
    action++;
    const goldens = await withClient(url, async (c) => (await c.query(`SELECT id, version FROM golden_record WHERE status = 'active' AND entity = 'customer' ORDER BY random() LIMIT 2`)).rows as Array<{ id: string; version: number }>);
    if (goldens.length < 2) return;
    const body = isMerge ? { query: merge, variables: { ids: goldens.map((g) => g.id), v: goldens.map((g) => g.version) } } : { query: pin, variables: { id: goldens[0].id, v: goldens[0].version } };
    const res = await post(hub.port, '/graphql', JSON.stringify(body), { 'content-type': 'application/json', authorization: `Bearer ${key}` });
    const data = (res.json as { data?: Record<string, { __typename: string; goldenId?: string }>; errors?: unknown[] } | null) ?? {};
    const outcome = res.status !== 200 ? `HTTP ${res.status}` : data.errors ? 'error' : Object.values(data.data ?? {})[0]?.__typename ?? 'none';
    tally(steward, `${isMerge ? 'merge' : 'pin'} ${outcome}`);
    if (isMerge && outcome === 'MergeSuccess') {
      const survivor = Object.values(data.data!)[0].goldenId!;
      const members = await withClient(url, async (c) => (await c.query(`SELECT entity, source, source_id FROM xref WHERE golden_id = $1`, [survivor])).rows);
      for (const m of members) mergedKeys.add(recordKey(m.entity, m.source, m.source_id));
    }
  });

  let eventNo = 0;
  const sentNested = await atRate(steps.length, stepsPerSecond, (i) =>
    Promise.all(steps[i].map((record, j) => {
      const id = `hubs-${seed}-${eventNo++}`;
      const h = (i + j) % hubCount;
      return sendEvent(hubs[h].port, key, id, record, started);
    })),
  );
  await stewardLoop.stop();
  const sent = sentNested.flat();
  const settle = await waitSettled(url, 180_000, (outbox) => outbox.every((id) => receiver.received.has(id)));
  const live = await withClient(url, async (c) => ({
    listeners: (await c.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'mdm-hub' AND query ILIKE 'LISTEN mdm_inbox%'`)).rows[0].n as number,
    locks: (await c.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`)).rows[0].n as number,
  }));
  const hubsAlive = hubs.every((h) => alive(h.pid));
  const state = await hubState(url, sent, receiver.received);
  for (const h of hubs) await h.stop();
  await receiver.close();
  const comparison = await compareWithBatch(server.url, url, `drill_batch_${hubCount}`, mergedKeys);
  const problems = problemsOf(state, live.listeners).filter((p) => !p.includes('LISTEN'));
  if (live.listeners !== hubCount) problems.push(`${live.listeners} inbox LISTEN connections while ${hubCount} hubs ran`);
  if (live.locks > 0) problems.push(`${live.locks} advisory locks held while the hubs were idle`);
  if (!hubsAlive) problems.push('a hub process exited');
  if (!settle.settled) problems.push(`the inbox and deliveries did not settle within ${settle.seconds.toFixed(0)} s`);
  const refused = sent.filter((s) => !s.acked).length;
  if (refused > 0) problems.push(`${refused} events were not accepted`);
  for (const [k, v] of steward) if (!/ (PinAttributeSuccess|MergeSuccess|Conflict|NotFound)$/.test(k)) problems.push(`${v} steward actions answered "${k}"`);
  const retried = inboxFailures(hubs.map((_, h) => join(logDir, `hubs-${hubCount}-hub-${h}.log`)));
  return { hubs: hubCount, events: sent.length, acked: sent.length - refused, steward, state, listenersWhileRunning: live.listeners, locksWhileIdle: live.locks, comparison, settleSeconds: settle.seconds, retried, problems };
}

// ---------------------------------------------------------------------------------------------

const fmt = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ') || '-';
const s1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'never');
const attemptsLine = (a: Record<string, number>) => Object.entries(a).map(([k, v]) => `${k}: ${v}`).join(', ');

function report(restart: RestartResult, one: HubsRunResult, two: HubsRunResult, totalSeconds: number): string {
  const lines: string[] = [];
  lines.push('## Fault drill: PostgreSQL restarted under load, two hubs on one database');
  lines.push('');
  lines.push(`Machine: ${machineLine()}. Command: \`${command}\` (${totalSeconds.toFixed(0)} s). A PostgreSQL server of the drill's own (fsync and synchronous commit on); hubs are \`mdm serve\` child processes.`);
  lines.push('');
  lines.push(`**PostgreSQL restarted under load**: ${restart.events} webhook events at ${rate}/s (world of ${worldSize}, changed versions mixed in; a refused event is sent again with its id after Retry-After) and GraphQL reads every 100 ms; /readyz probed every 100 ms.`);
  lines.push('');
  lines.push('| outage | server down (s) | /readyz not ready (s) | /readyz 200 after the server was back (s) | first webhook 202 after it was back (s) | webhook answers from the outage to ready | GraphQL reads in that window |');
  lines.push('|---|---:|---:|---:|---:|---|---|');
  for (const o of restart.outages) lines.push(`| ${o.kind} | ${s1(o.upAt - o.downAt)} | ${s1(o.notReadySeconds)} | ${s1(o.recoverySeconds)} | ${s1(o.firstAcceptSeconds)} | ${fmt(o.webhook)} | ${fmt(o.graphql)} |`);
  lines.push('');
  const st = restart.state;
  lines.push('| check | result |');
  lines.push('|---|---|');
  lines.push(`| hub process | ${restart.hubAlive ? 'never exited, ready at the end' : 'EXITED or not ready'} |`);
  lines.push(`| webhook answers (all attempts) | ${fmt(restart.answers)} |`);
  lines.push(`| events answered 202 / given up | ${restart.acked} / ${restart.gaveUp} |`);
  lines.push(`| answered 202 but not stored / not processed | ${st.ackedMissing} / ${st.ackedNotDone} |`);
  lines.push(`| answered 503 but stored anyway (sent again: a duplicate) | ${st.refusedButStored} |`);
  lines.push(`| inbox: done / pending / dead | ${st.inboxDone} / ${st.inboxPending} / ${st.inboxDead} |`);
  lines.push(`| inbox attempts (attempts: events) | ${attemptsLine(st.attempts)} |`);
  lines.push(`| change events / duplicates / not delivered / delivered again | ${st.outboxEvents} / ${st.outboxDuplicates} / ${st.undelivered} / ${st.redelivered} |`);
  lines.push(`| source records / without golden record / in an inactive one | ${st.sourceRecords} / ${st.recordsWithoutGolden} / ${st.recordsInInactiveGolden} |`);
  lines.push(`| advisory locks held at the end / inbox LISTEN connections | ${st.advisoryLocksHeld} / ${st.listeners} |`);
  lines.push(`| GraphQL reads | ${fmt(restart.graphql)} |`);
  lines.push(`| settled after the load (s) | ${restart.settleSeconds.toFixed(1)} |`);
  lines.push(`| problems | ${restart.problems.length === 0 ? 'none' : restart.problems.join('; ')} |`);
  lines.push('');
  lines.push(`**Two hubs on one database**: the records of each true entity sent at the same moment, split over the hubs (world of ${twoWorldSize}, a changed version after every third entity), plus a steward action through GraphQL every 0.7 s alternating between the hubs (pin with the version read; every fourth a merge of two customer golden records). Baseline: the same events through one hub, in the same run. Clusters compared with one batch \`mdm resolve\` of the final records in a fresh database (golden records a steward merged left out).`);
  lines.push('');
  lines.push('| | one hub (baseline) | two hubs |');
  lines.push('|---|---|---|');
  const row = (name: string, f: (r: HubsRunResult) => string) => lines.push(`| ${name} | ${f(one)} | ${f(two)} |`);
  row('events answered 202 / sent', (r) => `${r.acked} / ${r.events}`);
  row('steward actions', (r) => fmt(r.steward));
  row('inbox: done / pending / dead', (r) => `${r.state.inboxDone} / ${r.state.inboxPending} / ${r.state.inboxDead}`);
  row('inbox attempts (attempts: events)', (r) => attemptsLine(r.state.attempts));
  row('inbox events retried after a failed step, by error (hub logs)', (r) => fmt(r.retried));
  row('source records / active golden records', (r) => `${r.state.sourceRecords} / ${r.state.activeGoldens}`);
  row('records without golden record / in an inactive one / empty golden records', (r) => `${r.state.recordsWithoutGolden} / ${r.state.recordsInInactiveGolden} / ${r.state.emptyGoldens}`);
  row('golden records a batch run would merge (duplicates) / split', (r) => `${r.comparison.hubSplit} / ${r.comparison.hubOverMerged} (of ${r.comparison.hubGoldens}; batch ${r.comparison.batchClusters} clusters over ${r.comparison.records} records)`);
  row('change events / duplicates / not delivered', (r) => `${r.state.outboxEvents} / ${r.state.outboxDuplicates} / ${r.state.undelivered}`);
  row('advisory locks held when idle / LISTEN connections', (r) => `${r.locksWhileIdle} / ${r.listenersWhileRunning}`);
  row('settled after the load (s)', (r) => r.settleSeconds.toFixed(1));
  row('problems', (r) => (r.problems.length === 0 ? 'none' : r.problems.join('; ')));
  return lines.join('\n');
}

async function main(): Promise<void> {
  const logDir = mkdtempSync(join(tmpdir(), 'mdm-drill-faults-'));
  const begun = performance.now();
  console.error(`drill:faults seed ${seed}: starting a PostgreSQL server of its own`);
  const server = await startThrowawayPostgres({ maxConnections: 100 });
  let failed = false;
  try {
    console.error('1/3 PostgreSQL restarted under load');
    const restart = await restartDrill(server, logDir);
    console.error('2/3 the same events through one hub (baseline)');
    const one = await hubsRun(server, 1, logDir);
    console.error('3/3 two hubs on one database');
    const two = await hubsRun(server, 2, logDir);
    // Two hubs may not leave more duplicates than one hub given the same events (a little slack for order).
    const slack = Math.max(2, Math.ceil(one.comparison.hubGoldens * 0.01));
    if (two.comparison.hubSplit > one.comparison.hubSplit + slack) {
      two.problems.push(`two hubs left ${two.comparison.hubSplit} golden records a batch run would merge, one hub ${one.comparison.hubSplit}`);
    }
    const text = report(restart, one, two, (performance.now() - begun) / 1000);
    console.log(text);
    writeSection(join(PROJECT_ROOT, 'docs', 'benchmarks.md'), 'drill-faults', text);
    failed = restart.problems.length + one.problems.length + two.problems.length > 0;
    const crashes = readFileSync(join(logDir, 'restart-hub.log'), 'utf8').match(/Unhandled|uncaught/gi)?.length ?? 0;
    if (crashes > 0) console.error(`the restarted hub's log mentions ${crashes} unhandled errors (${logDir})`);
  } finally {
    closeAgent();
    await server.destroy();
    if (!failed && !keepLogs) rmSync(logDir, { recursive: true, force: true });
    else console.error(`hub logs kept in ${logDir}`);
  }
  process.exit(failed ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
