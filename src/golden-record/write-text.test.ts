import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { textWriter } from './write-text';

describe('textWriter', () => {
  it('waits for drain on a full buffer, writes everything in order, and leaves no listeners behind', async () => {
    const chunks: string[] = [];
    const out = new Writable({
      highWaterMark: 4,
      write(chunk, _encoding, callback) {
        chunks.push(String(chunk));
        setImmediate(callback);
      },
    });
    const baseline = out.listenerCount('error');
    const write = textWriter(out);
    for (let i = 0; i < 50; i++) await write(`line ${i}\n`);
    expect(chunks.join('')).toBe(Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join(''));
    expect(out.listenerCount('error')).toBe(baseline);
    expect(out.listenerCount('drain')).toBe(0);
  });

  it('rejects when the stream fails while waiting', async () => {
    const out = new Writable({ highWaterMark: 1, write: (_chunk, _encoding, callback) => setImmediate(() => callback(new Error('disk full'))) });
    out.on('error', () => undefined); // the stream's own error event
    await expect(textWriter(out)('too long for the buffer')).rejects.toThrow('disk full');
  });
});
