/**
 * The change traffic of bench:e2e, drawn from a generated world (records.jsonl) in one streamed pass.
 *
 * A share of the world's records (`changeShare`, by default 0.5 %: the change volume of the busiest
 * half hour of a day on which 3 % of master records change, see docs/benchmarks.md) is picked by a
 * hash of each record's key, so the same world always gives the same traffic:
 *  - a quarter are *new records*: held back from the simulators at the start (their keys are written
 *    to held.txt) and created in the source system during the traffic phase;
 *  - three quarters are *changes* of stored records (a new phone, a renewed contract, another asset
 *    status, a new price, moved coordinates; serials are touched without a change of content).
 * Every change happens in a source system (the simulator); every second one is also announced by
 * the source with a webhook event (a CloudEvent to the hub), the others only the next delta sync sees.
 * Records whose last version in the world is deleted are never picked.
 */
import { createReadStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export type SourceName = 'erp' | 'crm' | 'fsm';
export const SOURCES: readonly SourceName[] = ['erp', 'crm', 'fsm'];

/** Credentials of the simulated systems (loopback only). */
export const SIM_AUTH = { user: 'bench', password: 'bench-pw', clientId: 'bench', clientSecret: 'bench-secret' };

export type WorldRecord = Record<string, unknown> & { entity: string; source: SourceName; sourceId: string; deleted?: boolean; updatedAt?: string };

export interface Change {
  kind: 'insert' | 'update';
  /** Also sent to the hub as a webhook event. */
  event: boolean;
  record: WorldRecord;
  /** For updates: the attributes that change. */
  patch: Record<string, unknown>;
}

export interface Traffic {
  /** Records in the world (every line of records.jsonl). */
  records: number;
  changes: Change[];
  /** Keys `entity|source|sourceId` held back from the simulators. */
  held: string[];
  /** Stored records to look up during the traffic phase (entity, source, sourceId). */
  lookups: Array<{ entity: string; source: string; sourceId: string }>;
}

/** FNV-1a of a string, as a fraction in [0, 1). */
export function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 4294967296;
}

/** A changed phone: the last three digits replaced (still a number of the same plan). */
function otherPhone(phone: string, salt: number): string {
  const digits = String(100 + (salt % 900));
  let out = phone;
  let j = digits.length - 1;
  for (let i = out.length - 1; i >= 0 && j >= 0; i--) {
    if (/\d/.test(out[i])) out = out.slice(0, i) + digits[j--] + out.slice(i + 1);
  }
  return out;
}

/** The same day a year later; 29 February becomes 28 February (the year after a leap year has none). */
export function plusOneYear(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  if (!m) return date;
  const day = m[2] === '02' && m[3] === '29' ? '28' : m[3];
  return `${Number(m[1]) + 1}-${m[2]}-${day}${date.slice(10)}`;
}

/** What changes in a record of this entity type (attributes as the world and the simulators name them). */
export function patchFor(r: WorldRecord, salt: number, statuses: ReadonlyMap<string, string[]>): Record<string, unknown> {
  switch (r.entity) {
    case 'customer':
      if (typeof r.phone === 'string' && /\d{3}/.test(r.phone)) return { phone: otherPhone(r.phone, salt) };
      if (typeof r.email === 'string') return { email: r.email.replace(/^[^@]*/, 'service') };
      return {};
    case 'product':
      return typeof r.price === 'number' ? { price: Math.round(r.price * 103) / 100 } : {};
    case 'asset': {
      const seen = (statuses.get(r.source) ?? []).filter((s) => s !== r.status);
      return seen.length > 0 ? { status: seen[salt % seen.length] } : {};
    }
    case 'contract':
      return typeof r.endDate === 'string' ? { endDate: plusOneYear(r.endDate) } : {};
    case 'location':
      return typeof r.latitude === 'number' && typeof r.longitude === 'number'
        ? { latitude: Math.round((r.latitude + 0.0001) * 1e6) / 1e6, longitude: Math.round((r.longitude + 0.0001) * 1e6) / 1e6 }
        : {};
    default:
      return {}; // serials: touched (a new change stamp), same content
  }
}

/** Reads the world once and draws the traffic; writes the held-back keys to `heldFile`. */
export async function drawTraffic(recordsFile: string, heldFile: string, options: { changeShare: number; lookups: number }): Promise<Traffic> {
  const share = options.changeShare;
  const picked = new Map<string, WorldRecord>();
  const statuses = new Map<string, Set<string>>();
  const lookups: Traffic['lookups'] = [];
  let records = 0;
  const lines = createInterface({ input: createReadStream(recordsFile), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    records++;
    const r = JSON.parse(line) as WorldRecord;
    const key = `${r.entity}|${r.source}|${r.sourceId}`;
    if (r.entity === 'asset' && typeof r.status === 'string') {
      let s = statuses.get(r.source);
      if (!s) statuses.set(r.source, (s = new Set()));
      s.add(r.status);
    }
    const u = unitHash(key);
    if (u < share) picked.set(key, r); // the last version wins
    // Lookups: other stored records, spread over the world.
    else if (u < share + 0.02 && lookups.length < options.lookups && r.deleted !== true) lookups.push({ entity: r.entity, source: r.source, sourceId: r.sourceId });
  }
  const statusLists = new Map([...statuses].map(([k, v]) => [k, [...v].sort()]));
  const changes: Change[] = [];
  const held: string[] = [];
  let i = 0;
  for (const [key, r] of [...picked].sort(([a], [b]) => unitHash(`${a}#order`) - unitHash(`${b}#order`))) {
    if (r.deleted === true) continue;
    const u = unitHash(key);
    const event = unitHash(`${key}#event`) < 0.5;
    if (u < share / 4) {
      held.push(key);
      changes.push({ kind: 'insert', event, record: r, patch: {} });
    } else {
      changes.push({ kind: 'update', event, record: r, patch: patchFor(r, i, statusLists) });
    }
    i++;
  }
  writeFileSync(heldFile, held.join('\n') + '\n');
  return { records, changes, held, lookups };
}
