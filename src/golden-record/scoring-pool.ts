import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { scorePairRange, type ScorePairsExecutor, type ScoreTask, type ScoreTaskResult } from '../matching/pipeline';

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
 * Scores candidate pairs in worker threads: the pair range is split between the calling thread and
 * the workers, each running the same pure `scorePairRange`. Small tasks stay in this thread.
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
  const workers: Worker[] = [];

  const worker = (i: number) => {
    while (workers.length <= i) {
      const w = new Worker(new URL('./score-worker.mjs', import.meta.url));
      w.unref();
      workers.push(w);
    }
    return workers[i];
  };

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
      w.postMessage({ task, from, to });
    });

  const scorePairs: ScorePairsExecutor = async (task) => {
    const n = task.left.length;
    if (size === 0 || n < minPairs || n < minPerRecord * task.records.length) return scorePairRange(task);
    const parts = size + 1;
    const bounds = Array.from({ length: parts + 1 }, (_, k) => Math.floor((n * k) / parts));
    const remote = Array.from({ length: size }, (_, k) => run(worker(k), task, bounds[k + 1], bounds[k + 2]));
    const local = scorePairRange(task, bounds[0], bounds[1]);
    const results = [local, ...(await Promise.all(remote))];
    const weight = new Float64Array(n);
    const flags = new Uint8Array(n);
    results.forEach((r, k) => {
      weight.set(r.weight, bounds[k]);
      flags.set(r.flags, bounds[k]);
    });
    return { weight, flags };
  };

  return {
    scorePairs,
    async close() {
      await Promise.all(workers.splice(0).map((w) => w.terminate()));
    },
  };
}
