import type { Writable } from 'node:stream';

/**
 * A writer that waits for `drain` when the stream's buffer is full, so exports stream in bounded
 * memory. Each wait removes its listeners when it ends, so long exports do not pile them up.
 */
export function textWriter(out: Writable): (text: string) => Promise<void> {
  return (text) =>
    new Promise<void>((resolve, reject) => {
      if (out.write(text)) return resolve();
      const done = (error?: Error) => {
        out.off('drain', onDrain);
        out.off('error', onError);
        if (error) reject(error);
        else resolve();
      };
      const onDrain = () => done();
      const onError = (error: Error) => done(error);
      out.once('drain', onDrain);
      out.once('error', onError);
    });
}
