import { blockingKeys } from './blocking-keys';
import { GrowableInt32 } from './growable-int32';
import type { BlockingRule, PreparedRecord } from './types';

/**
 * The inverted index of one blocking rule in compressed (CSR) form: key ids are
 * dense integers in order of first appearance (by record id), each record's key
 * ids are sorted ascending, each block lists its members by ascending record id.
 * Blocks with more than `maxBlockSize` members are flagged `suppressed`.
 */
export interface RuleKeyIndex {
  /** Key id -> key string. */
  keys: string[];
  /** Record id -> offset into `recordKeys` (length n + 1). */
  recordKeyStart: Int32Array;
  /** Key ids of all records, concatenated; ascending within a record. */
  recordKeys: Int32Array;
  /** Key id -> offset into `blockMembers` (length keys + 1). */
  blockStart: Int32Array;
  /** Record ids of all blocks, concatenated; ascending within a block. */
  blockMembers: Int32Array;
  /** Key id -> 1 when the block is larger than the bound (a generic key, no pairs). */
  suppressed: Uint8Array;
  /** The block size bound that was applied. */
  maxBlockSize: number;
}

/**
 * Builds the inverted index of `rule` over records given by id (`byId[id]`).
 * A CSR layout (two passes: key ids per record, then a counting sort into
 * blocks) holds 1M records in a few flat typed arrays instead of a million
 * small growable buffers.
 *
 * @example
 * ```ts
 * const idx = buildRuleKeyIndex([a, b, c], { name: 'pc', on: ['postcode'] }, 500);
 * idx.keys.length;                                         // distinct postcodes
 * idx.blockMembers.subarray(idx.blockStart[0], idx.blockStart[1]); // records of key 0
 * ```
 */
export function buildRuleKeyIndex(
  byId: readonly PreparedRecord[],
  rule: BlockingRule,
  maxBlockSize: number,
  maxKeysPerRecord?: number,
): RuleKeyIndex {
  const n = byId.length;
  const keyIds = new Map<string, number>();
  const keys: string[] = [];
  const recordKeyStart = new Int32Array(n + 1);
  const recordKeys = new GrowableInt32(n);
  const blockSize = new GrowableInt32(Math.max(16, n >> 2));

  for (let id = 0; id < n; id++) {
    const recordKeysOfId = blockingKeys(byId[id], rule, maxKeysPerRecord);
    const start = recordKeys.length;
    for (const key of recordKeysOfId) {
      let k = keyIds.get(key);
      if (k === undefined) {
        k = keys.length;
        keyIds.set(key, k);
        keys.push(key);
        blockSize.push(0);
      }
      recordKeys.push(k);
    }
    const end = recordKeys.length;
    if (end - start > 1) recordKeys.view().subarray(start, end).sort();
    recordKeyStart[id + 1] = end;
  }

  const sizes = blockSize.view();
  const flat = recordKeys.view().slice();
  for (let i = 0; i < flat.length; i++) sizes[flat[i]]++;
  const blockStart = new Int32Array(keys.length + 1);
  for (let k = 0; k < keys.length; k++) blockStart[k + 1] = blockStart[k] + sizes[k];
  const fill = blockStart.slice(0, keys.length);
  const blockMembers = new Int32Array(flat.length);
  for (let id = 0; id < n; id++) {
    for (let p = recordKeyStart[id]; p < recordKeyStart[id + 1]; p++) blockMembers[fill[flat[p]]++] = id;
  }
  const suppressed = new Uint8Array(keys.length);
  for (let k = 0; k < keys.length; k++) if (sizes[k] > maxBlockSize) suppressed[k] = 1;

  return { keys, recordKeyStart, recordKeys: flat, blockStart, blockMembers, suppressed, maxBlockSize };
}
