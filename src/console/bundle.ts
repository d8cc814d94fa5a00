import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { build } from 'esbuild';

/** The console's browser code, built once into memory. */
export interface ConsoleBundle {
  js: string;
  /** Bytes of the minified bundle and of its gzip. */
  bytes: number;
  gzipBytes: number;
  /** Content hash, used as ETag. */
  etag: string;
}

const ENTRY = fileURLToPath(new URL('./app/main.ts', import.meta.url));

/**
 * Bundles `src/console/app/main.ts` (preact, no other runtime dependency) with esbuild into one
 * minified ES module held in memory. Nothing is fetched at run time.
 *
 * @example
 * ```ts
 * const bundle = await buildConsoleBundle();
 * bundle.gzipBytes; // ~25 000
 * ```
 */
export async function buildConsoleBundle(): Promise<ConsoleBundle> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    legalComments: 'none',
    logLevel: 'silent',
  });
  const js = result.outputFiles[0].text;
  const buffer = Buffer.from(js);
  return {
    js,
    bytes: buffer.length,
    gzipBytes: gzipSync(buffer, { level: 9 }).length,
    etag: `"${createHash('sha256').update(buffer).digest('base64url').slice(0, 22)}"`,
  };
}

let cached: Promise<ConsoleBundle> | null = null;

/** The bundle of this process, built on first use (a failed build is retried on the next call). */
export function consoleBundle(): Promise<ConsoleBundle> {
  if (!cached) {
    cached = buildConsoleBundle().catch((error: unknown) => {
      cached = null;
      throw error;
    });
  }
  return cached;
}
