/**
 * Organization name standardization: legal forms are recognized and removed
 * (and reported as a canonical code), industry words and their abbreviations
 * are mapped to one canonical spelling.
 *
 * Pipeline (tables compiled once at module load):
 * 1. canonical {@link fold} (lowercase, ä->ae, diacritics removed, NFKD so
 *    "㈱" and full-width letters become plain text);
 * 2. CJK legal forms written without spaces (株式会社, (株), 有限公司, 주식회사 ...)
 *    are cut from the start or end of the string;
 * 3. "&" and "+" become the word "and"; runs of single letters separated by
 *    dots or slashes are joined ("S.p.A." -> "spa", "A/S" -> "as",
 *    "Ges.m.b.H." -> "ges mbh", "Sp. z o.o." -> "sp z oo");
 * 4. punctuation is stripped and the string tokenized;
 * 5. trailing status qualifiers ("i.L.", "in Liquidation", "(publ)") are
 *    dropped, then the longest legal form at the end of the token list is
 *    removed (a second pass drops a left-over "& Co"), then legal forms
 *    written in front ("Kabushiki Kaisha Toshiba", "PT Foo", "OOO ...") and
 *    the "Fa."/"Firma" prefix;
 * 6. industry words are canonicalized ("Masch." -> "maschinenbau",
 *    "Int'l" -> "international", "Mfg" -> "manufacturing", "Masch.-Bau" ->
 *    "maschinenbau"); a leading "the" and dangling "and" are removed.
 *
 * A legal form is only removed when at least one name token remains, so an
 * organization literally called "Company" keeps its name.
 *
 * @module
 */
import { fold, stripPunctuation, toText, type Raw } from './text';

/** A standardized organization name. */
export interface OrgName {
  /** Normalized name without legal form: canonical tokens joined by one space. */
  name: string;
  /** Canonical legal form code (e.g. `'gmbh'`, `'llc'`, `'bv'`, `'gmbh_co_kg'`) or `null`. */
  legalForm: string | null;
  /** The tokens of {@link OrgName.name}. */
  tokens: string[];
}

/**
 * Legal forms: canonical code -> variant spellings, each written as the token
 * sequence produced by the tokenizer (folded, lowercase, dotted single letters
 * joined, punctuation removed). Umlaut words are listed both expanded ("ae")
 * and bare ("a") because input may come either way.
 *
 * Notes on codes: "mbH" (as in "Verwaltungsgesellschaft mbH") and the
 * Austrian "Ges.m.b.H." are the same legal form as GmbH and share `gmbh`;
 * "Co., Ltd." (the usual English rendering of Chinese/Japanese/Korean
 * limited companies) shares `ltd`; "A/S", "AS" and "a.s." share `as`.
 */
const LEGAL_FORMS: ReadonlyArray<readonly [string, readonly string[]]> = [
  // Germany, Austria, Switzerland
  ['gmbh', ['gmbh', 'g m b h', 'gesmbh', 'ges mbh', 'mbh', 'gesellschaft mbh', 'gesellschaft m b h',
    'gesellschaft mit beschraenkter haftung', 'gesellschaft mit beschrankter haftung']],
  ['ggmbh', ['ggmbh', 'gemeinnuetzige gmbh', 'gemeinnutzige gmbh']],
  ['ug', ['ug', 'ug haftungsbeschraenkt', 'ug haftungsbeschrankt', 'unternehmergesellschaft',
    'unternehmergesellschaft haftungsbeschraenkt', 'unternehmergesellschaft haftungsbeschrankt']],
  ['ag', ['ag', 'aktiengesellschaft']],
  ['kg', ['kg', 'kommanditgesellschaft']],
  ['kgaa', ['kgaa', 'kommanditgesellschaft auf aktien']],
  ['ohg', ['ohg', 'offene handelsgesellschaft']],
  ['ek', ['ek', 'e k', 'ekfm', 'e kfm', 'ekfr', 'e kfr', 'eingetragener kaufmann', 'eingetragene kauffrau']],
  ['gbr', ['gbr', 'gesellschaft buergerlichen rechts', 'gesellschaft burgerlichen rechts']],
  ['partg', ['partg', 'partg mbb', 'partgmbb', 'partnerschaftsgesellschaft']],
  ['ev', ['ev', 'eingetragener verein']],
  ['eg', ['eg', 'eingetragene genossenschaft']],
  ['se', ['se', 'societas europaea']],
  // France, Switzerland (Sàrl), Belgium, Luxembourg
  ['sa', ['sa', 'societe anonyme', 'sociedad anonima', 'sociedade anonima', 'spolka akcyjna', 'societa anonima']],
  ['sas', ['sas', 'societe par actions simplifiee', 'societa in accomandita semplice']],
  ['sasu', ['sasu', 'societe par actions simplifiee unipersonnelle']],
  ['sarl', ['sarl', 'sa rl', 's a r l', 'societe a responsabilite limitee']],
  ['eurl', ['eurl', 'entreprise unipersonnelle a responsabilite limitee']],
  ['snc', ['snc', 'societe en nom collectif', 'societa in nome collettivo']],
  ['sca', ['sca', 'societe en commandite par actions']],
  ['sprl', ['sprl']],
  // Italy
  ['spa', ['spa', 'societa per azioni']],
  ['srl', ['srl', 'societa a responsabilita limitata']],
  ['srls', ['srls', 'srl semplificata']],
  ['sapa', ['sapa', 'societa in accomandita per azioni']],
  // Netherlands, Belgium
  ['bv', ['bv', 'besloten vennootschap', 'besloten vennootschap met beperkte aansprakelijkheid']],
  ['bvba', ['bvba']],
  ['nv', ['nv', 'naamloze vennootschap']],
  ['vof', ['vof', 'vennootschap onder firma']],
  ['cv', ['cv', 'commanditaire vennootschap']],
  ['cvba', ['cvba']],
  // Poland
  ['sp_zoo', ['sp z oo', 'sp zoo', 'spzoo', 'sp z o o', 'spolka z oo', 'spolka z o o',
    'spolka z ograniczona odpowiedzialnoscia']],
  ['spj', ['spj', 'sp j', 'spolka jawna']],
  ['spk', ['spk', 'sp k', 'spolka komandytowa']],
  ['ska', ['ska', 'sp k a', 'spolka komandytowo akcyjna']],
  // Spain, Portugal, Latin America
  ['sl', ['sl', 'sociedad limitada', 'sociedad de responsabilidad limitada']],
  ['slu', ['slu', 'sociedad limitada unipersonal']],
  ['sau', ['sau', 'sociedad anonima unipersonal']],
  ['ltda', ['ltda', 'limitada']],
  ['lda', ['lda']],
  ['sa_de_cv', ['sa de cv', 'sab de cv', 'sapi de cv']],
  ['s_de_rl_de_cv', ['s de rl de cv', 's de rl']],
  // Nordics and Baltics
  ['ab', ['ab', 'aktiebolag', 'aktiebolaget']],
  ['asa', ['asa', 'allmennaksjeselskap']],
  ['as', ['as', 'aksjeselskap', 'aktieselskab', 'aktsiaselts']],
  ['aps', ['aps', 'anpartsselskab']],
  ['oy', ['oy', 'osakeyhtio', 'osakeyhtioe']],
  ['oyj', ['oyj', 'julkinen osakeyhtio', 'julkinen osakeyhtioe']],
  ['hf', ['hf', 'ehf']],
  ['ou', ['ou', 'oue']],
  ['uab', ['uab']],
  ['sia', ['sia']],
  // United States, United Kingdom, Ireland, Commonwealth
  ['inc', ['inc', 'incorporated', 'co inc', 'company inc', 'company incorporated']],
  ['corp', ['corp', 'corporation']],
  ['co', ['co', 'company', 'cie', 'compagnie']],
  ['llc', ['llc', 'l l c', 'limited liability company', 'limited liability co', 'co llc', 'company llc']],
  ['pllc', ['pllc', 'professional limited liability company']],
  ['ltd', ['ltd', 'limited', 'co ltd', 'co limited', 'company ltd', 'company limited', 'corp ltd', 'corporation limited']],
  ['plc', ['plc', 'public limited company', 'public ltd co']],
  ['lp', ['lp', 'limited partnership']],
  ['llp', ['llp', 'limited liability partnership']],
  ['pc', ['pc', 'professional corporation']],
  ['pty_ltd', ['pty ltd', 'pty limited', 'proprietary limited', 'pty']],
  ['pvt_ltd', ['pvt ltd', 'pvt limited', 'private limited', 'private ltd']],
  ['pte_ltd', ['pte ltd', 'pte limited']],
  ['sdn_bhd', ['sdn bhd', 'sendirian berhad']],
  ['bhd', ['bhd', 'berhad']],
  // Japan (romanized; the kanji forms are in CJK_FORMS)
  ['kk', ['kk', 'kabushiki kaisha', 'kabushikikaisha', 'kabushiki gaisha', 'kabushikigaisha']],
  ['gk', ['gk', 'godo kaisha', 'godokaisha', 'godo gaisha']],
  ['yk', ['yk', 'yugen kaisha', 'yugenkaisha', 'yugen gaisha']],
  // Central and Eastern Europe, Turkey, Russia, Indonesia
  ['sro', ['sro', 'spol sro', 'spol s ro', 'spol s r o']],
  ['kft', ['kft']],
  ['zrt', ['zrt']],
  ['nyrt', ['nyrt']],
  ['bt', ['bt']],
  ['doo', ['doo']],
  ['dd', ['dd']],
  ['ood', ['ood']],
  ['eood', ['eood']],
  ['ltd_sti', ['ltd sti', 'limited sirketi']],
  ['ooo', ['ooo', 'ооо']],
  ['zao', ['zao', 'зао']],
  ['oao', ['oao', 'оао']],
  ['pao', ['pao', 'пао']],
];

/** German/European "X & Co. KG" combinations, generated for every connector spelling. */
const COMBINED_BASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['gmbh', ['gmbh', 'mbh']],
  ['ag', ['ag']],
  ['se', ['se']],
  ['ug', ['ug', 'ug haftungsbeschraenkt', 'ug haftungsbeschrankt']],
  ['ltd', ['ltd', 'limited']],
  ['bv', ['bv']],
  ['stiftung', ['stiftung']],
];
const COMBINED_TAILS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['kg', ['kg', 'kommanditgesellschaft']],
  ['kgaa', ['kgaa']],
  ['ohg', ['ohg']],
];
const CONNECTORS = ['and ', 'und ', 'u ', 'et ', ''] as const;
const COMPANY_WORDS = ['co', 'cie', 'comp'] as const;

/** Legal forms that are (also) written in front of the name. */
const PREFIX_FORMS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['kk', ['kabushiki kaisha', 'kabushikikaisha', 'kabushiki gaisha']],
  ['gk', ['godo kaisha', 'godo gaisha']],
  ['yk', ['yugen kaisha', 'yugen gaisha']],
  ['pt', ['pt']],
  ['ooo', ['ooo', 'ооо']],
  ['zao', ['zao', 'зао']],
  ['oao', ['oao', 'оао']],
  ['pao', ['pao', 'пао']],
  ['uab', ['uab']],
  ['sia', ['sia']],
];

/** Not legal forms, but noise in front of a name ("Fa. Müller", "Firma Schmidt"). */
const PREFIX_NOISE = new Set(['fa', 'firma', 'messrs']);

/** Status qualifiers written after the legal form; removed before matching. */
const QUALIFIERS: readonly string[] = [
  'publ', 'il', 'i l', 'ig', 'i g', 'in liquidation', 'in liq', 'in liquidazione', 'en liquidation',
  'in gruendung', 'in grundung', 'in liquidacion', 'tbk',
];

/** Left-over "& Co" after the main legal form ("Smith & Co. Inc."). */
const TRAILING_COMPANY: readonly string[] = ['and co', 'and cie', 'and company', 'and compagnie', 'co', 'company'];

/** CJK legal forms written without spaces; matched on the folded string. */
const CJK_FORMS: ReadonlyArray<readonly [string, string]> = [
  ['株式会社', 'kk'], ['(株)', 'kk'],
  ['有限会社', 'yk'], ['(有)', 'yk'],
  ['合同会社', 'gk'], ['(同)', 'gk'],
  ['合資会社', 'goshi_kaisha'], ['(資)', 'goshi_kaisha'],
  ['合名会社', 'gomei_kaisha'], ['(名)', 'gomei_kaisha'],
  ['股份有限公司', 'ltd'], ['有限责任公司', 'ltd'], ['有限責任公司', 'ltd'], ['有限公司', 'ltd'],
  ['股份公司', 'jsc'],
  ['주식회사', 'jsc'], ['(주)', 'jsc'],
  ['유한회사', 'ltd'], ['(유)', 'ltd'],
];

/**
 * Industry words and abbreviations: canonical spelling -> variants (folded,
 * lowercase, punctuation removed). Applied to name tokens after the legal
 * form has been removed.
 */
const WORDS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['and', ['and', 'und', 'et']],
  ['maschinenbau', ['maschinenbau', 'masch', 'maschbau', 'maschinenb']],
  ['industries', ['industries', 'industry', 'industrie', 'industrien', 'ind', 'inds', 'indus', 'industria', 'industrias']],
  ['international', ['international', 'intl', 'int', 'internat', 'internationale', 'internacional', 'internazionale']],
  ['manufacturing', ['manufacturing', 'mfg', 'manuf', 'mfrg', 'manufacture']],
  ['technologies', ['technologies', 'technology', 'tech', 'techn', 'technol', 'techs', 'technologie', 'technologien']],
  ['engineering', ['engineering', 'eng', 'engg', 'engr', 'engrg']],
  ['systems', ['systems', 'system', 'sys', 'syst', 'systeme', 'systemes']],
  ['services', ['services', 'service', 'svcs', 'svc', 'serv', 'servs', 'srvcs']],
  ['corporation', ['corporation', 'corp']],
  ['company', ['company', 'co', 'cie', 'compagnie']],
  ['brothers', ['brothers', 'bros', 'bro']],
  ['associates', ['associates', 'associate', 'assoc', 'assocs', 'asso']],
  ['electric', ['electric', 'electrical', 'electrics', 'elec', 'elect', 'electr']],
  ['holding', ['holding', 'holdings', 'hldg', 'hldgs']],
  ['group', ['group', 'grp', 'groupe', 'gruppe', 'grupo', 'gruppo']],
  ['gesellschaft', ['gesellschaft', 'ges']],
  ['werk', ['werk', 'werke']],
  ['fabrik', ['fabrik', 'fab', 'fabr']],
  ['handel', ['handel', 'handels', 'hdl']],
  ['vertrieb', ['vertrieb', 'vertriebs', 'vertr']],
  ['gebrueder', ['gebrueder', 'gebruder', 'gebr']],
  ['products', ['products', 'product', 'prod', 'prods']],
  ['laboratories', ['laboratories', 'laboratory', 'labs', 'lab']],
  ['equipment', ['equipment', 'equip', 'eqpt']],
  ['chemical', ['chemical', 'chemicals', 'chem']],
  ['national', ['national', 'natl']],
  ['management', ['management', 'mgmt', 'mgt']],
  ['distribution', ['distribution', 'distrib', 'distr']],
  ['mechanical', ['mechanical', 'mech']],
  ['construction', ['construction', 'constr']],
  ['solutions', ['solutions', 'solution']],
  ['saint', ['saint', 'st', 'sankt']],
];

interface TrieNode {
  next: Map<string, TrieNode>;
  code: string | null;
}

const newNode = (): TrieNode => ({ next: new Map(), code: null });

/** Adds a token sequence to a trie; `reverse` builds the suffix trie. */
function addSequence(root: TrieNode, phrase: string, code: string, reverse: boolean): void {
  const tokens = phrase.split(' ');
  if (reverse) tokens.reverse();
  let node = root;
  for (const t of tokens) {
    let child = node.next.get(t);
    if (!child) {
      child = newNode();
      node.next.set(t, child);
    }
    node = child;
  }
  if (node.code === null) node.code = code;
}

function buildTrie(entries: ReadonlyArray<readonly [string, readonly string[]]>, reverse: boolean): TrieNode {
  const root = newNode();
  for (const [code, variants] of entries) for (const v of variants) addSequence(root, v, code, reverse);
  return root;
}

const SUFFIX_TRIE: TrieNode = (() => {
  const root = buildTrie(LEGAL_FORMS, true);
  for (const [baseCode, bases] of COMBINED_BASES) {
    for (const [tailCode, tails] of COMBINED_TAILS) {
      const code = `${baseCode}_co_${tailCode}`;
      for (const b of bases) for (const c of CONNECTORS) for (const co of COMPANY_WORDS) for (const t of tails) {
        addSequence(root, `${b} ${c}${co} ${t}`, code, true);
      }
    }
  }
  return root;
})();
const PREFIX_TRIE: TrieNode = buildTrie(PREFIX_FORMS, false);
const QUALIFIER_TRIE: TrieNode = buildTrie([['q', QUALIFIERS]], true);
const TRAILING_COMPANY_TRIE: TrieNode = buildTrie([['co', TRAILING_COMPANY]], true);

/** Two-token spellings of one industry word ("Masch.-Bau" -> "maschinenbau"). */
const PHRASES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['maschinenbau', ['masch bau', 'maschinen bau']],
  ['maschinenfabrik', ['masch fabrik', 'maschinen fabrik', 'masch fabr', 'masch fab']],
];

const PHRASE_MAP: ReadonlyMap<string, string> = new Map(
  PHRASES.flatMap(([canonical, variants]) => variants.map((v) => [v, canonical] as const)),
);
const PHRASE_FIRST: ReadonlySet<string> = new Set(PHRASES.flatMap(([, v]) => v.map((x) => x.split(' ')[0])));

const WORD_MAP: ReadonlyMap<string, string> = new Map(
  WORDS.flatMap(([canonical, variants]) => variants.map((v) => [v, canonical] as const)),
);

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
const CJK_CODE: ReadonlyMap<string, string> = new Map(CJK_FORMS);
const CJK_ALTERNATION = [...CJK_FORMS]
  .map(([form]) => form)
  .sort((a, b) => b.length - a.length)
  .map(escapeRe)
  .join('|');
const CJK_PREFIX_RE = new RegExp(`^\\s*(${CJK_ALTERNATION})\\s*`);
const CJK_SUFFIX_RE = new RegExp(`\\s*(${CJK_ALTERNATION})\\s*$`);
/** Quick pre-check so that Latin-only names skip the CJK regexes. */
const HAS_CJK_RE = /[\u3000-\u9fff\uac00-\ud7af]/;

const AMPERSAND_RE = /[&+]/g;
/**
 * Runs of single letters separated by dots or slashes (optionally followed by
 * a space): "s.p.a.", "l.l.c.", "a/s", "e. k.". Each repetition must consume a
 * letter and a separator, so matching is linear.
 */
const DOTTED_LETTERS_RE = /(?<![\p{L}\p{N}])(?:\p{L} ?[./] ?)+\p{L}(?![\p{L}\p{N}])\.?/gu;
const DOTS_SLASHES_SPACES_RE = /[\s./]/g;
const joinLetters = (m: string): string => m.replace(DOTS_SLASHES_SPACES_RE, '');

/**
 * Walks `trie` from the end of `tokens` (suffix trie) and returns how many
 * tokens the longest match covers, keeping at least `keep` tokens in front.
 */
function matchSuffix(tokens: readonly string[], end: number, trie: TrieNode, keep: number): { code: string; length: number } | null {
  let node: TrieNode | undefined = trie;
  let best: { code: string; length: number } | null = null;
  for (let i = end - 1; i >= keep; i--) {
    node = node.next.get(tokens[i]);
    if (!node) break;
    if (node.code !== null) best = { code: node.code, length: end - i };
  }
  return best;
}

function matchPrefix(tokens: readonly string[], start: number, end: number, trie: TrieNode): { code: string; length: number } | null {
  let node: TrieNode | undefined = trie;
  let best: { code: string; length: number } | null = null;
  // Leave at least one token behind the prefix.
  for (let i = start; i < end - 1; i++) {
    node = node.next.get(tokens[i]);
    if (!node) break;
    if (node.code !== null) best = { code: node.code, length: i - start + 1 };
  }
  return best;
}

/**
 * Standardizes an organization name.
 *
 * Returns `null` when the value is missing or contains no letters or digits.
 *
 * @example
 * ```ts
 * orgName('Müller Maschinenbau GmbH & Co. KG')
 * // { name: 'mueller maschinenbau', legalForm: 'gmbh_co_kg', tokens: ['mueller', 'maschinenbau'] }
 * orgName('MUELLER MASCH.-BAU GMBH U. CO. KG')?.name    // 'mueller maschinenbau'
 * orgName('Acme Int\'l Mfg. Co., Ltd.')                 // name 'acme international manufacturing', legalForm 'ltd'
 * orgName('株式会社日立製作所')                             // name '日立製作所', legalForm 'kk'
 * orgName('Kabushiki Kaisha Toshiba')                   // name 'toshiba', legalForm 'kk'
 * orgName('The Boeing Company')                         // name 'boeing', legalForm 'co'
 * ```
 */
export function orgName(value: Raw): OrgName | null {
  const text = toText(value);
  if (text === null) return null;
  let s = fold(text);
  let legalForm: string | null = null;

  if (HAS_CJK_RE.test(s)) {
    const pre = CJK_PREFIX_RE.exec(s);
    if (pre && pre[0].length < s.length) {
      legalForm = CJK_CODE.get(pre[1]) ?? null;
      s = s.slice(pre[0].length);
    } else {
      const suf = CJK_SUFFIX_RE.exec(s);
      if (suf && suf.index > 0) {
        legalForm = CJK_CODE.get(suf[1]) ?? null;
        s = s.slice(0, suf.index);
      }
    }
  }

  s = s.replace(AMPERSAND_RE, ' and ').replace(DOTTED_LETTERS_RE, joinLetters);
  const stripped = stripPunctuation(s);
  if (stripped === '') return null;
  const raw = stripped.split(' ');

  let start = 0;
  let end = raw.length;

  // Status qualifiers at the very end ("AB (publ)", "GmbH i.L.").
  const q = matchSuffix(raw, end, QUALIFIER_TRIE, 1);
  if (q) end -= q.length;

  if (legalForm === null) {
    const suffix = matchSuffix(raw, end, SUFFIX_TRIE, 1);
    if (suffix) {
      legalForm = suffix.code;
      end -= suffix.length;
      const co = matchSuffix(raw, end, TRAILING_COMPANY_TRIE, 1);
      if (co) end -= co.length;
    }
  }
  if (end - start > 1 && PREFIX_NOISE.has(raw[start])) start++;
  if (legalForm === null) {
    const prefix = matchPrefix(raw, start, end, PREFIX_TRIE);
    if (prefix) {
      legalForm = prefix.code;
      start += prefix.length;
    }
  }

  const tokens: string[] = [];
  for (let i = start; i < end; i++) {
    const t = raw[i];
    if (i + 1 < end && PHRASE_FIRST.has(t)) {
      const phrase = PHRASE_MAP.get(`${t} ${raw[i + 1]}`);
      if (phrase !== undefined) {
        tokens.push(phrase);
        i++;
        continue;
      }
    }
    tokens.push(WORD_MAP.get(t) ?? t);
  }
  if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();
  while (tokens.length > 1 && tokens[0] === 'and') tokens.shift();
  while (tokens.length > 1 && tokens[tokens.length - 1] === 'and') tokens.pop();

  return { name: tokens.join(' '), legalForm, tokens };
}

/**
 * The canonical legal form code for a legal form written on its own (e.g. a
 * separate "legal form" field of an ERP record), or `null` if unknown.
 *
 * @example
 * ```ts
 * legalFormCode('Ges.m.b.H.')                 // 'gmbh'
 * legalFormCode('GmbH & Co. KG')              // 'gmbh_co_kg'
 * legalFormCode('Sp. z o.o.')                 // 'sp_zoo'
 * legalFormCode('株式会社')                    // 'kk'
 * legalFormCode('Bakery')                     // null
 * ```
 */
export function legalFormCode(value: Raw): string | null {
  const text = toText(value);
  if (text === null) return null;
  const s = fold(text);
  const cjk = CJK_CODE.get(s.replace(/\s+/g, ''));
  if (cjk !== undefined) return cjk;
  const stripped = stripPunctuation(s.replace(AMPERSAND_RE, ' and ').replace(DOTTED_LETTERS_RE, joinLetters));
  if (stripped === '') return null;
  const tokens = stripped.split(' ');
  const q = matchSuffix(tokens, tokens.length, QUALIFIER_TRIE, 1);
  const end = tokens.length - (q ? q.length : 0);
  const m = matchSuffix(tokens, end, SUFFIX_TRIE, 0);
  return m && m.length === end ? m.code : null;
}
