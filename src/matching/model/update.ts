import type { Level, MatchModel, TrainingSummary } from './schema';

/** Trained values to write back into a model; arrays are index-aligned with each comparison's levels. */
export interface TrainedValues {
  m?: number[][];
  u?: number[][];
  prior?: number;
  training?: TrainingSummary;
}

/**
 * Six significant digits: precise enough to score with, short enough to diff.
 *
 * @example
 * ```ts
 * roundProbability(0.000123456789) // 0.000123457
 * ```
 */
export function roundProbability(p: number): number {
  return Number(p.toPrecision(6));
}

/**
 * A copy of the model with trained `m` / `u` / prior written in and `version` bumped by one.
 * The null level never carries `m` / `u`.
 *
 * @example
 * ```ts
 * const next = withTrainedValues(model, { m, u, prior: 1e-5 }); // next.version === model.version + 1
 * ```
 */
export function withTrainedValues(model: MatchModel, values: TrainedValues): MatchModel {
  const comparisons = model.comparisons.map((comparison, c) => ({
    ...comparison,
    levels: comparison.levels.map((level, l): Level => {
      if (level.kind === 'null') return { ...level };
      const next = { ...level };
      const m = values.m?.[c]?.[l];
      const u = values.u?.[c]?.[l];
      if (m !== undefined) next.m = roundProbability(m);
      if (u !== undefined) next.u = roundProbability(u);
      return next;
    }),
  }));
  return {
    ...model,
    version: model.version + 1,
    prior: values.prior !== undefined ? roundProbability(values.prior) : model.prior,
    comparisons,
    ...(values.training ? { training: values.training } : {}),
  };
}
