/// <reference lib="dom" />
import { h, type VNode } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { getJson, type Session } from './api';
import type { OpsSnapshot } from '../ops.repository';
import { ErrorText, Loading, PageHeading, when } from './ui';

/** Operations dashboard (admin): sources and ingest runs, quarantine, queue depth, throughput. */
export function OpsPage({ session }: { session: Session }): VNode<any> {
  const [ops, setOps] = useState<OpsSnapshot | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(async () => {
    setError(null);
    try {
      setOps(await getJson<OpsSnapshot>(session.key, '/console/api/ops'));
    } catch (err) {
      setError(err);
    }
  }, [session.key]);
  useEffect(() => {
    void load();
  }, [load]);

  if (error) return h('section', null, h(PageHeading, null, 'Operations'), h(ErrorText, { error }));
  if (!ops) return h(Loading, { what: 'operations' });
  const statuses = ['pending', 'deferred', 'merged', 'rejected', 'obsolete'];
  const entities = [...new Set(ops.queue.map((q) => q.entity))];
  const depth = (entity: string, status: string) => ops.queue.find((q) => q.entity === entity && q.status === status)?.count ?? 0;
  const pending = ops.queue.filter((q) => q.status === 'pending').reduce((n, q) => n + q.count, 0);
  const records = ops.sources.reduce((n, s) => n + s.records, 0);

  return h('section', { 'aria-labelledby': 'ops-title', 'data-testid': 'ops' },
    h(PageHeading, null, h('span', { id: 'ops-title' }, 'Operations')),
    h('p', { class: 'muted' }, `As of ${when(ops.generatedAt)} UTC `, h('button', { type: 'button', onClick: () => void load() }, 'Refresh')),
    h('div', { class: 'cards' },
      card('Source records', records, `${ops.sources.length} sources`),
      card('Pairs waiting for review', pending, `${entities.length} entity types`, 'ops-pending'),
      card('Quarantined records', ops.quarantine.total, `${ops.quarantine.byReason.length} distinct reasons`, 'ops-quarantine'),
      card('Ingest runs (last 24 h)', ops.throughput.reduce((n, t) => n + t.runs, 0), `${ops.throughput.reduce((n, t) => n + t.read, 0)} records read`),
    ),
    h('div', { class: 'panel chart' }, h('h3', { style: { marginTop: 0 } }, 'Throughput: records written per hour (last 24 h, UTC)'), h(Throughput, { points: ops.throughput })),
    h('div', { class: 'grid2' },
      h('div', { class: 'panel' }, h('h3', { style: { marginTop: 0 } }, 'Queue depth per entity'),
        h('div', { class: 'scroll' }, h('table', { 'data-testid': 'queue-depth' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Entity'), statuses.map((s) => h('th', { scope: 'col', class: 'num', key: s }, s)))),
          h('tbody', null, entities.map((e) => h('tr', { key: e }, h('th', { scope: 'row' }, e), statuses.map((s) => h('td', { class: 'num', key: s }, String(depth(e, s))))))),
        ))),
      h('div', { class: 'panel' }, h('h3', { style: { marginTop: 0 } }, 'Quarantine'),
        ops.quarantine.total === 0 ? h('p', { class: 'muted' }, 'Nothing quarantined.') : h('div', { class: 'scroll' }, h('table', { 'data-testid': 'quarantine' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Source'), h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col', class: 'num' }, 'Records'))),
          h('tbody', null, ops.quarantine.byReason.map((q, i) => h('tr', { key: i }, h('td', null, q.source), h('td', null, q.reason), h('td', { class: 'num' }, String(q.count))))),
        ))),
    ),
    h('div', { class: 'panel' }, h('h3', { style: { marginTop: 0 } }, 'Sources'),
      h('div', { class: 'scroll' }, h('table', { 'data-testid': 'sources' },
        h('thead', null, h('tr', null, ['Source', 'Records', 'Deleted', 'Last seen', 'Quarantined', 'Delivered by runs'].map((c) => h('th', { scope: 'col', key: c }, c)))),
        h('tbody', null, ops.sources.map((s) => h('tr', { key: s.source },
          h('th', { scope: 'row' }, s.source), h('td', { class: 'num' }, String(s.records)), h('td', { class: 'num' }, String(s.deleted)), h('td', null, when(s.lastSeenAt)),
          h('td', { class: 'num' }, String(ops.quarantine.bySource.find((q) => q.source === s.source)?.count ?? 0)),
          h('td', null, s.lastRuns.map((r) => `#${r.runId} (${r.records})`).join(', '))))),
      ))),
    h('div', { class: 'panel' }, h('h3', { style: { marginTop: 0 } }, 'Last ingest runs'),
      h('div', { class: 'scroll' }, h('table', { 'data-testid': 'runs' },
        h('thead', null, h('tr', null, ['Run', 'Kind', 'Source', 'File', 'Status', 'Started', 'Read', 'Inserted', 'Updated', 'Unchanged', 'Deleted', 'Quarantined'].map((c) => h('th', { scope: 'col', key: c }, c)))),
        h('tbody', null, ops.runs.map((r) => h('tr', { key: r.id },
          h('td', null, `#${r.id}`), h('td', null, r.kind), h('td', null, r.source ?? 'several'), h('td', { class: 'mono' }, (r.file ?? '').split('/').pop() ?? ''),
          h('td', null, r.status, r.error ? h('div', { class: 'muted' }, r.error) : null), h('td', null, when(r.startedAt)),
          [r.read, r.inserted, r.updated, r.unchanged, r.deleted, r.quarantined].map((n, i) => h('td', { class: 'num', key: i }, String(n)))))),
      ))),
  );
}

function card(title: string, value: number, note: string, testid?: string): VNode<any> {
  return h('div', { class: 'panel card', 'data-testid': testid }, h('div', { class: 'muted' }, title), h('div', { class: 'big' }, value.toLocaleString('en')), h('div', { class: 'muted' }, note));
}

function Throughput({ points }: { points: OpsSnapshot['throughput'] }): VNode<any> {
  const width = 1000;
  const height = 120;
  const max = Math.max(1, ...points.map((p) => p.written));
  const bw = width / points.length;
  const total = points.reduce((n, p) => n + p.written, 0);
  return h('svg', { viewBox: `0 0 ${width} ${height + 16}`, role: 'img', 'aria-label': `Records written per hour over the last 24 hours: ${total} in total, at most ${max === 1 && total === 0 ? 0 : max} in one hour` },
    points.map((p, i) => {
      const bh = (p.written / max) * height;
      return h('g', { key: p.hour },
        h('rect', { class: 'bar', x: i * bw + 2, y: height - bh, width: bw - 4, height: Math.max(bh, p.written ? 1 : 0) }, h('title', null, `${p.hour.slice(11, 13)}:00 UTC: ${p.written} written, ${p.read} read, ${p.runs} runs`)),
        i % 3 === 0 ? h('text', { x: i * bw + bw / 2, y: height + 12, 'text-anchor': 'middle' }, `${p.hour.slice(11, 13)}h`) : null);
    }),
    h('line', { x1: 0, x2: width, y1: height, y2: height, stroke: '#8c959f' }),
  );
}
