/// <reference lib="dom" />
import { h, type VNode } from 'preact';
import { useState } from 'preact/hooks';
import { type Capabilities, ENTITIES, ENTITY_LABEL, gql, labelOf, type Session } from './api';
import { ErrorText, fmt, GoldenLink, PageHeading, valueOf } from './ui';

const PROBE_FIELDS: Record<string, string[]> = {
  CUSTOMER: ['name', 'taxId', 'duns', 'postalCode', 'city', 'country', 'email', 'phone'],
  PRODUCT: ['name', 'partNumber', 'manufacturerPartNumber', 'gtin'],
  SERIAL: ['serialNumber', 'partNumber'],
  ASSET: ['serialNumber', 'name', 'partNumber'],
  CONTRACT: ['contractNumber'],
  LOCATION: ['name', 'postalCode', 'city', 'country', 'gln'],
};

interface Translation { goldenId: string; record?: { attributes?: Record<string, unknown> }; requested?: { source: string; sourceId: string }; crossReferences: Array<{ source: string; sourceId: string }> }
interface Candidate { goldenId: string; probability: number; weight: number; verdict: string; matchedOn: string[]; source: string; sourceId: string; record: { id: string; attributes: Record<string, unknown> } | null }

/** Search: by a source system id (translateId / goldenRecordByXref), by golden id, by attributes (matchCandidates). */
export function SearchPage({ session, caps }: { session: Session; caps: Capabilities }): VNode<any> {
  const [entity, setEntity] = useState('CUSTOMER');
  const [source, setSource] = useState('erp');
  const [sourceId, setSourceId] = useState('');
  const [translation, setTranslation] = useState<Translation | null | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [goldenId, setGoldenId] = useState('');
  const [probeEntity, setProbeEntity] = useState('CUSTOMER');
  const [probe, setProbe] = useState<Record<string, string>>({});
  const [candidates, setCandidates] = useState<Candidate[] | null>(null);
  const [probeError, setProbeError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const byXref = async (ev: Event) => {
    ev.preventDefault();
    setError(null);
    setBusy(true);
    try {
      if (caps.query.has('translateId')) {
        const data = await gql<{ translateId: Translation | null }>(session.key,
          `query($e: EntityType!, $s: String!, $id: String!) { translateId(entity: $e, source: $s, sourceId: $id) { goldenId record { attributes } requested { source sourceId } crossReferences { source sourceId } } }`,
          { e: entity, s: source.trim(), id: sourceId.trim() });
        setTranslation(data.translateId);
      } else {
        const data = await gql<{ goldenRecordByXref: { id: string; attributes: Record<string, unknown>; crossReferences: Translation['crossReferences'] } | null }>(session.key,
          `query($e: EntityType!, $s: String!, $id: String!) { goldenRecordByXref(entity: $e, source: $s, sourceId: $id) { id attributes crossReferences { source sourceId } } }`,
          { e: entity, s: source.trim(), id: sourceId.trim() });
        const r = data.goldenRecordByXref;
        setTranslation(r ? { goldenId: r.id, record: r, crossReferences: r.crossReferences.filter((x) => !(x.source === source.trim() && x.sourceId === sourceId.trim())), requested: { source: source.trim(), sourceId: sourceId.trim() } } : null);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const byAttributes = async (ev: Event) => {
    ev.preventDefault();
    setProbeError(null);
    setBusy(true);
    try {
      const attributes = Object.fromEntries(Object.entries(probe).filter(([k, v]) => v.trim() && PROBE_FIELDS[probeEntity].includes(k)).map(([k, v]) => [k, v.trim()]));
      const data = await gql<{ matchCandidates: { candidates: Candidate[] } }>(session.key,
        `query($e: EntityType!, $a: JSON!) { matchCandidates(entity: $e, attributes: $a, minProbability: 0, limit: 20) {
          candidates { goldenId probability weight verdict matchedOn source sourceId record { id attributes } } } }`,
        { e: probeEntity, a: attributes });
      setCandidates(data.matchCandidates.candidates);
    } catch (err) {
      setProbeError(err);
    } finally {
      setBusy(false);
    }
  };

  return h('section', { 'aria-labelledby': 'search-title' },
    h(PageHeading, null, h('span', { id: 'search-title' }, 'Find golden records')),
    h('form', { class: 'panel', onSubmit: byXref, 'aria-labelledby': 'xref-title' },
      h('h3', { id: 'xref-title', style: { marginTop: 0 } }, 'By source system id'),
      h('div', { class: 'row' },
        h('label', null, 'Entity', h('select', { value: entity, onChange: (ev: Event) => setEntity(valueOf(ev)) }, ENTITIES.map((e) => h('option', { key: e, value: e }, ENTITY_LABEL[e])))),
        h('label', null, 'Source', h('input', { value: source, size: 8, required: true, onInput: (ev: Event) => setSource(valueOf(ev)) })),
        h('label', null, 'Source id', h('input', { value: sourceId, size: 22, required: true, onInput: (ev: Event) => setSourceId(valueOf(ev)) })),
        h('button', { type: 'submit', class: 'primary', disabled: busy }, 'Translate'),
      ),
      error ? h(ErrorText, { error }) : null,
      translation === null ? h('p', { role: 'status' }, 'The hub does not know this source record.') : null,
      translation ? h('div', { role: 'status', 'data-testid': 'translation' },
        h('p', null, 'Golden record ', h(GoldenLink, { id: translation.goldenId }), ` ${labelOf(translation.record?.attributes)}`),
        translation.crossReferences.length
          ? h('table', null, h('caption', { class: 'sr-only' }, 'The same thing in the other sources'),
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Also known as: source'), h('th', { scope: 'col' }, 'Source id'))),
              h('tbody', null, translation.crossReferences.map((x) => h('tr', { key: `${x.source}|${x.sourceId}` }, h('td', null, x.source), h('td', { class: 'mono' }, x.sourceId)))))
          : h('p', { class: 'muted' }, 'No other source record belongs to this golden record.'),
      ) : null,
    ),
    h('form', { class: 'panel', onSubmit: (ev: Event) => { ev.preventDefault(); if (goldenId.trim()) location.hash = `#/record/${goldenId.trim()}`; }, 'aria-labelledby': 'gid-title' },
      h('h3', { id: 'gid-title', style: { marginTop: 0 } }, 'By golden id'),
      h('div', { class: 'row' },
        h('label', null, 'Golden id', h('input', { value: goldenId, size: 18, placeholder: 'G-…', required: true, onInput: (ev: Event) => setGoldenId(valueOf(ev)) })),
        h('button', { type: 'submit' }, 'Open')),
    ),
    caps.query.has('matchCandidates')
      ? h('form', { class: 'panel', onSubmit: byAttributes, 'aria-labelledby': 'attr-title' },
          h('h3', { id: 'attr-title', style: { marginTop: 0 } }, 'By attributes (duplicate check)'),
          h('div', { class: 'row' },
            h('label', null, 'Entity', h('select', { value: probeEntity, onChange: (ev: Event) => { setProbeEntity(valueOf(ev)); setCandidates(null); } }, ENTITIES.map((e) => h('option', { key: e, value: e }, ENTITY_LABEL[e])))),
            PROBE_FIELDS[probeEntity].map((f) => h('label', { key: f }, f, h('input', { value: probe[f] ?? '', size: 14, onInput: (ev: Event) => setProbe({ ...probe, [f]: valueOf(ev) }) }))),
            h('button', { type: 'submit', class: 'primary', disabled: busy }, 'Search'),
          ),
          probeError ? h(ErrorText, { error: probeError }) : null,
          candidates ? (candidates.length
            ? h('div', { class: 'scroll', role: 'status' }, h('table', { 'data-testid': 'candidates' },
                h('thead', null, h('tr', null, ['Golden id', 'Name', 'Probability', 'Verdict', 'Matched on', 'Best record'].map((c) => h('th', { scope: 'col', key: c }, c)))),
                h('tbody', null, candidates.map((c) => h('tr', { key: c.goldenId },
                  h('td', null, h(GoldenLink, { id: c.goldenId })), h('td', null, labelOf(c.record?.attributes)), h('td', { class: 'num' }, fmt(c.probability, 3)),
                  h('td', null, c.verdict.toLowerCase().replace('_', ' ')), h('td', null, c.matchedOn.join(', ')), h('td', { class: 'mono' }, `${c.source}/${c.sourceId}`)))),
              ))
            : h('p', { role: 'status' }, 'No golden record matches these attributes.')) : null,
        )
      : null,
  );
}
