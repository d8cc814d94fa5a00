/// <reference lib="dom" />
import { h, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { gql, type Session, show } from './api';
import { ErrorText, GoldenLink, Loading } from './ui';

interface Lineage { source: string; sourceId: string; recordId: string | null; strategy: string; reason: string | null }
interface PreviewAttribute {
  attribute: string;
  value: unknown;
  changed: boolean;
  wonBy: Lineage[];
  current: Array<{ goldenId: string; value: unknown; changed: boolean }>;
}
export interface MergePreviewData {
  __typename: 'MergePreview';
  goldenIds: string[];
  survivorId: string;
  redirectedIds: string[];
  blockedBy: string | null;
  notes: string[];
  redactedAttributes: string[];
  attributeChanges: PreviewAttribute[];
}
type Answer = MergePreviewData | { __typename: 'NotFound' | 'Invalid'; message: string };

const QUERY = `query($id: ID!) { mergePreviewForPair(pairId: $id) { __typename ... on NotFound { message } ... on Invalid { message }
  ... on MergePreview { goldenIds survivorId redirectedIds blockedBy notes redactedAttributes
    attributeChanges { attribute value changed wonBy { source sourceId recordId strategy reason } current { goldenId value changed } } } } }`;

/**
 * The golden record merging a pair would produce (GraphQL `mergePreviewForPair`), shown in the
 * pair view before the steward decides: per attribute the value after the merge, the source that
 * wins it, and the current value of each golden record, highlighted where the merge changes it.
 * `version` changes when the pair's golden records change, so the preview is asked again.
 */
export function MergePreviewPanel({ session, pairId, version }: { session: Session; pairId: string; version: string }): VNode<any> {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    setAnswer(null);
    setError(null);
    gql<{ mergePreviewForPair: Answer }>(session.key, QUERY, { id: pairId })
      .then((data) => current && setAnswer(data.mergePreviewForPair))
      .catch((err: unknown) => current && setError(err));
    return () => {
      current = false;
    };
  }, [session.key, pairId, version]);

  const heading = h('h3', { id: `preview-${pairId}`, tabIndex: -1 }, 'If merged: the resulting golden record');
  const wrap = (...children: Array<VNode<any> | null>) =>
    h('section', { 'aria-labelledby': `preview-${pairId}`, 'data-testid': 'merge-preview', 'data-state': answer?.__typename ?? (error ? 'error' : 'loading') }, heading, ...children);
  if (error) return wrap(h(ErrorText, { error }));
  if (!answer) return wrap(h(Loading, { what: 'the merge preview' }));
  if (answer.__typename !== 'MergePreview') return wrap(h('p', { class: 'muted', 'data-testid': 'merge-preview-message' }, answer.message));

  const p = answer;
  const changedCount = p.attributeChanges.filter((a) => a.changed).length;
  return wrap(
    h('p', { class: 'muted' },
      h(GoldenLink, { id: p.survivorId }), ' survives (the oldest golden record); ',
      p.redirectedIds.map((id, i) => h('span', { key: id }, i > 0 ? ', ' : '', h(GoldenLink, { id }))),
      ` would redirect to it. ${changedCount} of ${p.attributeChanges.length} attributes change for at least one of the records (highlighted). Computed by the merge's own survivorship; nothing is written until you merge.`),
    p.blockedBy ? h('div', { class: 'result warning', role: 'status' }, `The merge would be refused: ${p.blockedBy}.`) : null,
    p.notes.length ? h('ul', { class: 'notes', 'aria-label': 'Notes on the merge' }, p.notes.map((n, i) => h('li', { key: i }, n))) : null,
    h('div', { class: 'scroll' },
      h('table', { class: 'preview', 'data-survivor': p.survivorId },
        h('caption', { class: 'sr-only' }, 'Attributes after the merge, the source that wins each, and the current value of each golden record; values the merge changes are highlighted'),
        h('thead', null, h('tr', null,
          h('th', { scope: 'col', class: 'attr' }, 'Attribute'),
          h('th', { scope: 'col' }, 'After the merge'),
          h('th', { scope: 'col' }, 'Won by'),
          p.goldenIds.map((id) => h('th', { scope: 'col', key: id }, 'Now in ', h(GoldenLink, { id }), id === p.survivorId ? ' (survives)' : '')),
        )),
        h('tbody', null, p.attributeChanges.map((a) =>
          h('tr', { key: a.attribute, 'data-attribute': a.attribute, class: a.changed ? 'changes' : '' },
            h('th', { scope: 'row', class: 'attr' }, a.attribute),
            h('td', { class: 'val after', 'data-value': JSON.stringify(a.value ?? null) }, show(a.value)),
            h('td', { class: 'muted' }, a.wonBy.length
              ? a.wonBy.map((l, i) => h('div', { key: i, title: l.reason ?? '' }, `${l.source}/${l.sourceId} · ${l.strategy}`))
              : '–'),
            a.current.map((c) =>
              h('td', { key: c.goldenId, class: c.changed ? 'val chg' : 'val', 'data-golden-id': c.goldenId },
                show(c.value), c.changed ? h('span', { class: 'sr-only' }, ' (changes)') : null)),
          ))),
      )),
    p.redactedAttributes.length ? h('p', { class: 'muted' }, `Hidden without the personal-data scope: ${p.redactedAttributes.join(', ')}`) : null,
  );
}
