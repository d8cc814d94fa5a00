// Worker thread that compares a slice of candidate pairs (the pure scoring code of src/matching).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { scorePairRange } = await import('../matching/pipeline/score-pairs.ts');

parentPort.on('message', ({ task, from, to }) => {
  try {
    const result = scorePairRange(task, from, to);
    parentPort.postMessage({ result }, [result.levels.buffer, result.rules.buffer]);
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
