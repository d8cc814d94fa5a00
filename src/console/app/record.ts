/// <reference lib="dom" />
import { h, type VNode } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { type ActionOutcome, type Capabilities, ENTITY_LABEL, errorOutcome, gql, has, labelOf, outcomeOf, RESULT_FIELDS, type Session, show, subscribe, TYPE_OF } from './api';
import { ErrorText, GoldenLink, Loading, Outcome, PageHeading, valueOf, when } from './ui';

interface Lineage { source?: string; sourceId?: string; recordId?: string; strategy?: string; reason?: string; group?: string }
interface LineageEntry {
  value?: unknown;
  lineage?: Lineage;
  losers?: Array<{ value: unknown; source: string; sourceId: string }>;
  values?: Array<{ value: unknown; lineage?: Lineage }>;
}
interface Version { version: number; change: string; validFrom: string; validTo: string | null; members?: string[]; changes: Array<{ attribute: string; before: unknown; after: unknown }> }
interface Move { recordId: string; source: string; sourceId: string; fromGoldenId: string | null; toGoldenId: string | null; reason: string; movedAt: string }
interface Related { id: string; entity?: string; attributes?: Record<string, unknown> }
interface GoldenRecord {
  __typename: string;
  id: string;
  entity: string;
  status: string;
  version: number;
  attributes: Record<string, unknown>;
  attributeLineage?: Record<string, LineageEntry> | null;
  redactedAttributes?: string[];
  redirectedFrom?: string[];
  splitFrom?: string | null;
  crossReferences: Array<{ source: string; sourceId: string; attachedAt?: string }>;
  history?: Version[];
  sourceRecordMoves?: Move[];
  [relation: string]: unknown;
}

/** Relationship fields per GraphQL type (shown when the schema has them). */
const RELATIONS: Record<string, Array<{ field: string; label: string; connection?: boolean }>> = {
  Customer: [
    { field: 'parent', label: 'Parent' }, { field: 'subsidiaries', label: 'Subsidiaries' }, { field: 'locations', label: 'Sites' },
    { field: 'installedAssets', label: 'Installed assets', connection: true }, { field: 'contracts', label: 'Contracts' },
  ],
  InstalledAsset: [
    { field: 'owner', label: 'Owner' }, { field: 'product', label: 'Product' }, { field: 'location', label: 'Site' },
    { field: 'serialUnit', label: 'Serial unit' }, { field: 'contracts', label: 'Contracts' },
  ],
  SerialUnit: [{ field: 'product', label: 'Product' }, { field: 'installedAssets', label: 'Installed assets' }],
  Product: [{ field: 'serialUnits', label: 'Serial units' }, { field: 'installedAssets', label: 'Installed assets', connection: true }],
  Contract: [{ field: 'customer', label: 'Contract holder' }, { field: 'coveredAssets', label: 'Covered assets' }],
  Location: [{ field: 'customer', label: 'Customer' }, { field: 'installedAssets', label: 'Installed assets' }],
};

function recordQuery(caps: Capabilities): string {
  const g = (f: string) => has(caps, 'GoldenRecord', f);
  const fields = ['__typename id entity status version attributes crossReferences { source sourceId attachedAt }'];
  for (const f of ['attributeLineage', 'redactedAttributes', 'redirectedFrom', 'splitFrom', 'locked']) if (g(f)) fields.push(f);
  if (g('history')) fields.push(`history { version change validFrom validTo ${has(caps, 'GoldenRecordVersion', 'members') ? 'members' : ''} changes { attribute before after } }`);
  if (g('sourceRecordMoves')) fields.push('sourceRecordMoves { recordId source sourceId fromGoldenId toGoldenId reason movedAt }');
  const fragments = Object.entries(RELATIONS).map(([type, rels]) => {
    const present = rels.filter((r) => has(caps, type, r.field));
    if (!present.length) return '';
    const sel = present.map((r) => (r.connection ? `${type}_${r.field}: ${r.field}(first: 50) { edges { node { id entity attributes } } }` : `${type}_${r.field}: ${r.field} { id entity attributes }`));
    return `... on ${type} { ${sel.join(' ')} }`;
  });
  return `query($id: ID!) { goldenRecord(id: $id) { requestedId redirected record { ${fields.join(' ')} ${fragments.join(' ')} } } }`;
}

/** Source record ids of the current members: the last move of each source record into this record. */
function memberRecordIds(record: GoldenRecord): Map<string, string> {
  const ids = new Map<string, string>();
  for (const m of record.sourceRecordMoves ?? []) {
    const key = `${m.source}|${m.sourceId}`;
    if (m.toGoldenId === record.id) ids.set(key, m.recordId);
    else ids.delete(key);
  }
  for (const entry of Object.values(record.attributeLineage ?? {})) {
    for (const l of [entry.lineage, ...(entry.values ?? []).map((v) => v.lineage)]) {
      if (l?.recordId && l.source && l.sourceId && !ids.has(`${l.source}|${l.sourceId}`)) ids.set(`${l.source}|${l.sourceId}`, l.recordId);
    }
  }
  return ids;
}

/** The golden record page: attributes with lineage, cross-references, relationships, history, steward actions. */
export function RecordPage({ id, session, caps }: { id: string; session: Session; caps: Capabilities }): VNode<any> {
  const [record, setRecord] = useState<GoldenRecord | null>(null);
  const [redirectedFrom, setRedirectedFrom] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<ActionOutcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [reason, setReason] = useState('');
  const [moveTarget, setMoveTarget] = useState<Record<string, string>>({});
  const [pinFor, setPinFor] = useState<string | null>(null);
  const canAct = session.scopes.includes('steward');

  const load = useCallback(async () => {
    setError(null);
    try {
      const data = await gql<{ goldenRecord: { requestedId: string; redirected: boolean; record: GoldenRecord } | null }>(session.key, recordQuery(caps), { id });
      if (!data.goldenRecord) throw new Error(`golden id ${id} was never issued`);
      setRecord(data.goldenRecord.record);
      setRedirectedFrom(data.goldenRecord.redirected ? data.goldenRecord.requestedId : null);
      setSelected(new Set());
    } catch (err) {
      setError(err);
    }
  }, [id, session.key, caps]);

  useEffect(() => {
    setRecord(null);
    setOutcome(null);
    void load();
  }, [load]);

  // Live: another steward or a resolution run changed this record after it was loaded.
  const [elsewhere, setElsewhere] = useState<{ type: string; version: number } | null>(null);
  const shownId = record?.id;
  useEffect(() => {
    if (!shownId || !caps.subscription.has('goldenRecordChanged')) return;
    const abort = new AbortController();
    subscribe<{ goldenRecordChanged: { type: string; goldenId: string; goldenVersion: number } }>(
      session.key,
      'subscription($id: ID!, $since: Int) { goldenRecordChanged(goldenId: $id, sinceVersion: $since) { type goldenId goldenVersion } }',
      // From the version shown when the record was opened: a change between loading it and
      // subscribing is not missed (a reload of the same record keeps the subscription).
      { id: shownId, since: record?.version ?? null },
      ({ goldenRecordChanged: e }) => setElsewhere({ type: e.type, version: e.goldenVersion }),
      abort.signal,
    );
    return () => abort.abort();
  }, [shownId, session.key, caps]);

  const run = async (query: string, variables: Record<string, unknown>, field: string, success: (r: any) => string) => {
    setBusy(true);
    setOutcome(null);
    try {
      const data = await gql(session.key, query, { ...variables, reason: reason.trim() || null });
      const r = data[field];
      const o = outcomeOf(r, r?.__typename?.endsWith('Success') ? success(r) : '');
      setOutcome(o);
      if (o.kind === 'ok') {
        setReason('');
        setPinFor(null);
        await load();
      }
    } catch (err) {
      setOutcome(errorOutcome(err));
    } finally {
      setBusy(false);
    }
  };

  if (error) return h('section', null, h(PageHeading, null, `Golden record ${id}`), h(ErrorText, { error }));
  if (!record) return h(Loading, { what: `golden record ${id}` });

  const recordIds = memberRecordIds(record);
  const lineage = record.attributeLineage ?? {};
  const attrs = [...new Set([...Object.keys(record.attributes), ...Object.keys(lineage)])].sort();
  const typeName = TYPE_OF[record.entity] ?? record.__typename;
  const lockState = (record.history ?? []).find((v) => v.change === 'steward:lock' || v.change === 'steward:unlock');
  const locked = typeof record.locked === 'boolean' ? record.locked : lockState?.change === 'steward:lock';
  const active = record.status === 'ACTIVE';
  const m = caps.mutation;

  const split = () =>
    run(
      `mutation($id: ID!, $ids: [ID!]!, $v: Int, $reason: String) { split(goldenId: $id, recordIds: $ids, expectedVersion: $v, reason: $reason) { ${RESULT_FIELDS} ... on SplitSuccess { goldenId newGoldenId } } }`,
      { id: record.id, ids: [...selected], v: record.version },
      'split',
      (r) => `Split: the selected records now form ${r.newGoldenId}; ${r.goldenId} keeps the rest.`,
    ).then(() => undefined);

  const move = (recordId: string) =>
    run(
      `mutation($rid: ID!, $to: ID!, $reason: String) { moveRecord(recordId: $rid, toGoldenId: $to, reason: $reason) { ${RESULT_FIELDS} ... on MoveRecordSuccess { goldenId } } }`,
      { rid: recordId, to: (moveTarget[recordId] ?? '').trim() },
      'moveRecord',
      (r) => `Moved record ${recordId} to ${r.goldenId}.`,
    );

  const lock = (value: boolean) =>
    run(
      `mutation($id: ID!, $locked: Boolean!, $v: Int, $reason: String) { lock(goldenId: $id, locked: $locked, expectedVersion: $v, reason: $reason) { ${RESULT_FIELDS} ... on LockSuccess { goldenId locked } } }`,
      { id: record.id, locked: value, v: record.version },
      'lock',
      (r) => (r.locked ? `${record.id} is locked against automatic change.` : `${record.id} is unlocked.`),
    );

  const pin = (attribute: string, choice: { recordId?: string; value?: unknown }) =>
    run(
      `mutation($id: ID!, $a: String!, $rid: ID, $value: JSON, $v: Int, $reason: String) { pinAttribute(goldenId: $id, attribute: $a, recordId: $rid, value: $value, expectedVersion: $v, reason: $reason) { ${RESULT_FIELDS} ... on PinAttributeSuccess { goldenId } } }`,
      { id: record.id, a: attribute, rid: choice.recordId ?? null, value: choice.value === undefined ? null : choice.value, v: record.version },
      'pinAttribute',
      () => (choice.recordId ? `Pinned ${attribute} to record ${choice.recordId}.` : `Overrode ${attribute}.`),
    );

  const relations = (RELATIONS[typeName] ?? []).filter((r) => has(caps, typeName, r.field));

  return h(
    'section',
    { 'aria-labelledby': 'record-title', 'data-testid': 'record' },
    h(PageHeading, null, h('span', { id: 'record-title' }, `${ENTITY_LABEL[record.entity] ?? record.entity} ${labelOf(record.attributes) || record.id}`)),
    h('p', { class: 'muted' },
      h('span', { class: 'mono', 'data-testid': 'record-id' }, record.id), ` · ${record.status.toLowerCase()} · version `, h('span', { 'data-testid': 'record-version' }, String(record.version)),
      locked ? ' · locked' : '',
      redirectedFrom ? ` · ${redirectedFrom} was merged into this record` : '',
      record.splitFrom ? h('span', null, ' · split from ', h(GoldenLink, { id: record.splitFrom })) : null,
      record.redirectedFrom?.length ? ` · absorbed ${record.redirectedFrom.join(', ')}` : '',
    ),
    h(Outcome, { outcome, onReload: () => { setOutcome(null); void load(); } }),
    elsewhere && elsewhere.version > record.version
      ? h('div', { class: 'result warning', role: 'status', 'data-testid': 'changed-elsewhere' },
          `This record changed meanwhile (${elsewhere.type}, now version ${elsewhere.version}). `,
          h('button', { type: 'button', onClick: () => { setElsewhere(null); setOutcome(null); void load(); } }, 'Reload'))
      : null,
    canAct && active
      ? h('div', { class: 'panel actions', role: 'group', 'aria-label': 'Record actions' },
          h('label', null, 'Reason for the audit (optional)', h('input', { value: reason, onInput: (ev: Event) => setReason(valueOf(ev)), size: 28 })),
          m.has('lock') ? h('button', { type: 'button', disabled: busy, onClick: () => void lock(!locked) }, locked ? 'Unlock' : 'Lock') : null,
          m.has('split') ? h('button', { type: 'button', disabled: busy || selected.size === 0 || selected.size >= record.crossReferences.length, onClick: () => void split() },
            `Split selected out (${selected.size})`) : null,
        )
      : !canAct ? h('p', { class: 'muted' }, 'Read-only: steward actions need a steward key.') : null,
    h('div', null,
      h('div', { class: 'panel' },
        h('h3', { style: { marginTop: 0 } }, 'Attributes and lineage'),
        h('div', { class: 'scroll' }, h('table', null,
          h('thead', null, h('tr', null, ['Attribute', 'Value', 'Won by', 'Lost', canAct && m.has('pinAttribute') && active ? 'Pin' : null].filter(Boolean).map((c) => h('th', { scope: 'col', key: String(c) }, c)))),
          h('tbody', null, attrs.map((a) => {
            const entry = lineage[a];
            const win = entry?.lineage ?? entry?.values?.[0]?.lineage;
            return [
              h('tr', { key: a, 'data-attribute': a },
                h('th', { scope: 'row' }, a),
                h('td', null, show(record.attributes[a])),
                h('td', { class: 'muted' }, entry?.values
                  ? entry.values.map((v, i) => h('div', { key: i }, `${show(v.value)}: ${v.lineage?.source ?? '?'}/${v.lineage?.sourceId ?? '?'} (${v.lineage?.strategy ?? ''})`))
                  : win ? h('span', { title: win.reason ?? '' }, `${win.source}/${win.sourceId} · ${win.strategy ?? ''}`, h('br', null), h('small', null, win.reason ?? '')) : '–'),
                h('td', null, (entry?.losers ?? []).map((l, i) => h('div', { key: i, class: 'loser', title: `${l.source}/${l.sourceId}` }, `${show(l.value)} (${l.source})`))),
                canAct && m.has('pinAttribute') && active
                  ? h('td', null, h('button', { type: 'button', 'aria-expanded': pinFor === a, 'aria-label': `Pin or override ${a}`, onClick: () => setPinFor(pinFor === a ? null : a) }, 'Pin…'))
                  : null,
              ),
              pinFor === a ? h('tr', { key: `${a}-pin` }, h('td', { colSpan: 5 }, h(PinForm, { attribute: a, entry, recordIds, busy, pin }))) : null,
            ];
          })),
        )),
        record.redactedAttributes?.length ? h('p', { class: 'muted' }, `Hidden without the personal-data scope: ${record.redactedAttributes.join(', ')}`) : null,
      ),
      h('div', { class: 'grid2' },
        h('div', { class: 'panel' },
          h('h3', { style: { marginTop: 0 } }, 'Cross-references'),
          h('div', { class: 'scroll' }, h('table', { 'data-testid': 'xrefs' },
            h('thead', null, h('tr', null, canAct && active ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Select for split')) : null,
              h('th', { scope: 'col' }, 'Source'), h('th', { scope: 'col' }, 'Source id'), h('th', { scope: 'col' }, 'Attached'),
              canAct && active && m.has('moveRecord') ? h('th', { scope: 'col' }, 'Move to golden id') : null)),
            h('tbody', null, record.crossReferences.map((x) => {
              const rid = recordIds.get(`${x.source}|${x.sourceId}`);
              const key = `${x.source}|${x.sourceId}`;
              return h('tr', { key, 'data-xref': key },
                canAct && active ? h('td', null, rid ? h('input', {
                  type: 'checkbox', 'aria-label': `Select ${x.source} ${x.sourceId} for split`, checked: selected.has(rid),
                  onChange: () => { const s = new Set(selected); if (s.has(rid)) s.delete(rid); else s.add(rid); setSelected(s); },
                }) : null) : null,
                h('td', null, x.source), h('td', { class: 'mono' }, x.sourceId), h('td', { class: 'muted' }, when(x.attachedAt).slice(0, 10)),
                canAct && active && m.has('moveRecord') ? h('td', { class: 'nowrap' }, rid ? h('span', null,
                  h('input', { 'aria-label': `Target golden id for ${x.source} ${x.sourceId}`, placeholder: 'G-…', size: 13, value: moveTarget[rid] ?? '', onInput: (ev: Event) => setMoveTarget({ ...moveTarget, [rid]: valueOf(ev) }) }),
                  h('button', { type: 'button', disabled: busy || !(moveTarget[rid] ?? '').trim(), onClick: () => void move(rid) }, 'Move')) : null) : null,
              );
            })),
          )),
        ),
        relations.length ? h('div', { class: 'panel', 'data-testid': 'relationships' },
          h('h3', { style: { marginTop: 0 } }, 'Relationships'),
          relations.map((r) => {
            const raw = record[`${typeName}_${r.field}`];
            const list: Related[] = r.connection
              ? (((raw as { edges?: Array<{ node: Related }> } | null)?.edges ?? []).map((e) => e.node))
              : Array.isArray(raw) ? (raw as Related[]) : raw ? [raw as Related] : [];
            return h('div', { key: r.field }, h('strong', null, `${r.label}: `), list.length
              ? list.slice(0, 20).map((x, i) => h('span', { key: x.id }, i ? ', ' : '', h(GoldenLink, { id: x.id }), labelOf(x.attributes) ? ` ${labelOf(x.attributes)}` : ''))
              : h('span', { class: 'muted' }, 'none'), list.length > 20 ? h('span', { class: 'muted' }, ` and ${list.length - 20} more`) : null);
          }),
        ) : null,
      ),
    ),
    record.history ? h('div', { class: 'panel' },
      h('h3', { style: { marginTop: 0 } }, 'History'),
      h('ol', { class: 'history', 'data-testid': 'history' }, record.history.map((v) => h('li', { key: v.version, 'data-change': v.change },
        h('details', { open: v.version === record.version },
          h('summary', null, `v${v.version} · ${v.change} · ${when(v.validFrom)}${v.validTo ? ` – ${when(v.validTo)}` : ' (current)'}${v.members ? ` · ${v.members.length} source record${v.members.length === 1 ? '' : 's'}` : ''}`),
          v.changes.length ? h('div', { class: 'scroll' }, h('table', null,
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Attribute'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'After'))),
            h('tbody', null, v.changes.map((c) => h('tr', { key: c.attribute, class: 'diff' }, h('th', { scope: 'row' }, c.attribute), h('td', { class: 'val loser' }, show(c.before)), h('td', { class: 'val' }, show(c.after))))),
          )) : h('p', { class: 'muted' }, 'No attribute changed.'),
          v.members ? h('p', { class: 'muted mono' }, v.members.join(' · ')) : null,
        )))),
    ) : null,
  );
}

function PinForm({ attribute, entry, recordIds, busy, pin }: {
  attribute: string;
  entry: LineageEntry | undefined;
  recordIds: Map<string, string>;
  busy: boolean;
  pin: (a: string, c: { recordId?: string; value?: unknown }) => Promise<void>;
}): VNode<any> {
  const [override, setOverride] = useState('');
  const options: Array<{ recordId: string; label: string }> = [];
  const add = (source?: string, sourceId?: string, value?: unknown) => {
    const rid = source && sourceId ? recordIds.get(`${source}|${sourceId}`) : undefined;
    if (rid && !options.some((o) => o.recordId === rid)) options.push({ recordId: rid, label: `${show(value)} (${source}/${sourceId})` });
  };
  add(entry?.lineage?.source, entry?.lineage?.sourceId, entry?.value);
  for (const l of entry?.losers ?? []) add(l.source, l.sourceId, l.value);
  // Text stays text (postal codes keep their zeros); a JSON array or object is sent as such.
  const parse = (text: string): unknown => {
    if (!/^[[{]/.test(text)) return text;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  };
  return h('div', { class: 'row', role: 'group', 'aria-label': `Pin ${attribute}` },
    options.map((o) => h('button', { type: 'button', key: o.recordId, disabled: busy, onClick: () => void pin(attribute, { recordId: o.recordId }) }, `Pin ${o.label}`)),
    h('label', null, `Override ${attribute} with`, h('input', { value: override, onInput: (ev: Event) => setOverride(valueOf(ev)), size: 20 })),
    h('button', { type: 'button', disabled: busy || !override.trim(), onClick: () => void pin(attribute, { value: parse(override.trim()) }) }, 'Override'),
  );
}
