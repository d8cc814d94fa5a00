/**
 * A throwaway PostgreSQL server of its own (initdb in a temporary directory, a free loopback
 * port) that a fault drill or test may stop, kill and restart at will without touching any other
 * server. As root the server runs as the postgres user. Commands run asynchronously, so load
 * keeps flowing in this process while the server goes down and comes back.
 *
 * @example
 * ```ts
 * const pg = await startThrowawayPostgres();
 * await pg.stop('immediate'); // the server is gone, as after a crash
 * await pg.start();           // crash recovery, then it accepts connections again
 * await pg.destroy();
 * ```
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { freePort } from '../../lib/hub-server';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ThrowawayPostgres {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  /** `pg_ctl stop`: `fast` disconnects sessions and shuts down cleanly; `immediate` quits without a checkpoint (crash recovery on start). */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** `pg_ctl restart -m <mode>`, waiting until the server accepts connections. */
  restart(mode: 'fast' | 'immediate'): Promise<void>;
  /** Stops the server and removes its files. */
  destroy(): Promise<void>;
}

function binDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length === 0) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql: install them (apt-get install postgresql) or run scripts/pg-server.sh once');
  return join(base, versions[0], 'bin');
}

function run(argv: string[]): Promise<string> {
  const root = process.getuid?.() === 0;
  const [cmd, ...args] = root ? ['runuser', '-u', 'postgres', '--', ...argv] : argv;
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${argv.map((a) => a.split('/').pop()).join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}

/**
 * Creates and starts a server. Unlike scripts/pg-server.sh it keeps fsync and synchronous commit
 * on: an immediate shutdown is a crash, and a commit the hub acknowledged must survive it.
 */
export async function startThrowawayPostgres(options: { maxConnections?: number } = {}): Promise<ThrowawayPostgres> {
  const bin = binDir();
  const dir = mkdtempSync(join(tmpdir(), 'mdm-faultpg-'));
  if (process.getuid?.() === 0) chownSync(dir, Number((await runPlain('id', ['-u', 'postgres'])).trim()), Number((await runPlain('id', ['-g', 'postgres'])).trim()));
  const port = await freePort();
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  await run([join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const opts = `-h 127.0.0.1 -p ${port} -k ${dir} -c max_connections=${options.maxConnections ?? 100} -c shared_buffers=64MB`;
  const start = async () => {
    await run([join(bin, 'pg_ctl'), '-D', data, '-l', log, '-w', '-t', '60', '-o', opts, 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate') => {
    await run([join(bin, 'pg_ctl'), '-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  };
  await start();
  let destroyed = false;
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop,
    start,
    restart: (mode) => run([join(bin, 'pg_ctl'), '-D', data, '-l', log, '-m', mode, '-w', '-t', '60', '-o', opts, 'restart']).then(() => undefined),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      await stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runPlain(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => execFile(cmd, args, { encoding: 'utf8' }, (e, out) => (e ? reject(e) : resolve(out))));
}
