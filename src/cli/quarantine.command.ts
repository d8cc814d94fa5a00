import type { Command } from 'commander';
import { listQuarantine } from '../ingest/quarantine.repository';
import { printJson, withDatabase } from './context';

export function registerQuarantine(program: Command): void {
  const quarantine = program.command('quarantine').description('records rejected at ingest');
  quarantine
    .command('list')
    .description('list quarantined records, newest first')
    .option('--run <id>', 'only those of one ingest run')
    .option('--source <name>', 'only those of one source')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON (one array)')
    .action(async (opts: { run?: string; source?: string; limit: string; json?: boolean }) => {
      await withDatabase(async ({ db }) => {
        const rows = await listQuarantine(db, { runId: opts.run, source: opts.source, limit: Number(opts.limit) || 100 });
        if (opts.json) {
          printJson(
            rows.map((r) => ({
              id: r.id, runId: r.run_id, file: r.file, line: r.line, source: r.source, entity: r.entity,
              sourceId: r.source_id, reason: r.reason, excerpt: r.excerpt, createdAt: r.created_at,
            })),
          );
          return;
        }
        if (rows.length === 0) {
          process.stdout.write('quarantine is empty\n');
          return;
        }
        for (const r of rows) {
          const where = r.file ? `${r.file}${r.line ? `:${r.line}` : ''}` : [r.source, r.entity, r.source_id].filter(Boolean).join('/');
          process.stdout.write(`#${r.id} run ${r.run_id ?? '-'} ${where}\n  reason:  ${r.reason}\n  excerpt: ${r.excerpt}\n`);
        }
      });
    });
}
