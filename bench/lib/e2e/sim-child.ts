/**
 * One simulated source system for bench:e2e, in a process of its own: loads the records of one
 * source from a world's records.jsonl (streamed; records whose key is held back are left out: they
 * appear later, during the traffic phase), serves them through the simulator of that system, and
 * applies changes sent on standard input, one JSON object a line:
 *
 *   {"op":"update","entity":"customer","id":"1000000","patch":{"phone":"+49 30 1234567"}}
 *   {"op":"insert","record":{ ...a world record... }}
 *   {"op":"cpu"}       -> prints `CPU <seconds>` (user + system so far)
 *
 * Prints `READY <url> <records>` once it listens; the end of standard input stops it.
 *
 *   node --import tsx bench/lib/e2e/sim-child.ts --source erp --records DIR/records.jsonl --held DIR/held.txt
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startCrmSimulator } from '../../../src/sim/crm/crm-simulator';
import { startErpSimulator } from '../../../src/sim/erp/erp-simulator';
import { startFsmSimulator } from '../../../src/sim/fsm/fsm-simulator';
import type { SimRecord, Simulator } from '../../../src/sim/index';
import type { EntityType } from '../../../src/core/entities';
import { SIM_AUTH, type SourceName } from './world';
import { opt } from '../args';


async function main(): Promise<void> {
  const source = opt('source') as SourceName;
  const file = opt('records');
  if (!file || !['erp', 'crm', 'fsm'].includes(source)) throw new Error('usage: sim-child.ts --source erp|crm|fsm --records FILE [--held FILE]');
  const heldFile = opt('held');
  const held = new Set(heldFile && existsSync(heldFile) ? readFileSync(heldFile, 'utf8').split('\n').filter(Boolean) : []);
  const records: SimRecord[] = [];
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  const tag = `"source":"${source}"`;
  for await (const line of lines) {
    if (!line.includes(tag)) continue; // cheap pre-filter; the parsed field decides
    const r = JSON.parse(line) as SimRecord;
    if (r.source !== source || held.has(`${r.entity}|${r.source}|${r.sourceId}`)) continue;
    records.push(r);
  }
  // No response cache: the full sync reads each record once and a delta sync only changed ones, so
  // a cache would only hold a rendered copy of every record (2.4 GB in the ERP process of a 1M
  // world), which V8 marks again and again once the process goes idle: about 30 s of processor
  // time during the hub's resolve, on a machine whose two cores the hub needs.
  const cacheResponses = false;
  const sim: Simulator =
    source === 'erp'
      ? await startErpSimulator({ records, cacheResponses, auth: { username: SIM_AUTH.user, password: SIM_AUTH.password } })
      : source === 'crm'
        ? await startCrmSimulator({ records, cacheResponses, auth: { clientId: SIM_AUTH.clientId, clientSecret: SIM_AUTH.clientSecret } })
        : await startFsmSimulator({ records, cacheResponses, auth: { username: SIM_AUTH.user, password: SIM_AUTH.password } });
  const count = records.length;
  records.length = 0;
  process.stdout.write(`READY ${sim.url} ${count}\n`);
  const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
  input.on('line', (line) => {
    if (line.trim() === '') return;
    const cmd = JSON.parse(line) as { op: string; entity?: EntityType; id?: string; patch?: Record<string, unknown>; record?: SimRecord };
    if (cmd.op === 'update') sim.update(cmd.entity!, cmd.id!, cmd.patch!);
    else if (cmd.op === 'insert') sim.insert({ ...cmd.record!, updatedAt: undefined });
    else if (cmd.op === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.stdout.write(`CPU ${(user + system) / 1e6}\n`);
    }
  });
  input.on('close', () => void sim.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
