import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readLines } from './line-reader';

async function lines(chunks: string[], max = 1000) {
  const out = [];
  for await (const l of readLines(Readable.from(chunks.map((c) => Buffer.from(c))), max)) out.push(l);
  return out;
}

describe('readLines', () => {
  it('splits across chunk borders, handles CRLF, a BOM and a missing final newline', async () => {
    const out = await lines(['\ufeffab', 'c\r\nde', 'f\n\nlast']);
    expect(out.map((l) => ('text' in l ? l.text : null))).toEqual(['abc', 'def', '', 'last']);
    expect(out.map((l) => l.line)).toEqual([1, 2, 3, 4]);
  });

  it('reports an over-long line as oversized without keeping it, then goes on', async () => {
    const long = 'x'.repeat(50);
    const out = await lines(['ok\n', long.slice(0, 20), long.slice(20), '\nnext\n'], 30);
    expect(out[0]).toMatchObject({ line: 1, text: 'ok' });
    expect(out[1]).toMatchObject({ line: 2, oversized: true, bytes: 50 });
    expect(out[2]).toMatchObject({ line: 3, text: 'next' });
  });
});
