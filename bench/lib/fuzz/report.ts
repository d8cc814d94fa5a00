import type { FuzzReport } from './harness';
import type { Target } from './types';

const TARGET_NAMES: Record<Target, string> = {
  file: 'file ingest (lines)',
  webhook: 'webhooks `/ingest`',
  graphql: 'GraphQL `/graphql`',
  auth: 'authentication, `/console/api`, other paths',
};

const fmt = (n: number) => n.toLocaleString('en-US');

function statuses(s: Record<string, number>): string {
  return Object.entries(s)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}: ${fmt(v)}`)
    .join(', ');
}

/** The run's summary as Markdown (the `fuzz` section of docs/benchmarks.md and the console output). */
export function formatFuzzReport(report: FuzzReport, command: string, machine: string): string {
  const lines: string[] = [];
  const failures = report.failures.reduce((s, f) => s + f.count, 0);
  lines.push('## Fuzz run (hostile input)');
  lines.push('');
  lines.push(`\`${command}\` on ${report.database === 'postgres' ? 'PostgreSQL' : 'PGlite'}; ${machine}.`);
  lines.push('');
  lines.push(
    `${fmt(report.cases)} cases, seed ${report.seed}, ${report.seconds.toFixed(0)} s: **${fmt(failures)} invariant failures** ` +
      `(${report.failures.length} distinct). Invariants: no exception or unhandled rejection, no 5xx (a 503 or 429 overload answer excepted), ` +
      'every 4xx with `error.code` and a message (GraphQL: `extensions.code`, never `INTERNAL_SERVER_ERROR`), every valid record of a batch ' +
      'in the inbox and every invalid one in `rejected`, file lines stored + quarantined = lines read, the role matrix, identical refusals for ' +
      'unknown, revoked and malformed keys, and after the run: every table still there, no row of a grow-only table gone, API keys and seeded ' +
      'records unchanged, inbox and quarantine totals equal to what the answers said.',
  );
  lines.push('');
  lines.push('| target | cases | answers | mean ms | slowest case |');
  lines.push('|---|---:|---|---:|---|');
  for (const t of ['file', 'webhook', 'graphql', 'auth'] as Target[]) {
    const s = report.targets[t];
    const mean = s.cases > 0 ? s.ms / (t === 'file' ? report.files.files : s.cases) : 0;
    const slow = s.slowest[0] ? `${s.slowest[0].kind} #${s.slowest[0].caseNo}: ${fmt(Math.round(s.slowest[0].ms))} ms` : '';
    lines.push(`| ${TARGET_NAMES[t]} | ${fmt(s.cases)} | ${t === 'file' ? `${fmt(report.files.files)} files: ${statuses(s.statuses)}` : statuses(s.statuses)} | ${mean.toFixed(1)}${t === 'file' ? ' per file' : ''} | ${slow} |`);
  }
  lines.push('');
  lines.push(
    `Files: ${fmt(report.files.lines)} lines in ${fmt(report.files.files)} files, ${fmt(report.files.stored)} stored, ${fmt(report.files.quarantined)} quarantined. ` +
      `Webhooks: ${fmt(report.inbox.accepted)} events accepted (all ${fmt(report.inbox.stored)} in the inbox), ${fmt(report.inbox.duplicates)} duplicates, ` +
      `${fmt(report.inbox.rejected)} rejected with a reason; ${fmt(report.inbox.drained)} accepted events then run through the inbox worker, ${fmt(report.inbox.drainFailures)} failed. ` +
      `Failed-auth limit: ${fmt(report.rateLimited)} requests answered 429. Integrity: ${report.integrity.tables} tables, ${report.integrity.problems.length === 0 ? 'no problem' : report.integrity.problems.join('; ')}.`,
  );
  lines.push('');
  const kinds = (t: Target) =>
    Object.entries(report.targets[t].kinds)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ');
  lines.push('Case kinds:');
  for (const t of ['file', 'webhook', 'graphql', 'auth'] as Target[]) lines.push(`- ${TARGET_NAMES[t]}: ${kinds(t)}`);
  lines.push('');
  if (report.failures.length > 0) {
    lines.push('Failures (first case of each kind, input minimized):');
    lines.push('');
    for (const f of report.failures.slice(0, 40)) {
      lines.push(`- ${f.target} ${f.kind} case ${f.caseNo} (${fmt(f.count)}x): ${f.problem}`);
      if (f.input) lines.push(`  \`${f.input.replace(/`/g, "'").replace(/\n/g, '\\n')}\``);
    }
    lines.push('');
  }
  return lines.join('\n');
}
