import type { Writable } from 'node:stream';

/** A writer that waits for `drain` when the stream's buffer is full, so exports stream in bounded memory. */
export function textWriter(out: Writable): (text: string) => Promise<void> {
  return (text) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(text)) resolve();
      else {
        out.once('drain', resolve);
        out.once('error', reject);
      }
    });
}
