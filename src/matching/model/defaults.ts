import type { Comparison } from './schema';

/** `m` and `u` per level of one comparison, index-aligned with its levels (index 0, the null level, is 1/1). */
export interface LevelProbabilities {
  m: number[];
  u: number[];
}

/**
 * Starting values for a comparison's levels before training: strong levels are likely among
 * matches and rare among non-matches, `else` the reverse. Weights decrease with level order.
 * Values authored in the model win when every non-null level has them.
 *
 * @example
 * ```ts
 * defaultLevelProbabilities(comparison) // { m: [1, 0.63, 0.32, 0.05], u: [1, 0.01, 0.02, 0.97] }
 * ```
 */
export function defaultLevelProbabilities(comparison: Comparison): LevelProbabilities {
  const count = comparison.levels.length - 1;
  const graded = count - 1;
  const m = [1];
  const u = [1];
  if (graded === 0) return { m: [1, 1], u: [1, 1] };
  let mTotal = 0;
  let uTotal = 0;
  const mRaw: number[] = [];
  const uRaw: number[] = [];
  for (let i = 0; i < graded; i++) {
    mRaw.push(2 ** -i);
    uRaw.push(2 ** i);
    mTotal += 2 ** -i;
    uTotal += 2 ** i;
  }
  const uShare = Math.min(0.3, 0.01 * uTotal);
  for (let i = 0; i < graded; i++) {
    m.push((0.95 * mRaw[i]) / mTotal);
    u.push((uShare * uRaw[i]) / uTotal);
  }
  m.push(0.05);
  u.push(1 - uShare);
  return { m, u };
}

/**
 * The `m` / `u` a comparison scores with: the model's values where every non-null level has
 * them, defaults otherwise (separately for `m` and `u`).
 *
 * @example
 * ```ts
 * const { m, u } = levelProbabilities(model.comparisons[0]);
 * ```
 */
export function levelProbabilities(comparison: Comparison): LevelProbabilities {
  const defaults = defaultLevelProbabilities(comparison);
  const levels = comparison.levels;
  const pick = (key: 'm' | 'u', fallback: number[]): number[] => {
    const values = levels.map((level, i) => (i === 0 || level.kind === 'null' ? 1 : level[key]));
    return values.every((v) => v !== undefined) ? (values as number[]) : fallback;
  };
  return { m: pick('m', defaults.m), u: pick('u', defaults.u) };
}
