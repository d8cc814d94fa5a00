/**
 * Disjoint sets of records with explicit member lists: every record carries the
 * id of its cluster's root (`label`), and each cluster is a linked list that
 * starts at its root. Merging relabels the smaller cluster and splices its list
 * after the larger one, so lookups are O(1), membership iteration is linear in
 * cluster size, and total relabelling work is O(n log n).
 *
 * @example
 * ```ts
 * const sets = new ClusterSets(4);
 * sets.merge(0, 1);
 * sets.label[1] === sets.label[0]; // true
 * [...sets.members(sets.label[0])]; // [0, 1]
 * ```
 */
export class ClusterSets {
  /** Record -> root record of its cluster. */
  readonly label: Int32Array;
  /** Root -> cluster size (meaningful for roots only). */
  readonly size: Int32Array;
  /** Record -> next member of its cluster, or -1. */
  readonly next: Int32Array;
  /** Root -> last member of its cluster. */
  private readonly tail: Int32Array;

  constructor(n: number) {
    this.label = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    this.next = new Int32Array(n).fill(-1);
    this.tail = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      this.label[i] = i;
      this.tail[i] = i;
    }
  }

  /**
   * Merges the clusters with roots `x` and `y` and returns the surviving root:
   * the larger cluster's root, the smaller root id on equal sizes.
   */
  merge(x: number, y: number): number {
    if (x === y) return x;
    let big = x;
    let small = y;
    if (this.size[y] > this.size[x] || (this.size[y] === this.size[x] && y < x)) {
      big = y;
      small = x;
    }
    for (let m = small; m !== -1; m = this.next[m]) this.label[m] = big;
    this.next[this.tail[big]] = small;
    this.tail[big] = this.tail[small];
    this.size[big] += this.size[small];
    return big;
  }

  /** Members of the cluster whose root is `root` (in list order, not sorted). */
  *members(root: number): IterableIterator<number> {
    for (let m = root; m !== -1; m = this.next[m]) yield m;
  }
}
