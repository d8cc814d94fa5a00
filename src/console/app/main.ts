/// <reference lib="dom" />
import { type ComponentChildren, h, render, type VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Capabilities, KEY_STORAGE, loadCapabilities, type Session, signIn } from './api';
import { OpsPage } from './ops';
import { QueuePage } from './queue';
import { RecordPage } from './record';
import { SearchPage } from './search';
import { ErrorText, Loading, valueOf } from './ui';

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function SignIn({ onSession, message }: { onSession: (s: Session) => void; message: string | null }): VNode<any> {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(message);
  const [busy, setBusy] = useState(false);
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onSession(await signIn(key.trim()));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'This API key is unknown, revoked or malformed.' : err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return h('main', { id: 'main' },
    h('form', { class: 'panel signin', onSubmit: submit, 'aria-labelledby': 'signin-title' },
      h('h2', { id: 'signin-title' }, 'Sign in to the steward console'),
      h('p', { class: 'muted' }, 'Use an API key (', h('code', null, 'mdm apikey create --role steward'), '). It stays in this browser tab only and is sent to the hub with every request.'),
      h('label', { style: { display: 'flex' } }, 'API key',
        h('input', { type: 'password', name: 'apikey', autoComplete: 'off', spellcheck: false, required: true, autoFocus: true, value: key, onInput: (ev: Event) => setKey(valueOf(ev)) })),
      error ? h('div', { class: 'result error', role: 'alert', style: { marginTop: '8px' } }, error) : null,
      h('p', null, h('button', { type: 'submit', class: 'primary', disabled: busy || !key.trim() }, busy ? 'Checking…' : 'Sign in')),
    ));
}

function App(): VNode<any> {
  const [session, setSession] = useState<Session | null>(null);
  const [caps, setCaps] = useState<Capabilities | null>(null);
  const [restoring, setRestoring] = useState(() => Boolean(sessionStorage.getItem(KEY_STORAGE)));
  const [message, setMessage] = useState<string | null>(null);
  const [fatal, setFatal] = useState<unknown>(null);
  const hash = useHash();

  const start = async (s: Session) => {
    try {
      const c = await loadCapabilities(s.key);
      sessionStorage.setItem(KEY_STORAGE, s.key);
      setCaps(c);
      setSession(s);
      if (!location.hash || location.hash === '#/' || location.hash === '#') location.hash = s.scopes.includes('steward') && c.query.has('matchQueue') ? '#/queue' : '#/search';
    } catch (err) {
      setFatal(err);
    }
  };

  useEffect(() => {
    const stored = sessionStorage.getItem(KEY_STORAGE);
    if (!stored) return;
    signIn(stored)
      .then(start)
      .catch((err: unknown) => {
        sessionStorage.removeItem(KEY_STORAGE);
        setMessage(err instanceof ApiError && err.status === 401 ? 'Your API key is no longer valid; sign in again.' : String(err));
      })
      .finally(() => setRestoring(false));
  }, []);

  const signOut = () => {
    sessionStorage.removeItem(KEY_STORAGE);
    setSession(null);
    setCaps(null);
    setMessage(null);
    location.hash = '';
  };

  if (fatal) return h('main', { id: 'main' }, h(ErrorText, { error: fatal }));
  if (restoring && !session) return h('main', { id: 'main' }, h(Loading, { what: 'your session' }));
  if (!session || !caps) return h('div', null, h(Header, null), h(SignIn, { onSession: (s) => void start(s), message }));

  const steward = session.scopes.includes('steward');
  const admin = session.scopes.includes('admin');
  const showQueue = steward && caps.query.has('matchQueue');
  const route = hash.replace(/^#\/?/, '').split('/');
  const page = route[0] || (showQueue ? 'queue' : 'search');
  const nav = [
    showQueue ? { id: 'queue', label: 'Match queue' } : null,
    { id: 'search', label: 'Search' },
    admin ? { id: 'ops', label: 'Operations' } : null,
  ].filter((x): x is { id: string; label: string } => x !== null);

  let body: VNode<any>;
  if (page === 'queue' && showQueue) body = h(QueuePage, { session, caps });
  else if (page === 'record' && route[1]) body = h(RecordPage, { key: route[1], id: decodeURIComponent(route[1]), session, caps });
  else if (page === 'ops' && admin) body = h(OpsPage, { session });
  else if (page === 'search') body = h(SearchPage, { session, caps });
  else body = h('p', { role: 'alert' }, page === 'queue' || page === 'ops' ? 'Your key’s role may not open this page.' : 'There is no such page.');

  return h('div', null,
    h('a', { class: 'skip', href: '#main', onClick: (ev: Event) => { ev.preventDefault(); document.getElementById('main')?.focus(); } }, 'Skip to content'),
    h(Header, null,
      h('nav', { 'aria-label': 'Console' }, h('ul', null, nav.map((n) => h('li', { key: n.id }, h('a', { href: `#/${n.id}`, 'aria-current': page === n.id ? 'page' : undefined }, n.label))))),
      h('div', { class: 'who' }, h('span', { class: `badge ${session.role}`, 'data-testid': 'role' }, session.role), steward ? null : h('span', null, 'read-only'),
        h('button', { type: 'button', onClick: signOut }, 'Sign out'))),
    h('main', { id: 'main', tabIndex: -1 }, body),
  );
}

function Header({ children }: { children?: ComponentChildren }): VNode<any> {
  return h('header', { class: 'top' }, h('h1', null, 'MDM hub · steward console'), children);
}

render(h(App, null), document.getElementById('app')!);
