import type { Command } from 'commander';
import { printJson, withDatabase } from '../cli/context';
import { UsageError } from '../core/errors';
import type { Database } from '../db/database';
import { deliveryStates, discardDeadLetters, listDeadLetters, replayDeliveries } from './delivery.repository';
import { findSubscriber, type SubscriberView } from './subscriber.repository';

async function subscriberOf(database: Database, idOrName: string): Promise<SubscriberView> {
  const s = await findSubscriber(database.db, idOrName);
  if (!s) throw new UsageError(`no subscriber "${idOrName}" (see \`mdm subscriber list\`)`);
  return s;
}

export function parseSince(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const relative = /^(\d+)([smhd])$/.exec(value);
  if (relative) {
    const seconds = Number(relative[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return new Date(Date.now() - seconds * 1000);
  }
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new UsageError(`--since "${value}" is not a time (expected ISO-8601 like 2026-05-01T00:00:00Z, or 30m, 6h, 2d)`);
  }
  return date;
}

/**
 * `mdm events status|replay|dead-letters|discard`: delivery of change events to subscribers.
 *
 * @example
 * ```sh
 * mdm events status
 * mdm events replay --subscriber erp               # dead letters back into the queue
 * mdm events replay --subscriber erp --since 6h    # and everything delivered in the last 6 hours
 * ```
 */
export function registerEvents(program: Command): void {
  const events = program.command('events').description('delivery of change events to subscribers');

  events
    .command('status')
    .description('per subscriber: pending, retrying, dead letters, unread outbox events')
    .option('--json', 'print JSON (one array)')
    .action(async (opts: { json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const states = await deliveryStates(db);
        if (opts.json) {
          printJson(states);
          return;
        }
        if (states.length === 0) process.stdout.write('no subscribers\n');
        for (const s of states) {
          process.stdout.write(
            `#${s.subscriberId} "${s.name}"${s.active ? '' : ' (paused)'}: ${s.unread} unread, ${s.pending} pending (${s.retrying} retrying), ` +
              `${s.deadLetters} dead letters, oldest pending ${Math.round(s.oldestPendingSeconds)} s\n`,
          );
        }
      });
    });

  events
    .command('replay')
    .description('deliver again: the dead letters, and with --since every event written since then')
    .requiredOption('--subscriber <subscriber>', 'id or name')
    .option('--since <time>', 'ISO-8601 time or a duration ago (30m, 6h, 2d)')
    .option('--json', 'print JSON')
    .action(async (opts: { subscriber: string; since?: string; json?: boolean }) => {
      const since = parseSince(opts.since);
      await withDatabase(async (database) => {
        const s = await subscriberOf(database, opts.subscriber);
        const result = await replayDeliveries(database.db, s.id, since);
        if (opts.json) {
          printJson({ subscriber: s.id, ...result });
          return;
        }
        process.stdout.write(
          `queued for "${s.name}": ${result.deadLetters} dead letters` +
            (since ? ` and ${result.redelivered} events delivered since ${since.toISOString()}` : '') +
            '; a running hub delivers them in order per golden record\n',
        );
      });
    });

  events
    .command('dead-letters')
    .description('list a subscriber\'s dead letters (events given up on, which hold back later events of their golden record)')
    .requiredOption('--subscriber <subscriber>', 'id or name')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON (one array)')
    .action(async (opts: { subscriber: string; limit: string; json?: boolean }) => {
      await withDatabase(async (database) => {
        const s = await subscriberOf(database, opts.subscriber);
        const rows = await listDeadLetters(database.db, s.id, Number(opts.limit) || 100);
        if (opts.json) {
          printJson(rows);
          return;
        }
        if (rows.length === 0) process.stdout.write(`no dead letters for "${s.name}"\n`);
        for (const r of rows) {
          process.stdout.write(
            `event ${r.outboxId} ${r.eventType} ${r.goldenId} v${r.goldenVersion}: ${r.attempts} attempts, last ${r.lastError ?? '-'} at ${r.failedAt.toISOString()}\n`,
          );
        }
      });
    });

  events
    .command('discard')
    .description('drop dead letters without delivering them (all, or one --event); held events go on')
    .requiredOption('--subscriber <subscriber>', 'id or name')
    .option('--event <id>', 'only this event (outbox id)')
    .action(async (opts: { subscriber: string; event?: string }) => {
      if (opts.event !== undefined && !/^\d{1,18}$/.test(opts.event)) throw new UsageError(`--event "${opts.event}" is not an event id`);
      await withDatabase(async (database) => {
        const s = await subscriberOf(database, opts.subscriber);
        const n = await discardDeadLetters(database.db, s.id, opts.event);
        process.stdout.write(`discarded ${n} dead letters of "${s.name}"\n`);
      });
    });
}
