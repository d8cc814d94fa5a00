import { createWriteStream } from 'node:fs';
import type { Command } from 'commander';
import { type EntityType, isEntityType } from '../core/entities';
import { UsageError } from '../core/errors';
import { printJson, withDatabase } from './context';

export function parseEntityOption(value: string | undefined): EntityType | undefined {
  if (value === undefined) return undefined;
  if (!isEntityType(value)) {
    throw new UsageError(`--entity ${value} is not an entity type (customer, product, serial, asset, contract, location)`);
  }
  return value;
}

export function registerResolve(program: Command): void {
  program
    .command('resolve')
    .description('resolve identities of everything new or changed since the last run: match, cluster, golden ids, cross-references, review queue')
    .option('--entity <type>', 'only this entity type')
    .option('--force', 'resolve even when nothing changed (clusters the whole entity type)')
    .option('--full', 'cluster whole entity types even when few records changed (a nightly run; see docs/matching.md)')
    .option('--json', 'print a JSON summary as the last line')
    .option('--profile', 'print wall time, heap and RSS of each phase to standard error')
    .action(async (opts: { entity?: string; force?: boolean; full?: boolean; json?: boolean; profile?: boolean }) => {
      const entity = parseEntityOption(opts.entity);
      const { resolve } = await import('../golden-record/resolve.service');
      await withDatabase(async (database) => {
        const started = performance.now();
        const summaries = await resolve(database, {
          entity,
          force: opts.force,
          full: opts.full,
          onProgress: process.stderr.isTTY && !opts.json ? (m) => process.stderr.write(`${m}\n`) : undefined,
        });
        const seconds = (performance.now() - started) / 1000;
        if (opts.profile) {
          const { formatPhases } = await import('../golden-record/resolve-profile');
          for (const s of summaries) if (s.phases) process.stderr.write(`${formatPhases(s.entity, s.phases)}\n`);
        }
        if (opts.json) {
          printJson({ seconds: Number(seconds.toFixed(3)), entities: summaries });
          return;
        }
        for (const s of summaries) {
          process.stdout.write(
            s.status === 'unchanged'
              ? `${s.entity}: unchanged since the last run\n`
              : `${s.entity}${s.mode === 'incremental' ? ' (incremental)' : ''}: ${s.records} records -> ${s.clusters} golden records (${s.created} new, ${s.merged} merged, ${s.retired} retired), ${s.attached} cross-references written, ${s.queued} pairs for review, ${s.seconds.toFixed(1)} s\n`,
          );
        }
      });
    });
}

export function registerExport(program: Command): void {
  const exp = program.command('export').description('export resolution results');
  registerExportGolden(exp);
  exp
    .command('xrefs')
    .description('cross-references as CSV: entity,source,sourceId,goldenId')
    .option('--entity <type>', 'only this entity type')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (opts: { entity?: string; out?: string }) => {
      const entity = parseEntityOption(opts.entity);
      const { exportXrefs } = await import('../golden-record/xref-export');
      await withDatabase(async (database) => {
        const out = opts.out ? createWriteStream(opts.out) : process.stdout;
        const count = await exportXrefs(database, out, { entity });
        if (opts.out) {
          await new Promise<void>((r, j) => (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? j(e) : r())));
          process.stderr.write(`${count} cross-references written to ${opts.out}\n`);
        }
      });
    });
}

export function registerExportGolden(exp: Command): void {
  exp
    .command('golden')
    .description('golden records as JSONL: id, entity, attributes with lineage, cross-references, relationships, version, redirects')
    .option('--entity <type>', 'only this entity type')
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (opts: { entity?: string; out?: string }) => {
      const entity = parseEntityOption(opts.entity);
      const { exportGolden } = await import('../golden-record/golden-export');
      await withDatabase(async (database) => {
        const out = opts.out ? createWriteStream(opts.out) : process.stdout;
        const count = await exportGolden(database, out, { entity });
        if (opts.out) {
          await new Promise<void>((r, j) => (out as ReturnType<typeof createWriteStream>).end((e?: Error | null) => (e ? j(e) : r())));
          process.stderr.write(`${count} golden records written to ${opts.out}\n`);
        }
      });
    });
}

export function registerTrain(program: Command): void {
  program
    .command('train')
    .description('estimate match parameters on the stored records (u from random pairs, m by EM, no labels) and store them as a new model version')
    .option('--entity <type>', 'only this entity type')
    .option('--json', 'print a JSON summary as the last line')
    .action(async (opts: { entity?: string; json?: boolean }) => {
      const entity = parseEntityOption(opts.entity);
      const { train } = await import('../golden-record/train.service');
      await withDatabase(async (database) => {
        const summaries = await train(database, { entity });
        if (opts.json) return printJson(summaries);
        if (summaries.length === 0) process.stdout.write('nothing to train on (fewer than two records)\n');
        for (const s of summaries) {
          process.stdout.write(`${s.model}: version ${s.version} trained on ${s.records} records, ${s.candidatePairs} candidate pairs\n`);
        }
      });
    });

  const analyze = program.command('analyze').description('inspect matching');
  analyze
    .command('blocking')
    .description('candidate pairs per blocking rule, the largest blocks, and the generic keys suppressed')
    .option('--entity <type>', 'only this entity type')
    .action(async (opts: { entity?: string }) => {
      const entity = parseEntityOption(opts.entity);
      const { analyzeBlocking } = await import('../golden-record/train.service');
      await withDatabase(async (database) => {
        process.stdout.write(await analyzeBlocking(database, { entity }));
      });
    });
}
