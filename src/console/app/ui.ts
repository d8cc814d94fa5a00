/// <reference lib="dom" />
import { h, type ComponentChildren, type VNode } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ActionOutcome } from './api';

/** A page heading that takes the focus when the page opens (screen readers announce the new page). */
export function PageHeading({ children }: { children: ComponentChildren }): VNode<any> {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return h('h2', { ref, tabIndex: -1 }, children);
}

/** The outcome of the last action, announced politely (role=status) or assertively on errors. */
export function Outcome({ outcome, onReload }: { outcome: ActionOutcome | null; onReload?: () => void }): VNode<any> | null {
  if (!outcome) return null;
  return h(
    'div',
    { class: `result ${outcome.kind}`, role: outcome.kind === 'ok' ? 'status' : 'alert', 'data-testid': 'outcome' },
    outcome.message,
    outcome.goldenId && (outcome.kind === 'ok' || outcome.kind === 'warning') ? h('span', null, ' ', h('a', { href: `#/record/${outcome.goldenId}` }, `open ${outcome.goldenId}`)) : null,
    outcome.kind === 'conflict' && onReload ? h('span', null, ' ', h('button', { type: 'button', onClick: onReload }, 'Reload')) : null,
  );
}

export function Loading({ what }: { what: string }): VNode<any> {
  return h('p', { class: 'muted', role: 'status' }, `Loading ${what}…`);
}

export function ErrorText({ error }: { error: unknown }): VNode<any> {
  return h('div', { class: 'result error', role: 'alert' }, error instanceof Error ? error.message : String(error));
}

export function GoldenLink({ id }: { id: string | null | undefined }): VNode<any> | null {
  if (!id) return null;
  return h('a', { class: 'mono', href: `#/record/${id}` }, id);
}

export const fmt = (n: number | null | undefined, digits = 2): string => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) : '–');

/** Reads an input's value from an event. */
export const valueOf = (ev: Event): string => (ev.currentTarget as HTMLInputElement | HTMLSelectElement).value;

export interface WaterfallRow {
  kind: string;
  comparison: string;
  level: number;
  label: string;
  m: number | null;
  u: number | null;
  weight: number | null;
  leftValue?: unknown;
  rightValue?: unknown;
}

/**
 * Match weights as a waterfall: each explanation row is a bar from the running total to the
 * running total plus its weight (green adds evidence, red takes it away), the last bar is the
 * pair's total weight. An SVG with a text alternative; the table below it has the numbers.
 */
export function Waterfall({ rows, total }: { rows: WaterfallRow[]; total: number }): VNode<any> {
  const steps: Array<{ label: string; from: number; to: number; cls: string }> = [];
  let running = 0;
  for (const r of rows) {
    const w = r.weight ?? 0;
    steps.push({ label: r.comparison, from: running, to: running + w, cls: w >= 0 ? 'pos' : 'neg' });
    running += w;
  }
  steps.push({ label: 'total', from: 0, to: total, cls: 'total' });
  const values = steps.flatMap((s) => [s.from, s.to]).concat(0);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const rowH = 18;
  const labelW = 110;
  const width = 560;
  const plotW = width - labelW - 50;
  const x = (v: number) => labelW + ((v - min) / span) * plotW;
  const height = steps.length * rowH + 8;
  const summary = steps.map((s) => `${s.label} ${(s.to - s.from).toFixed(2)}`).join(', ');
  return h(
    'figure',
    { class: 'waterfall', style: { margin: 0 } },
    h(
      'svg',
      { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `Waterfall of match weights: ${summary}` },
      h('line', { x1: x(0), x2: x(0), y1: 0, y2: height, stroke: '#8c959f', 'stroke-dasharray': '3 3' }),
      steps.map((s, i) => {
        const y = 4 + i * rowH;
        const left = x(Math.min(s.from, s.to));
        const w = Math.max(1, Math.abs(x(s.to) - x(s.from)));
        return h(
          'g',
          { key: i },
          h('text', { x: labelW - 6, y: y + 12, 'text-anchor': 'end' }, s.label.length > 16 ? `${s.label.slice(0, 15)}…` : s.label),
          h('rect', { class: s.cls, x: left, y: y + 2, width: w, height: rowH - 5, rx: 2 }),
          h('text', { x: left + w + 4, y: y + 12 }, (s.to - s.from).toFixed(2)),
        );
      }),
    ),
    h('figcaption', { class: 'muted' }, 'Bits of evidence per comparison, from the prior to the pair’s total weight (green for, red against).'),
  );
}
