import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { isEntityType } from '../core/entities';
import { UsageError } from '../core/errors';
import { printJson, withDatabase } from './context';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load canonical records (or foreign files through a mapping) from a JSONL or CSV file')
    .requiredOption('--file <path>', 'the file to load')
    .option('--format <format>', 'jsonl or csv (default: from the mapping or the file name)')
    .option('--mapping <path>', 'a mapping file (JSON) for files in another layout')
    .option('--source <name>', 'source system of records that carry none')
    .option('--entity <type>', 'entity type of records that carry none')
    .option('--json', 'print a JSON summary as the last line')
    .action(async (opts: { file: string; format?: string; mapping?: string; source?: string; entity?: string; json?: boolean }) => {
      if (opts.format && opts.format !== 'jsonl' && opts.format !== 'csv') {
        throw new UsageError(`--format ${opts.format} is not supported (use jsonl or csv)`);
      }
      if (opts.entity && !isEntityType(opts.entity)) {
        throw new UsageError(`--entity ${opts.entity} is not an entity type (customer, product, serial, asset, contract, location)`);
      }
      if (opts.source && !/^[a-z0-9_-]{1,40}$/.test(opts.source)) {
        throw new UsageError(`--source ${opts.source} is invalid (1-40 characters of a-z, 0-9, _ or -)`);
      }
      // Loaded here, so that the CLI starts without loading every command's code.
      const { ingestFile } = await import('../ingest/file-ingest.service');
      await withDatabase(async (database) => {
        const bar = process.stderr.isTTY ? new SingleBar({ stream: process.stderr, format: 'ingest [{bar}] {percentage}% | {records} records | {eta_formatted} left', hideCursor: true }) : undefined;
        let started = false;
        try {
          const result = await ingestFile(database, {
            file: opts.file,
            format: opts.format as 'jsonl' | 'csv' | undefined,
            mapping: opts.mapping,
            source: opts.source,
            entity: opts.entity as never,
            onProgress: bar
              ? ({ bytes, totalBytes, counts }) => {
                  if (!started) {
                    bar.start(Math.max(totalBytes, 1), 0, { records: 0 });
                    started = true;
                  }
                  bar.update(bytes, { records: counts.read });
                }
              : undefined,
          });
          if (started) {
            bar!.update(bar!.getTotal());
            bar!.stop();
          }
          const { runId, ...counts } = result;
          if (opts.json) printJson(counts);
          else {
            process.stdout.write(
              `run ${runId}: read ${counts.read}, inserted ${counts.inserted}, updated ${counts.updated}, unchanged ${counts.unchanged}, stale ${counts.stale}, deleted ${counts.deleted}, quarantined ${counts.quarantined}\n`,
            );
            if (counts.quarantined > 0) process.stdout.write(`see them with: mdm quarantine list\n`);
          }
        } finally {
          if (started) bar!.stop();
        }
      });
    });
}
