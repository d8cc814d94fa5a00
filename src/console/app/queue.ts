/// <reference lib="dom" />
import { h, type VNode } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { type ActionOutcome, type Capabilities, ENTITIES, ENTITY_LABEL, errorOutcome, gql, has, labelOf, outcomeOf, RESULT_FIELDS, type Session, show, subscribe } from './api';
import { MergePreviewPanel } from './merge-preview';
import { ErrorText, fmt, GoldenLink, Loading, Outcome, PageHeading, valueOf, Waterfall, type WaterfallRow, when } from './ui';

interface SourceRecord {
  recordId: string;
  source: string;
  sourceId: string;
  attributes: Record<string, unknown>;
  goldenId: string | null;
}

export interface Pair {
  id: string;
  entity: string;
  status: string;
  probability: number;
  weight: number;
  priority: number;
  reason: string;
  blockingRule: string | null;
  createdAt?: string;
  left: SourceRecord | null;
  right: SourceRecord | null;
  explanation: WaterfallRow[];
}

const BANDS: Record<string, { label: string; min?: number; max?: number }> = {
  any: { label: 'any score' },
  unlikely: { label: 'below 0.35', max: 0.35 },
  uncertain: { label: '0.35 – 0.65', min: 0.35, max: 0.65 },
  likely: { label: 'above 0.65', min: 0.65 },
};
const AGES: Record<string, { label: string; olderThan?: number; newerThan?: number }> = {
  any: { label: 'any age' },
  new: { label: 'queued in the last 24 h', newerThan: 86_400_000 },
  day: { label: 'waiting over 1 day', olderThan: 86_400_000 },
  week: { label: 'waiting over 7 days', olderThan: 7 * 86_400_000 },
};

function pairQuery(caps: Capabilities): string {
  const created = has(caps, 'MatchPair', 'createdAt') ? 'createdAt' : '';
  const explanation = has(caps, 'MatchPair', 'explanation') ? 'explanation { kind comparison level label leftValue rightValue m u weight }' : '';
  return `query($entity: EntityType, $source: String, $min: Float, $max: Float, $status: MatchPairStatus, $first: Int, $after: String) {
    matchQueue(entity: $entity, source: $source, minScore: $min, maxScore: $max, status: $status, first: $first, after: $after) {
      pageInfo { hasNextPage endCursor }
      edges { node { id entity status probability weight priority reason blockingRule ${created}
        left { recordId source sourceId attributes goldenId } right { recordId source sourceId attributes goldenId } ${explanation} } } } }`;
}

/** The steward queue: filters, the list sorted by priority, the comparison of the selected pair and j/k/m/n/d keys. */
export function QueuePage({ session, caps }: { session: Session; caps: Capabilities }): VNode<any> {
  const canAct = session.scopes.includes('steward') && caps.mutation.has('decidePair');
  const [entity, setEntity] = useState('');
  const [source, setSource] = useState('');
  const [band, setBand] = useState('any');
  const [age, setAge] = useState('any');
  const [status, setStatus] = useState('PENDING');
  const [pairs, setPairs] = useState<Pair[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [index, setIndex] = useState(0);
  /**
   * The pair the steward picked: the selection follows it when the list reloads (a filter's answer
   * arriving after a click, a live update); `index` is the fallback when it left the list.
   */
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [reason, setReason] = useState('');
  const [more, setMore] = useState<string | null>(null);
  /** Pairs of the list that changed elsewhere since the list was loaded (live, from matchQueueChanged). */
  const [changed, setChanged] = useState<Map<string, string>>(new Map());
  const listRef = useRef<HTMLUListElement>(null);

  /** Loads the first page (or the next one after `after`, appended). */
  const load = useCallback(async (after: string | null = null) => {
    setError(null);
    try {
      const b = BANDS[band];
      const data = await gql<{ matchQueue: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Array<{ node: Pair }> } }>(session.key, pairQuery(caps), {
        entity: entity || null, source: source.trim() || null, min: b.min ?? null, max: b.max ?? null, status, first: 100, after,
      });
      const page = data.matchQueue.edges.map((e) => ({ ...e.node, explanation: e.node.explanation ?? [] }));
      setPairs((before) => (after ? [...(before ?? []), ...page] : page));
      if (!after) setChanged(new Map());
      setMore(data.matchQueue.pageInfo.hasNextPage ? data.matchQueue.pageInfo.endCursor : null);
    } catch (err) {
      setError(err);
      if (!after) setPairs([]);
    }
  }, [session.key, caps, entity, source, band, status]);

  useEffect(() => {
    void load(null);
  }, [load]);

  useEffect(() => {
    if (!caps.subscription.has('matchQueueChanged')) return;
    const abort = new AbortController();
    subscribe<{ matchQueueChanged: { id: string; status: string } }>(
      session.key,
      'subscription($entity: EntityType) { matchQueueChanged(entity: $entity) { id status } }',
      { entity: entity || null },
      ({ matchQueueChanged: p }) => setChanged((m) => new Map(m).set(p.id, p.status)),
      abort.signal,
    );
    return () => abort.abort();
  }, [session.key, caps, entity]);

  const visible = useMemo(() => {
    const a = AGES[age];
    const now = Date.now();
    return (pairs ?? []).filter((p) => {
      if (!p.createdAt) return true;
      const waited = now - Date.parse(p.createdAt);
      if (a.olderThan !== undefined && waited < a.olderThan) return false;
      if (a.newerThan !== undefined && waited > a.newerThan) return false;
      return true;
    });
  }, [pairs, age]);

  const stale = (pairs ?? []).filter((p) => changed.has(p.id) && changed.get(p.id) !== p.status).length;
  const current = (visible.find((p) => p.id === selectedId) ?? visible[Math.min(index, Math.max(0, visible.length - 1))]) as Pair | undefined;
  const position = current ? visible.indexOf(current) : 0;
  const select = (i: number) => {
    const p = visible[i];
    setIndex(i);
    setSelectedId(p ? p.id : null);
  };

  useEffect(() => {
    const el = listRef.current?.querySelector('[aria-current="true"]');
    if (el && 'scrollIntoView' in el) (el as HTMLElement).scrollIntoView({ block: 'nearest' });
  }, [position, visible.length]);

  const act = useCallback(
    async (action: 'MERGE' | 'NOT_A_MATCH' | 'DEFER') => {
      if (!current || busy || !canAct) return;
      setBusy(true);
      setOutcome(null);
      const why = reason.trim() || null;
      let decided = false;
      try {
        if (action === 'DEFER') {
          const data = await gql(session.key, `mutation($id: ID!, $reason: String) { deferPair(pairId: $id, reason: $reason) { ${RESULT_FIELDS} } }`, { id: current.id, reason: why });
          setOutcome(outcomeOf(data.deferPair, `Pair ${current.id} deferred.`));
        } else {
          const data = await gql(
            session.key,
            `mutation($id: ID!, $d: PairDecision!, $reason: String) { decidePair(pairId: $id, decision: $d, reason: $reason) { ${RESULT_FIELDS}
              ... on DecidePairSuccess { goldenIds pair { status left { goldenId } right { goldenId } } } } }`,
            { id: current.id, d: action, reason: why },
          );
          const r = data.decidePair;
          const ids: string[] = r?.goldenIds ?? [];
          const o = outcomeOf(r, action === 'MERGE' ? `Pair ${current.id} merged into ${ids[0] ?? '?'}.` : `Pair ${current.id} marked not a match (${ids.join(', ')} stay apart).`);
          if (o.kind === 'ok' && action === 'MERGE') {
            // Say so when resolution did not put the two records together after all.
            const l = r.pair?.left?.goldenId as string | undefined;
            const rt = r.pair?.right?.goldenId as string | undefined;
            if (l && rt && l !== rt) {
              o.kind = 'warning';
              o.message = `Pair ${current.id} was accepted as a match, but the hub keeps the two records apart (${l} and ${rt}); check both records.`;
            }
            o.goldenId = l ?? ids[0];
          }
          setOutcome(o);
        }
        setReason('');
        decided = true;
      } catch (err) {
        setOutcome(errorOutcome(err));
      } finally {
        setBusy(false);
      }
      // The list reloads after the decision, without holding the keys: a pair picked meanwhile can
      // be acted on at once (the hub answers for a pair that is no longer open).
      if (decided) await load(null);
    },
    [current, busy, canAct, reason, session.key, load],
  );

  /**
   * What the keys act on, as of the latest render. The listener reads it from here instead of
   * closing over it: effects run after paint, so a listener registered by an effect still held the
   * previous selection for a moment after a click, and a key pressed then acted on the pair selected
   * before (a console test saw 'd' defer another pair).
   */
  const keyState = useRef({ visible, position, act, caps, current, select });
  keyState.current = { visible, position, act, caps, current, select };

  useEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      const { visible, position, act, caps, current, select } = keyState.current;
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      const target = ev.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
      switch (ev.key) {
        case 'j':
          select(Math.min(position + 1, Math.max(0, visible.length - 1)));
          break;
        case 'k':
          select(Math.max(0, position - 1));
          break;
        case 'm':
          void act('MERGE');
          break;
        case 'n':
          void act('NOT_A_MATCH');
          break;
        case 'd':
          if (!caps.mutation.has('deferPair')) return;
          void act('DEFER');
          break;
        case 'p': {
          // To the merge preview (its heading), so a screen reader reads it next.
          const heading = current ? document.getElementById(`preview-${current.id}`) : null;
          if (!heading) return;
          heading.focus();
          heading.scrollIntoView({ block: 'start' });
          break;
        }
        default:
          return;
      }
      ev.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  return h(
    'section',
    { 'aria-labelledby': 'queue-title' },
    h(PageHeading, null, h('span', { id: 'queue-title' }, 'Match queue')),
    h(
      'form',
      { class: 'panel row', role: 'search', 'aria-label': 'Filter the queue', onSubmit: (ev: Event) => ev.preventDefault() },
      h('label', null, 'Entity', h('select', { value: entity, onChange: (ev: Event) => { setEntity(valueOf(ev)); setIndex(0); setSelectedId(null); } },
        h('option', { value: '' }, 'all'), ENTITIES.map((e) => h('option', { value: e, key: e }, ENTITY_LABEL[e])))),
      h('label', null, 'Source', h('input', { value: source, placeholder: 'erp, crm, fsm', size: 8, onChange: (ev: Event) => { setSource(valueOf(ev)); setIndex(0); setSelectedId(null); } })),
      h('label', null, 'Score band', h('select', { value: band, onChange: (ev: Event) => { setBand(valueOf(ev)); setIndex(0); setSelectedId(null); } },
        Object.entries(BANDS).map(([k, b]) => h('option', { value: k, key: k }, b.label)))),
      h('label', null, 'Age', h('select', { value: age, onChange: (ev: Event) => { setAge(valueOf(ev)); setIndex(0); setSelectedId(null); } },
        Object.entries(AGES).map(([k, a]) => h('option', { value: k, key: k }, a.label)))),
      h('label', null, 'Status', h('select', { value: status, onChange: (ev: Event) => { setStatus(valueOf(ev)); setIndex(0); setSelectedId(null); } },
        ['PENDING', 'DEFERRED', 'MERGED', 'REJECTED'].map((s) => h('option', { value: s, key: s }, s.toLowerCase())))),
      h('button', { type: 'button', onClick: () => void load(null) }, 'Refresh'),
    ),
    h(Outcome, { outcome }),
    error ? h(ErrorText, { error }) : null,
    stale > 0
      ? h('div', { class: 'result warning', role: 'status' }, `${stale} pair${stale === 1 ? '' : 's'} of this list changed elsewhere meanwhile. `,
          h('button', { type: 'button', onClick: () => void load(null) }, 'Refresh the queue'))
      : null,
    pairs === null
      ? h(Loading, { what: 'the queue' })
      : h(
          'div',
          { class: 'queue' },
          h(
            'div',
            { class: 'panel', style: { padding: 0 } },
            h('p', { class: 'muted', style: { margin: '8px' }, 'data-testid': 'queue-count' }, `${visible.length}${more ? '+' : ''} pair${visible.length === 1 ? '' : 's'}, most uncertain first`),
            h(
              'ul',
              { class: 'queue-list', ref: listRef, 'aria-label': 'Pairs' },
              visible.map((p, i) =>
                h(
                  'li',
                  { key: p.id },
                  h(
                    'button',
                    { type: 'button', 'aria-current': p === current ? 'true' : undefined, onClick: () => select(i), 'data-pair-id': p.id },
                    h('span', { class: 'names' }, `${labelOf(p.left?.attributes) || p.left?.sourceId || '?'} ↔ ${labelOf(p.right?.attributes) || p.right?.sourceId || '?'}`),
                    h('span', { class: 'prob' }, fmt(p.probability)),
                    h('span', { class: 'muted' }, `${ENTITY_LABEL[p.entity] ?? p.entity} · ${p.left?.source ?? '?'}/${p.right?.source ?? '?'} · ${p.reason}`),
                    h('span', { class: 'muted' }, `#${p.id}`),
                    changed.has(p.id) && changed.get(p.id) !== p.status
                      ? h('span', { class: 'changed', 'data-testid': 'changed-elsewhere' }, `now ${changed.get(p.id)!.toLowerCase()} (changed elsewhere)`)
                      : null,
                  ),
                ),
              ),
            ),
            more ? h('p', { style: { margin: '8px' } }, h('button', { type: 'button', onClick: () => void load(more) }, 'Load more pairs')) : null,
          ),
          current
            ? h(PairView, { pair: current, session, canPreview: caps.query.has('mergePreviewForPair'), canAct, canDefer: caps.mutation.has('deferPair'), busy, reason, setReason, act })
            : h('div', { class: 'panel' }, h('p', null, 'The queue is empty for these filters.')),
        ),
  );
}

function PairView(props: {
  pair: Pair;
  session: Session;
  /** The hub offers `mergePreviewForPair`. */
  canPreview: boolean;
  canAct: boolean;
  canDefer: boolean;
  busy: boolean;
  reason: string;
  setReason: (v: string) => void;
  act: (a: 'MERGE' | 'NOT_A_MATCH' | 'DEFER') => Promise<void>;
}): VNode<any> {
  const { pair, canAct, busy } = props;
  const left = pair.left?.attributes ?? {};
  const right = pair.right?.attributes ?? {};
  const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])].sort();
  const same = (a: unknown, b: unknown) => show(a).trim().toLowerCase() === show(b).trim().toLowerCase();
  const differing = keys.filter((k) => !same(left[k], right[k])).length;
  return h(
    'article',
    { class: 'panel', 'aria-label': `Pair ${pair.id}`, 'data-testid': 'pair' },
    h('h3', { style: { marginTop: 0 } }, `Pair #${pair.id}: probability ${fmt(pair.probability)}, weight ${fmt(pair.weight)}`),
    h('p', { class: 'muted' }, `${ENTITY_LABEL[pair.entity] ?? pair.entity} · queued because ${pair.reason}${pair.blockingRule ? ` · blocked on ${pair.blockingRule}` : ''}${pair.createdAt ? ` · since ${when(pair.createdAt)}` : ''} · ${differing} of ${keys.length} attributes differ`),
    canAct
      ? h(
          'div',
          { class: 'actions panel', role: 'group', 'aria-label': 'Decide this pair' },
          h('button', { type: 'button', class: 'good', disabled: busy || pair.status !== 'PENDING' && pair.status !== 'DEFERRED', onClick: () => void props.act('MERGE'), 'aria-keyshortcuts': 'm' }, 'Merge ', h('kbd', null, 'm')),
          h('button', { type: 'button', class: 'danger', disabled: busy || pair.status !== 'PENDING' && pair.status !== 'DEFERRED', onClick: () => void props.act('NOT_A_MATCH'), 'aria-keyshortcuts': 'n' }, 'Not a match ', h('kbd', null, 'n')),
          props.canDefer ? h('button', { type: 'button', disabled: busy || pair.status !== 'PENDING', onClick: () => void props.act('DEFER'), 'aria-keyshortcuts': 'd' }, 'Defer ', h('kbd', null, 'd')) : null,
          h('label', null, 'Reason (optional)', h('input', { value: props.reason, onInput: (ev: Event) => props.setReason(valueOf(ev)), size: 24 })),
          h('span', { class: 'muted' }, h('kbd', null, 'j'), ' / ', h('kbd', null, 'k'), ' next / previous', props.canPreview ? [' · ', h('kbd', null, 'p'), ' merge preview'] : null),
        )
      : h('p', { class: 'muted' }, 'Read-only: deciding pairs needs a steward key.'),
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        { class: 'compare' },
        h('caption', { class: 'sr-only' }, 'Attributes of both records; differing rows are highlighted'),
        h('thead', null, h('tr', null,
          h('th', { class: 'attr', scope: 'col' }, 'Attribute'),
          h('th', { scope: 'col' }, `${pair.left?.source ?? '?'} `, h('span', { class: 'mono' }, pair.left?.sourceId ?? ''), ' ', h(GoldenLink, { id: pair.left?.goldenId })),
          h('th', { scope: 'col' }, `${pair.right?.source ?? '?'} `, h('span', { class: 'mono' }, pair.right?.sourceId ?? ''), ' ', h(GoldenLink, { id: pair.right?.goldenId })),
        )),
        h('tbody', null, keys.map((k) => {
          const diff = !same(left[k], right[k]);
          return h('tr', { key: k, class: diff ? 'diff' : '' },
            h('th', { scope: 'row', class: 'attr' }, k, diff ? h('span', { class: 'sr-only' }, ' (differs)') : null),
            h('td', { class: 'val' }, show(left[k])),
            h('td', { class: 'val' }, show(right[k])));
        })),
      ),
    ),
    props.canPreview && (pair.status === 'PENDING' || pair.status === 'DEFERRED')
      ? h(MergePreviewPanel, { session: props.session, pairId: pair.id, version: `${pair.left?.goldenId ?? ''}|${pair.right?.goldenId ?? ''}` })
      : null,
    pair.explanation.length
      ? h(
          'div',
          null,
          h('h3', null, 'Why this score'),
          h(Waterfall, { rows: pair.explanation, total: pair.weight }),
          h('div', { class: 'scroll' }, h('table', null,
            h('thead', null, h('tr', null, ['Comparison', 'Level', 'Left', 'Right', 'm', 'u', 'Weight'].map((c) => h('th', { scope: 'col', key: c, class: ['m', 'u', 'Weight'].includes(c) ? 'num' : '' }, c)))),
            h('tbody', null, pair.explanation.map((r, i) => h('tr', { key: i },
              h('td', null, r.comparison),
              h('td', null, `${r.level >= 0 ? `${r.level}: ` : ''}${r.label}`),
              h('td', { class: 'mono' }, show(r.leftValue)),
              h('td', { class: 'mono' }, show(r.rightValue)),
              h('td', { class: 'num' }, fmt(r.m, 3)),
              h('td', { class: 'num' }, fmt(r.u, 4)),
              h('td', { class: 'num' }, fmt(r.weight)),
            ))),
          )),
        )
      : null,
  );
}
