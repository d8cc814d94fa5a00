import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

/** One line describing the machine a benchmark ran on. */
export function machineLine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown cpu';
  let pg = '';
  try {
    pg = execSync('ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1', { encoding: 'utf8' }).trim();
    pg = pg ? `, PostgreSQL ${pg.split('/')[4]}` : '';
  } catch {
    // no server installed
  }
  return `${cpus().length} cores (${cpu}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}${pg}, ${new Date().toISOString().slice(0, 10)}`;
}

/**
 * Replaces the section between `<!-- name:start -->` and `<!-- name:end -->` in
 * docs/benchmarks.md (appending it when absent), so each benchmark owns its section.
 */
export function writeSection(file: string, name: string, body: string): void {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nFigures written by `npm run bench:*`; each section says the machine and the command.\n';
  const section = `${start}\n${body.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const next = i !== -1 && j > i ? text.slice(0, i) + section + text.slice(j + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
