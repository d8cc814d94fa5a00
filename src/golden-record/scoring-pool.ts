import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { concatVectors, scorePairRange, type ScorePairsExecutor, type ScoreTask, type ScoreTaskResult } from '../matching/pipeline';

export interface ScoringPool {
  scorePairs: ScorePairsExecutor;
  close(): Promise<void>;
}

export interface ScoringPoolOptions {
  /** Worker threads beside the calling thread (default: cores - 1). */
  workers?: number;
  /** Below this many pairs, or pairs per record, scoring stays in this thread: copying the records to a worker would cost more than it saves. */
  minPairs?: number;
  minPairsPerRecord?: number;
}

/**
 * Compares candidate pairs in worker threads: the pair range is split between the calling thread and
 * the workers, each running the same pure `scorePairRange` (level vectors come back as transferred buffers). Small tasks stay in this thread.
 *
 * @example
 * ```ts
 * const pool = createScoringPool();
 * await resolveEntity({ ..., scorePairs: pool.scorePairs });
 * await pool.close();
 * ```
 */
export function createScoringPool(options: ScoringPoolOptions = {}): ScoringPool {
  const size = options.workers ?? Math.max(0, availableParallelism() - 1);
  const minPairs = options.minPairs ?? 400_000;
  const minPerRecord = options.minPairsPerRecord ?? 4;
  const live: Worker[] = [];
  const spawn = () => new Worker(new URL('./score-worker.mjs', import.meta.url));

  const run = (w: Worker, task: ScoreTask, from: number, to: number) =>
    new Promise<ScoreTaskResult>((resolve, reject) => {
      const onMessage = (msg: { result?: ScoreTaskResult; error?: string }) => {
        w.off('error', onError);
        if (msg.error) reject(new Error(`scoring worker failed: ${msg.error}`));
        else resolve(msg.result!);
      };
      const onError = (error: Error) => {
        w.off('message', onMessage);
        reject(error);
      };
      w.once('message', onMessage);
      w.once('error', onError);
      // Only the worker's slice of the pair columns travels (a view would copy its whole buffer).
      w.postMessage({ task: { ...task, left: task.left.slice(from, to), right: task.right.slice(from, to) }, from: 0, to: to - from });
    });

  const scorePairs: ScorePairsExecutor = async (task) => {
    const n = task.left.length;
    if (size === 0 || n < minPairs || n < minPerRecord * task.records.length) return scorePairRange(task);
    const parts = size + 1;
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.floor((n * k) / parts));
    // Workers live for one task: an idle worker would keep its copy of the records (and the
    // views derived from them) until its own heap happened to be collected.
    const workers = Array.from({ length: size }, spawn);
    live.push(...workers);
    try {
      const remote = workers.map((w, k) => run(w, task, bounds[k + 1], bounds[k + 2]));
      const local = scorePairRange(task, bounds[0], bounds[1]);
      return concatVectors([local, ...(await Promise.all(remote))]);
    } finally {
      for (const w of workers) live.splice(live.indexOf(w), 1);
      await Promise.all(workers.map((w) => w.terminate()));
    }
  };

  return {
    scorePairs,
    async close() {
      await Promise.all(live.splice(0).map((w) => w.terminate()));
    },
  };
}
