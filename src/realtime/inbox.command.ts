import type { Command } from 'commander';
import { printJson, withDatabase } from '../cli/context';
import { parseSince } from '../events/events.command';
import { inboxStatus, listDeadEvents, replayDeadEvents } from './inbox.repository';
import { openMigratedDatabase } from '../cli/context';

/**
 * `mdm inbox status|dead-letters|replay|process`: the durable inbox of event-driven ingest.
 *
 * @example
 * ```sh
 * mdm inbox status
 * mdm inbox dead-letters --source crm
 * mdm inbox replay --source crm --since 6h   # dead letters back into the queue
 * mdm inbox process                          # drain the inbox now (a running hub does it by itself)
 * ```
 */
export function registerInbox(program: Command): void {
  const inbox = program.command('inbox').description('the inbox of events pushed to /ingest (webhooks)');

  inbox
    .command('status')
    .description('pending, processed and dead events, and the age of the oldest pending one')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const s = await inboxStatus(db);
        if (opts.json) return printJson(s);
        process.stdout.write(`pending ${s.pending} (oldest ${s.oldestPendingSeconds.toFixed(1)} s), processed ${s.done}, dead letters ${s.dead}\n`);
      });
    });

  inbox
    .command('dead-letters')
    .description('events that failed processing after every retry, with their error')
    .option('--source <source>', 'only this source')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON (one array)')
    .action(async (opts: { source?: string; limit: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const dead = await listDeadEvents(db, { source: opts.source, limit: Number(opts.limit) || 100 });
        if (opts.json) return printJson(dead);
        if (dead.length === 0) process.stdout.write('no dead letters\n');
        for (const d of dead) {
          process.stdout.write(`#${d.id} ${d.source} ${d.entity} ${d.sourceId ?? '-'} event ${d.eventId} (${d.attempts} attempts): ${d.lastError ?? ''}\n`);
        }
      });
    });

  inbox
    .command('replay')
    .description('put dead letters back into the queue (after fixing what made them fail)')
    .option('--source <source>', 'only this source')
    .option('--since <time>', 'only events received since: ISO-8601 time or a duration ago (30m, 6h, 2d)')
    .option('--json', 'print JSON')
    .action(async (opts: { source?: string; since?: string; json?: boolean }) => {
      const since = parseSince(opts.since);
      await withDatabase(async ({ db }) => {
        const n = await replayDeadEvents(db, { source: opts.source, since });
        if (opts.json) return printJson({ replayed: n });
        process.stdout.write(`${n} dead letters queued again; a running hub processes them\n`);
      });
    });

  inbox
    .command('work')
    .description('run an inbox worker until stopped (next to `mdm serve`, to process events on another core or host)')
    .option('--batch-size <n>', 'events claimed together', '100')
    .option('--max-batch-size <n>', 'the most events claimed together behind a backlog (each full claim doubles the next)', '500')
    .option('--lease-ms <ms>', 'how long a claim holds before another worker may take the events over', '60000')
    .action(async (opts: { batchSize: string; maxBatchSize: string; leaseMs: string }) => {
      // The worker (and the resolution it runs) is loaded only by the commands that process events.
      const { startInboxWorker } = await import('./inbox-worker');
      const database = await openMigratedDatabase();
      const worker = startInboxWorker(database, { batchSize: Number(opts.batchSize) || 100, maxBatchSize: Number(opts.maxBatchSize) || 500, leaseMs: Number(opts.leaseMs) || 60_000, pollMs: 50 });
      process.stdout.write('inbox worker running (stop with Ctrl-C)\n');
      const stop = async () => {
        await worker.stop();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  inbox
    .command('process')
    .description('process the inbox until it is empty (a running hub does this by itself)')
    .action(async () => {
      const { processInboxBatch } = await import('./inbox-worker');
      await withDatabase(async (database) => {
        let processed = 0;
        let failed = 0;
        for (;;) {
          const r = await processInboxBatch(database);
          processed += r.processed;
          failed += r.failed;
          if (r.claimed === 0) break;
        }
        process.stdout.write(`processed ${processed} events, ${failed} became dead letters\n`);
      });
    });
}
