/**
 * Greedy minimization of a failing input: smaller candidates (halves of texts and lists, single
 * elements and keys removed, values replaced by null or shortened) are tried while the failure
 * stays the same, within a budget of attempts.
 */

function* smallerTexts(s: string): Generator<string> {
  if (s.length === 0) return;
  if (s.length > 1) {
    yield s.slice(0, Math.ceil(s.length / 2));
    yield s.slice(Math.floor(s.length / 2));
  }
  for (const parts of [8, 32]) {
    if (s.length < parts) break;
    const size = Math.ceil(s.length / parts);
    for (let i = 0; i < s.length; i += size) yield s.slice(0, i) + s.slice(i + size);
  }
  if (s.length <= 64) for (let i = 0; i < s.length; i++) yield s.slice(0, i) + s.slice(i + 1);
}

function* smallerValues(v: unknown): Generator<unknown> {
  if (typeof v === 'string') {
    yield* smallerTexts(v);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length > 1) {
      yield v.slice(0, Math.ceil(v.length / 2));
      yield v.slice(Math.floor(v.length / 2));
    }
    for (let i = 0; i < Math.min(v.length, 40); i++) yield [...v.slice(0, i), ...v.slice(i + 1)];
    for (let i = 0; i < Math.min(v.length, 40); i++) for (const s of smallerValues(v[i])) yield [...v.slice(0, i), s, ...v.slice(i + 1)];
    return;
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    const rebuild = (list: Array<[string, unknown]>) => {
      const o: Record<string, unknown> = {};
      for (const [k, x] of list) Object.defineProperty(o, k, { value: x, enumerable: true, writable: true, configurable: true });
      return o;
    };
    for (let i = 0; i < entries.length; i++) yield rebuild([...entries.slice(0, i), ...entries.slice(i + 1)]);
    for (let i = 0; i < entries.length; i++) {
      if (entries[i][1] !== null) yield rebuild(entries.map((e, j) => (j === i ? [e[0], null] : e)));
      for (const s of smallerValues(entries[i][1])) yield rebuild(entries.map((e, j) => (j === i ? [e[0], s] : e)));
    }
  }
}

/** Size of a value for "smaller than": its JSON length. */
function sizeOf(v: unknown): number {
  try {
    return typeof v === 'string' ? v.length : JSON.stringify(v).length;
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * Shrinks `value` while `fails(candidate)` stays true; returns the smallest failing value found.
 *
 * @example
 * ```ts
 * await shrink({ a: 'xxxxxxxx', b: 1 }, async (v) => JSON.stringify(v).includes('xx')); // { a: 'xx' } or similar
 * ```
 */
export async function shrink(value: unknown, fails: (candidate: unknown) => Promise<boolean>, budget = 200): Promise<unknown> {
  let best = value;
  let attempts = 0;
  let improved = true;
  while (improved && attempts < budget) {
    improved = false;
    for (const candidate of smallerValues(best)) {
      if (attempts++ >= budget) break;
      if (sizeOf(candidate) >= sizeOf(best)) continue;
      if (await fails(candidate)) {
        best = candidate;
        improved = true;
        break;
      }
    }
  }
  return best;
}
