/**
 * An append-only Int32Array that doubles its capacity when full. Avoids
 * per-element boxing of plain arrays when collecting millions of ids.
 *
 * @example
 * ```ts
 * const ids = new GrowableInt32();
 * ids.push(7); ids.push(9);
 * ids.view(); // Int32Array [7, 9]
 * ```
 */
export class GrowableInt32 {
  private data: Int32Array;
  length = 0;

  constructor(initialCapacity = 1024) {
    this.data = new Int32Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  /** Makes room for `capacity` elements in total. */
  grow(capacity: number): void {
    if (capacity <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < capacity) size *= 2;
    const bigger = new Int32Array(size);
    bigger.set(this.data.subarray(0, this.length));
    this.data = bigger;
  }

  /** The filled part (a view that shares memory with the builder until the next growth). */
  view(): Int32Array {
    return this.data.subarray(0, this.length);
  }
}
