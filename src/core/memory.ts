import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * Runs a full garbage collection now. V8 grows its heap lazily: what a finished phase of a batch
 * run let go stays allocated until the heap nears a limit derived from the machine's memory (over
 * 4 GB on a machine with 24 GB), so without this the resident memory of a long run is set by its
 * garbage, not by what it holds. A batch run calls it where it has just let go of a large working
 * set (after matching an entity type, after writing it), where it takes a fraction of a second.
 *
 * @example
 * ```ts
 * input.prepared = []; // matched: the pipeline's copies of the records are no longer needed
 * collectGarbage();
 * ```
 */
export function collectGarbage(): void {
  if (!collect) {
    // `gc` is exposed to contexts created after the flag is set; this module keeps the function.
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
