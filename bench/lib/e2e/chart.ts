/**
 * The chart of bench:e2e as hand-written SVG (no chart library): wall time per phase and peak RSS
 * per process against the number of source records, each with a reference line (linear growth from
 * the smallest size, and the goals).
 *
 * @example
 * ```ts
 * writeFileSync('docs/bench-e2e.svg', e2eChart([{ records: 100_000, seconds: { sync: 9, resolve: 20 }, peakRssMb: { resolve: 700 } }, ...]));
 * ```
 */

export interface ChartPoint {
  records: number;
  /** Wall seconds per series (e.g. sync, resolve, 'sync + resolve'). */
  seconds: Record<string, number>;
  /** Peak RSS MB per series (e.g. resolve, 'mdm serve'). */
  peakRssMb: Record<string, number>;
}

export interface ChartOptions {
  /** The series the linear reference of the time panel is drawn through (its smallest size). */
  linearOf?: string;
  /** A horizontal goal line in the time panel (seconds) and in the memory panel (MB). */
  timeGoal?: { value: number; label: string };
  memoryGoal?: { value: number; label: string };
  title?: string;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#17becf', '#7f7f7f'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const r1 = (x: number) => Math.round(x * 10) / 10;

/** A round upper bound and step for an axis from 0 to `max` (1, 2 or 5 times a power of ten, about 5 steps). */
export function niceAxis(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const raw = max / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  return { top: Math.ceil(max / step - 1e-9) * step, step };
}

/** 100k, 301k, 1M, 1.5M (world sizes come out a little above the size asked for). */
const sizeLabel = (n: number) => (n >= 1_000_000 ? `${Number((n / 1_000_000).toFixed(1))}M` : n >= 1000 ? `${Math.round(n / 1000)}k` : String(n));

interface Panel {
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  unit: string;
  series: Array<{ name: string; values: Array<[number, number]>; dashed?: boolean; color: string }>;
  goal?: { value: number; label: string };
}

function panel(p: Panel, xMax: number, sizes: number[]): string {
  const yMaxData = Math.max(...p.series.flatMap((s) => s.values.map(([, v]) => v)), p.goal?.value ?? 0);
  const { top, step } = niceAxis(yMaxData * 1.05);
  const px = (n: number) => r1(p.x + (n / xMax) * p.w);
  const py = (v: number) => r1(p.y + p.h - (v / top) * p.h);
  const out: string[] = [];
  out.push(`<text x="${p.x + p.w / 2}" y="${p.y - 14}" text-anchor="middle" font-weight="bold">${esc(p.title)}</text>`);
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(`<line x1="${p.x}" y1="${py(v)}" x2="${p.x + p.w}" y2="${py(v)}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${p.x - 6}" y="${py(v) + 4}" text-anchor="end">${esc(Number(v.toPrecision(6)).toLocaleString('en-US'))}</text>`);
  }
  for (const n of sizes) {
    out.push(`<line x1="${px(n)}" y1="${p.y + p.h}" x2="${px(n)}" y2="${p.y + p.h + 4}" stroke="#333"/>`);
    out.push(`<text x="${px(n)}" y="${p.y + p.h + 17}" text-anchor="middle">${sizeLabel(n)}</text>`);
  }
  out.push(`<line x1="${p.x}" y1="${p.y + p.h}" x2="${p.x + p.w}" y2="${p.y + p.h}" stroke="#333"/>`);
  out.push(`<line x1="${p.x}" y1="${p.y}" x2="${p.x}" y2="${p.y + p.h}" stroke="#333"/>`);
  out.push(`<text x="${p.x + p.w / 2}" y="${p.y + p.h + 34}" text-anchor="middle">source records</text>`);
  out.push(`<text transform="translate(${p.x - 46} ${p.y + p.h / 2}) rotate(-90)" text-anchor="middle">${esc(p.unit)}</text>`);
  if (p.goal) {
    out.push(`<line x1="${p.x}" y1="${py(p.goal.value)}" x2="${p.x + p.w}" y2="${py(p.goal.value)}" stroke="#d62728" stroke-width="1" stroke-dasharray="2 3"/>`);
    out.push(`<text x="${p.x + 4}" y="${py(p.goal.value) - 4}" fill="#d62728">${esc(p.goal.label)}</text>`);
  }
  p.series.forEach((s, i) => {
    const pts = s.values.map(([n, v]) => `${px(n)},${py(v)}`).join(' ');
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${pts}"/>`);
    if (!s.dashed) for (const [n, v] of s.values) out.push(`<circle cx="${px(n)}" cy="${py(v)}" r="3" fill="${s.color}"/>`);
    const ly = p.y + 6 + i * 16;
    out.push(`<line x1="${p.x + 10}" y1="${ly}" x2="${p.x + 30}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text x="${p.x + 35}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  return out.join('\n');
}

/** The SVG document. Points are sorted by size; series missing at a size are left out there. */
export function e2eChart(points: ChartPoint[], options: ChartOptions = {}): string {
  const pts = [...points].sort((a, b) => a.records - b.records);
  if (pts.length === 0) throw new Error('e2eChart: no points');
  const sizes = pts.map((p) => p.records);
  const xMax = sizes[sizes.length - 1];
  const names = (pick: (p: ChartPoint) => Record<string, number>) => [...new Set(pts.flatMap((p) => Object.keys(pick(p))))];
  const seriesOf = (pick: (p: ChartPoint) => Record<string, number>): Panel['series'] =>
    names(pick).map((name, i) => ({
      name,
      color: COLORS[i % COLORS.length],
      values: pts.filter((p) => Number.isFinite(pick(p)[name])).map((p) => [p.records, pick(p)[name]] as [number, number]),
    }));
  const time = seriesOf((p) => p.seconds);
  const ref = options.linearOf ? pts[0].seconds[options.linearOf] : undefined;
  if (ref !== undefined && ref > 0 && Number.isFinite(ref)) {
    const n0 = pts[0].records;
    time.push({ name: `linear from ${sizeLabel(n0)} (${options.linearOf})`, color: '#555', dashed: true, values: [[0, 0], [xMax, (ref * xMax) / n0]] });
  }
  const memory = seriesOf((p) => p.peakRssMb);
  const W = 980;
  const H = 470;
  const title = options.title ?? 'bench:e2e: cost against size';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${esc(title)}</text>`,
    panel({ x: 80, y: 70, w: 370, h: 330, title: 'wall time per phase', unit: 'seconds', series: time, goal: options.timeGoal }, xMax, sizes),
    panel({ x: 580, y: 70, w: 370, h: 330, title: 'peak RSS per process', unit: 'MB', series: memory, goal: options.memoryGoal }, xMax, sizes),
    '</svg>',
    '',
  ].join('\n');
}
