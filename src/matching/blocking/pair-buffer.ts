/**
 * Columnar, growable storage for candidate pairs: two Int32Array id columns and
 * a Uint8Array holding the index of the rule that produced each pair.
 *
 * @example
 * ```ts
 * const buf = new PairBuffer();
 * buf.push(0, 3, 1);
 * buf.count;          // 1
 * buf.left()[0];      // 0
 * ```
 */
export class PairBuffer {
  private l: Int32Array;
  private r: Int32Array;
  private k: Uint8Array;
  count = 0;

  /** Small to start with: a real-time resolution blocks a few dozen records; doubling serves a batch run. */
  constructor(initialCapacity = 1 << 10) {
    const cap = Math.max(1, initialCapacity);
    this.l = new Int32Array(cap);
    this.r = new Int32Array(cap);
    this.k = new Uint8Array(cap);
  }

  push(left: number, right: number, rule: number): void {
    if (this.count === this.l.length) this.grow();
    this.l[this.count] = left;
    this.r[this.count] = right;
    this.k[this.count] = rule;
    this.count++;
  }

  private grow(): void {
    const cap = this.l.length * 2;
    const l = new Int32Array(cap);
    const r = new Int32Array(cap);
    const k = new Uint8Array(cap);
    l.set(this.l);
    r.set(this.r);
    k.set(this.k);
    this.l = l;
    this.r = r;
    this.k = k;
  }

  /** Left ids of the filled part (a view; its buffer may be larger). */
  left(): Int32Array {
    return this.l.subarray(0, this.count);
  }

  /** Right ids of the filled part (a view). */
  right(): Int32Array {
    return this.r.subarray(0, this.count);
  }

  /** Rule indexes of the filled part (a view). */
  rules(): Uint8Array {
    return this.k.subarray(0, this.count);
  }
}
