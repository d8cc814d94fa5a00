import type { Readable } from 'node:stream';

export type Line =
  | { line: number; text: string; bytes: number }
  | { line: number; oversized: true; excerpt: string; bytes: number };

/**
 * Splits a byte stream into lines without ever holding more than `maxLineBytes` of one line:
 * a longer line is reported as oversized (with an excerpt of its start) and skipped.
 * Handles `\n` and `\r\n`, a missing final newline and a UTF-8 BOM.
 *
 * @example
 * ```ts
 * for await (const l of readLines(createReadStream('x.jsonl'), 1 << 20)) console.log(l.line);
 * ```
 */
export async function* readLines(stream: Readable, maxLineBytes: number): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let partBytes = 0;
  let oversized = false;
  let excerpt = '';
  let lineNo = 0;
  let first = true;

  const finish = (tail: Buffer): Line => {
    lineNo++;
    const bytes = partBytes + tail.length;
    if (oversized) {
      const line: Line = { line: lineNo, oversized: true, excerpt, bytes };
      parts = [];
      partBytes = 0;
      oversized = false;
      excerpt = '';
      return line;
    }
    let buf = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
    parts = [];
    partBytes = 0;
    if (buf.length > 0 && buf[buf.length - 1] === 0x0d) buf = buf.subarray(0, buf.length - 1);
    let text = buf.toString('utf8');
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return { line: lineNo, text, bytes };
  };

  const append = (piece: Buffer) => {
    if (oversized) {
      partBytes += piece.length;
      return;
    }
    if (partBytes + piece.length > maxLineBytes) {
      oversized = true;
      excerpt = Buffer.concat([...parts, piece]).subarray(0, 200).toString('utf8');
      parts = [];
      partBytes += piece.length;
      return;
    }
    parts.push(piece);
    partBytes += piece.length;
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    let nl = chunk.indexOf(0x0a, start);
    while (nl !== -1) {
      const piece = chunk.subarray(start, nl);
      if (oversized || partBytes + piece.length > maxLineBytes) {
        append(piece);
        yield finish(Buffer.alloc(0));
      } else {
        yield finish(piece);
      }
      start = nl + 1;
      nl = chunk.indexOf(0x0a, start);
    }
    if (start < chunk.length) append(Buffer.from(chunk.subarray(start)));
  }
  if (partBytes > 0 || oversized) yield finish(Buffer.alloc(0));
}
