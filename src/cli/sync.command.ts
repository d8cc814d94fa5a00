import type { Command } from 'commander';
import pino from 'pino';
import { isEntityType } from '../core/entities';
import { UsageError } from '../core/errors';
import { printJson, withDatabase } from './context';

/** `mdm sync --source S [--mode full|delta] [--config F] [--entity E] [--json]`. */
export function registerSync(program: Command): void {
  program
    .command('sync')
    .description('pull records from a configured source system (SAP, Salesforce, ServiceNow)')
    .requiredOption('--source <name>', 'the configured source to pull from')
    .option('--mode <mode>', 'full (everything) or delta (changes since the watermark)', 'delta')
    .option('--config <file>', 'sources configuration (JSON; default: $MDM_SOURCES)')
    .option('--entity <type>', 'only the feeds of this entity type')
    .option('--json', 'print a JSON summary as the last line')
    .action(async (opts: { source: string; mode: string; config?: string; entity?: string; json?: boolean }) => {
      if (opts.mode !== 'full' && opts.mode !== 'delta') throw new UsageError(`--mode ${opts.mode} is not supported (use full or delta)`);
      if (opts.entity && !isEntityType(opts.entity)) {
        throw new UsageError(`--entity ${opts.entity} is not an entity type (customer, product, serial, asset, contract, location)`);
      }
      // Loaded here, so that the CLI starts without loading every command's code.
      const [{ findSource, loadSourcesConfig }, { syncSource }, { listWatermarks }] = await Promise.all([
        import('../ingest/sources-config'),
        import('../ingest/sync.service'),
        import('../ingest/watermark.repository'),
      ]);
      const config = await loadSourcesConfig(opts.config ?? process.env.MDM_SOURCES);
      const source = findSource(config, opts.source);
      await withDatabase(async (database) => {
        const progress = process.stderr.isTTY && !opts.json;
        // Logs go to stderr, so stdout stays the report (and --json's last line the summary).
        const logger = pino({ level: process.env.MDM_LOG_LEVEL ?? 'warn', base: { service: 'mdm-hub' } }, pino.destination({ fd: 2, sync: true }));
        const result = await syncSource(database, source, {
          logger,
          mode: opts.mode as 'full' | 'delta',
          entity: opts.entity as never,
          onProgress: progress
            ? ({ feed, pages, counts }) => process.stderr.write(`\rsync ${source.name} ${feed}: page ${pages}, ${counts.read} records read   `)
            : undefined,
        });
        if (progress) process.stderr.write('\n');
        const { runId, feeds, ...counts } = result;
        if (opts.json) {
          const watermarks = await listWatermarks(database.db, source.name);
          printJson({ runId, ...counts, feeds, watermarks: watermarks.map((w) => ({ feed: w.feed, stamp: w.stamp, key: w.key })) });
        } else {
          process.stdout.write(
            `run ${runId}: ${source.name} ${counts.mode} sync read ${counts.read}, inserted ${counts.inserted}, updated ${counts.updated}, unchanged ${counts.unchanged}, stale ${counts.stale}, deleted ${counts.deleted}, quarantined ${counts.quarantined} in ${counts.seconds.toFixed(1)} s (${counts.requests} requests, ${counts.retries} retries)\n`,
          );
          for (const f of feeds) process.stdout.write(`  ${f.feed}: ${f.read} records in ${f.pages} pages, watermark ${f.watermark ?? '-'}\n`);
          if (counts.quarantined > 0) process.stdout.write('see them with: mdm quarantine list\n');
        }
      });
    });
}
