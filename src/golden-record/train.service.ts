import type { EntityType } from '../core/entities';
import type { Database } from '../db/database';
import { formatBlockingReport } from '../matching/blocking';
import { resolveEntity } from '../matching/pipeline';
import { loadResolutionInput, modelsForRun, RESOLUTION_ORDER } from './resolve.service';

export interface TrainSummary {
  entity: EntityType;
  model: string;
  version: number;
  records: number;
  candidatePairs: number;
}

/**
 * Estimates the match parameters of every model of an entity type (or all) on the stored records:
 * u from random pairs, m by EM, no labels. Each trained model is stored as a new version; the next
 * resolution uses it. Starts from the newest version, so training again refines it.
 *
 * @example
 * ```ts
 * await train(database, { entity: 'customer' }); // [{ model: 'customer-organization', version: 2, ... }, ...]
 * ```
 */
export async function train(database: Database, options: { entity?: EntityType } = {}): Promise<TrainSummary[]> {
  const out: TrainSummary[] = [];
  for (const entity of RESOLUTION_ORDER) {
    if (options.entity && options.entity !== entity) continue;
    const input = await loadResolutionInput(database, entity);
    if (input.records.length < 2) continue;
    const models = await modelsForRun(database, entity);
    const result = await resolveEntity({
      entity,
      records: input.prepared,
      context: input.context,
      mustLink: input.mustLink,
      cannotLink: input.cannotLink,
      models,
      options: { train: true },
    });
    for (const [name, run] of Object.entries(result.model)) {
      if (run.records < 2) continue;
      const previous = await database.db
        .selectFrom('match_model')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('name', '=', name)
        .executeTakeFirst();
      const version = Math.max(Number(previous?.v ?? 0), run.model.version) + 1;
      const model = { ...run.model, version };
      await database.db
        .insertInto('match_model')
        .values({
          entity,
          name,
          version,
          model: JSON.stringify(model) as never,
          report: run.training ? (JSON.stringify(run.training) as never) : null,
        })
        .execute();
      out.push({ entity, model: name, version, records: run.records, candidatePairs: run.candidatePairs });
    }
  }
  return out;
}

/** The blocking report of each model of an entity type (or all): pairs per rule, largest and suppressed blocks. */
export async function analyzeBlocking(database: Database, options: { entity?: EntityType } = {}): Promise<string> {
  let text = '';
  for (const entity of RESOLUTION_ORDER) {
    if (options.entity && options.entity !== entity) continue;
    const input = await loadResolutionInput(database, entity);
    const result = await resolveEntity({
      entity,
      records: input.prepared,
      context: input.context,
      models: await modelsForRun(database, entity),
    });
    for (const [name, report] of Object.entries(result.blockingReport)) {
      text += `== ${entity} / ${name} (${result.model[name]?.records ?? 0} records)\n${formatBlockingReport(report)}\n`;
    }
  }
  return text;
}
