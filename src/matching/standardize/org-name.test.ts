import { describe, it, expect } from 'vitest';
import { orgName, legalFormCode } from './org-name';

describe('orgName: legal forms', () => {
  // [written legal form, expected code]
  const forms: Array<[string, string]> = [
    // DE
    ['GmbH', 'gmbh'], ['G.m.b.H.', 'gmbh'], ['gmbh', 'gmbh'], ['G m b H', 'gmbh'],
    ['Gesellschaft mit beschränkter Haftung', 'gmbh'], ['mbH', 'gmbh'],
    ['AG', 'ag'], ['Aktiengesellschaft', 'ag'],
    ['KG', 'kg'], ['Kommanditgesellschaft', 'kg'],
    ['GmbH & Co. KG', 'gmbh_co_kg'], ['GmbH & Co KG', 'gmbh_co_kg'], ['GmbH u. Co. KG', 'gmbh_co_kg'],
    ['GmbH und Co. KG', 'gmbh_co_kg'], ['GmbH + Co. KG', 'gmbh_co_kg'], ['GMBH&CO.KG', 'gmbh_co_kg'],
    ['GmbH & Cie. KG', 'gmbh_co_kg'], ['AG & Co. KG', 'ag_co_kg'], ['SE & Co. KGaA', 'se_co_kgaa'],
    ['UG (haftungsbeschränkt) & Co. KG', 'ug_co_kg'],
    ['e.K.', 'ek'], ['e. K.', 'ek'], ['eK', 'ek'], ['e.Kfm.', 'ek'], ['e. Kfr.', 'ek'],
    ['UG (haftungsbeschränkt)', 'ug'], ['UG (haftungsbeschraenkt)', 'ug'], ['UG haftungsbeschrankt', 'ug'], ['UG', 'ug'],
    ['OHG', 'ohg'], ['oHG', 'ohg'], ['KGaA', 'kgaa'], ['SE', 'se'], ['GbR', 'gbr'], ['e.V.', 'ev'], ['eG', 'eg'],
    ['gGmbH', 'ggmbh'],
    // AT / CH
    ['Ges.m.b.H.', 'gmbh'], ['GesmbH', 'gmbh'], ['Ges. m. b. H.', 'gmbh'], ['Gesellschaft m.b.H.', 'gmbh'],
    ['Sàrl', 'sarl'], ['Sarl', 'sarl'], ['S.à r.l.', 'sarl'],
    // US
    ['Inc.', 'inc'], ['Inc', 'inc'], ['INC', 'inc'], ['Incorporated', 'inc'],
    ['Corp.', 'corp'], ['Corporation', 'corp'],
    ['LLC', 'llc'], ['L.L.C.', 'llc'], ['llc', 'llc'], ['Limited Liability Company', 'llc'],
    ['Co.', 'co'], ['Company', 'co'],
    ['LP', 'lp'], ['L.P.', 'lp'], ['LLP', 'llp'], ['L.L.P.', 'llp'], ['PLLC', 'pllc'], ['P.C.', 'pc'],
    // GB
    ['Ltd', 'ltd'], ['Ltd.', 'ltd'], ['LTD', 'ltd'], ['Limited', 'ltd'],
    ['PLC', 'plc'], ['plc', 'plc'], ['P.L.C.', 'plc'], ['Public Limited Company', 'plc'],
    // FR
    ['SA', 'sa'], ['S.A.', 'sa'], ['SAS', 'sas'], ['S.A.S.', 'sas'], ['SASU', 'sasu'], ['SARL', 'sarl'],
    ['S.A.R.L.', 'sarl'], ['EURL', 'eurl'], ['SNC', 'snc'], ['Société Anonyme', 'sa'],
    // IT
    ['S.p.A.', 'spa'], ['SpA', 'spa'], ['S.P.A.', 'spa'], ['S.r.l.', 'srl'], ['Srl', 'srl'], ['SRL', 'srl'],
    ['S.a.s.', 'sas'], ['S.n.c.', 'snc'], ['S.r.l.s.', 'srls'],
    // NL / BE
    ['B.V.', 'bv'], ['BV', 'bv'], ['b.v.', 'bv'], ['N.V.', 'nv'], ['NV', 'nv'], ['V.O.F.', 'vof'], ['VOF', 'vof'],
    ['C.V.', 'cv'], ['BVBA', 'bvba'], ['Besloten Vennootschap', 'bv'],
    // PL
    ['Sp. z o.o.', 'sp_zoo'], ['sp. z o. o.', 'sp_zoo'], ['Sp.z o.o.', 'sp_zoo'], ['Sp.z.o.o.', 'sp_zoo'],
    ['SP ZOO', 'sp_zoo'], ['Spółka z ograniczoną odpowiedzialnością', 'sp_zoo'],
    ['Spolka z ograniczona odpowiedzialnoscia', 'sp_zoo'], ['sp.j.', 'spj'], ['Sp. j.', 'spj'],
    ['Spółka Jawna', 'spj'], ['sp.k.', 'spk'], ['Spółka Akcyjna', 'sa'],
    // ES
    ['S.L.', 'sl'], ['SL', 'sl'], ['S.L.U.', 'slu'], ['SLU', 'slu'], ['S.A.U.', 'sau'], ['Sociedad Anónima', 'sa'],
    // Nordics
    ['AB', 'ab'], ['AB (publ)', 'ab'], ['Aktiebolag', 'ab'], ['ASA', 'asa'], ['AS', 'as'], ['A/S', 'as'],
    ['A.S.', 'as'], ['ApS', 'aps'], ['Oy', 'oy'], ['OY', 'oy'], ['Oyj', 'oyj'], ['Osakeyhtiö', 'oy'],
    // JP (romanized)
    ['K.K.', 'kk'], ['KK', 'kk'], ['Kabushiki Kaisha', 'kk'], ['Kabushiki Gaisha', 'kk'],
    ['G.K.', 'gk'], ['Godo Kaisha', 'gk'], ['Y.K.', 'yk'], ['Yugen Kaisha', 'yk'],
    // JP / CN "Co., Ltd."
    ['Co., Ltd.', 'ltd'], ['Co.,Ltd.', 'ltd'], ['CO LTD', 'ltd'], ['Co. Ltd', 'ltd'], ['Company Limited', 'ltd'],
    // Elsewhere
    ['Pty Ltd', 'pty_ltd'], ['Pty. Ltd.', 'pty_ltd'], ['(Pty) Ltd', 'pty_ltd'], ['Pvt. Ltd.', 'pvt_ltd'],
    ['Private Limited', 'pvt_ltd'], ['Pte. Ltd.', 'pte_ltd'], ['Sdn. Bhd.', 'sdn_bhd'], ['Ltda.', 'ltda'],
    ['S.A. de C.V.', 'sa_de_cv'], ['s.r.o.', 'sro'], ['spol. s r.o.', 'sro'], ['Kft.', 'kft'], ['Zrt.', 'zrt'],
    ['d.o.o.', 'doo'], ['A.Ş.', 'as'], ['Ltd. Şti.', 'ltd_sti'], ['OÜ', 'ou'], ['UAB', 'uab'], ['SIA', 'sia'],
  ];

  it.each(forms)('"Nordwind Antriebe %s" -> %s', (form, code) => {
    const r = orgName(`Nordwind Antriebe ${form}`);
    expect(r).toEqual({ name: 'nordwind antriebe', legalForm: code, tokens: ['nordwind', 'antriebe'] });
  });

  it.each(forms)('legalFormCode(%s) -> %s', (form, code) => {
    expect(legalFormCode(form)).toBe(code);
  });

  it('recognizes the comma before the legal form and dangling punctuation', () => {
    expect(orgName('Acme, Inc.')).toEqual({ name: 'acme', legalForm: 'inc', tokens: ['acme'] });
    expect(orgName('  "Acme Corp."  -')).toEqual({ name: 'acme', legalForm: 'corp', tokens: ['acme'] });
    expect(orgName('(Acme Ltd.)')?.name).toBe('acme');
    expect(orgName('Acme GmbH,')?.legalForm).toBe('gmbh');
  });

  it('handles CJK legal forms as prefix and suffix', () => {
    expect(orgName('株式会社日立製作所')).toEqual({ name: '日立製作所', legalForm: 'kk', tokens: ['日立製作所'] });
    expect(orgName('トヨタ自動車株式会社')).toEqual({ name: 'トヨタ自動車', legalForm: 'kk', tokens: ['トヨタ自動車'] });
    expect(orgName('株式会社 デンソー')?.name).toBe('デンソー');
    expect(orgName('㈱日立')).toMatchObject({ name: '日立', legalForm: 'kk' });
    expect(orgName('（株）日立')).toMatchObject({ name: '日立', legalForm: 'kk' });
    expect(orgName('合同会社ABC')).toMatchObject({ name: 'abc', legalForm: 'gk' });
    expect(orgName('有限会社 山田製作所')).toMatchObject({ name: '山田製作所', legalForm: 'yk' });
    expect(orgName('华为技术有限公司')).toMatchObject({ name: '华为技术', legalForm: 'ltd' });
    expect(orgName('中国石油天然气股份有限公司')).toMatchObject({ name: '中国石油天然气', legalForm: 'ltd' });
    expect(orgName('삼성전자 주식회사')).toMatchObject({ name: '삼성전자', legalForm: 'jsc' });
    // The voiced kana survive folding unchanged.
    expect(orgName('株式会社ブリヂストン')?.name).toBe('ブリヂストン');
  });

  it('handles legal forms written in front of the name', () => {
    expect(orgName('Kabushiki Kaisha Toshiba')).toMatchObject({ name: 'toshiba', legalForm: 'kk' });
    expect(orgName('PT Astra International Tbk')).toMatchObject({ name: 'astra international', legalForm: 'pt' });
    expect(orgName('OOO Romashka')).toMatchObject({ name: 'romashka', legalForm: 'ooo' });
    expect(orgName('ООО «Ромашка»')).toMatchObject({ name: 'ромашка', legalForm: 'ooo' });
    expect(orgName('UAB Baltic Steel')).toMatchObject({ name: 'baltic steel', legalForm: 'uab' });
  });

  it('drops status qualifiers and a left-over "& Co"', () => {
    expect(orgName('Volvo AB (publ)')).toMatchObject({ name: 'volvo', legalForm: 'ab' });
    expect(orgName('Alt-Bau GmbH i.L.')).toMatchObject({ name: 'alt bau', legalForm: 'gmbh' });
    expect(orgName('Alt-Bau GmbH in Liquidation')).toMatchObject({ name: 'alt bau', legalForm: 'gmbh' });
    expect(orgName('Neu GmbH i.G.')).toMatchObject({ name: 'neu', legalForm: 'gmbh' });
    expect(orgName('Smith & Co., Inc.')).toMatchObject({ name: 'smith', legalForm: 'inc' });
    expect(orgName('Smith & Co.')).toMatchObject({ name: 'smith', legalForm: 'co' });
  });

  it('strips the "Fa."/"Firma" prefix and a leading "The"', () => {
    expect(orgName('Fa. Hans Müller e.K.')).toMatchObject({ name: 'hans mueller', legalForm: 'ek' });
    expect(orgName('Firma Schmidt')).toMatchObject({ name: 'schmidt', legalForm: null });
    expect(orgName('The Boeing Company')).toMatchObject({ name: 'boeing', legalForm: 'co' });
    expect(orgName('The Home Depot, Inc.')).toMatchObject({ name: 'home depot', legalForm: 'inc' });
  });

  it('keeps a legal form that is the whole name', () => {
    expect(orgName('GmbH')).toEqual({ name: 'gmbh', legalForm: null, tokens: ['gmbh'] });
    expect(orgName('Company')).toEqual({ name: 'company', legalForm: null, tokens: ['company'] });
  });

  it('only strips legal forms at the edges, not inside the name', () => {
    expect(orgName('AG Elektro Handel KG')).toMatchObject({ name: 'ag elektro handel', legalForm: 'kg' });
    expect(orgName('Spa Resort Hotels')).toMatchObject({ name: 'spa resort hotels', legalForm: null });
  });
});

describe('orgName: name normalization', () => {
  it('makes Müller / Mueller / MUELLER spellings identical', () => {
    const a = orgName('Müller Maschinenbau GmbH & Co. KG');
    const b = orgName('MUELLER MASCH.-BAU GMBH U. CO. KG');
    const c = orgName('mueller maschinenbau gmbh & co kg');
    expect(a).toEqual({ name: 'mueller maschinenbau', legalForm: 'gmbh_co_kg', tokens: ['mueller', 'maschinenbau'] });
    expect(b).toEqual(a);
    expect(c).toEqual(a);
  });

  const words: Array<[string, string]> = [
    ['Schulz Masch. Bau', 'schulz maschinenbau'],
    ['Schulz Maschinen-Bau', 'schulz maschinenbau'],
    ['Schulz Masch.-Fabrik', 'schulz maschinenfabrik'],
    ['Acme Industries', 'acme industries'],
    ['Acme Ind.', 'acme industries'],
    ['Acme Industrie', 'acme industries'],
    ['Acme Industry', 'acme industries'],
    ['Acme International', 'acme international'],
    ['Acme Intl', 'acme international'],
    ["Acme Int'l", 'acme international'],
    ['Acme Int’l', 'acme international'],
    ['Acme Manufacturing', 'acme manufacturing'],
    ['Acme Mfg.', 'acme manufacturing'],
    ['Acme Technologies', 'acme technologies'],
    ['Acme Technology', 'acme technologies'],
    ['Acme Tech', 'acme technologies'],
    ['Acme Engineering', 'acme engineering'],
    ['Acme Eng.', 'acme engineering'],
    ['Acme Engg', 'acme engineering'],
    ['Acme Systems', 'acme systems'],
    ['Acme Sys.', 'acme systems'],
    ['Acme Services', 'acme services'],
    ['Acme Svcs', 'acme services'],
    ['Acme Corporation Europe', 'acme corporation europe'],
    ['Acme Corp. Europe', 'acme corporation europe'],
    ['Acme Company Europe', 'acme company europe'],
    ['Acme Co. Europe', 'acme company europe'],
    ['Acme Brothers', 'acme brothers'],
    ['Acme Bros.', 'acme brothers'],
    ['Acme Associates', 'acme associates'],
    ['Acme Assoc.', 'acme associates'],
    ['Acme Electric', 'acme electric'],
    ['Acme Elec.', 'acme electric'],
    ['Acme Holding', 'acme holding'],
    ['Acme Holdings', 'acme holding'],
    ['Acme Group', 'acme group'],
    ['Acme Grp', 'acme group'],
    ['Meyer & Söhne', 'meyer and soehne'],
    ['Meyer and Söhne', 'meyer and soehne'],
    ['Meyer und Söhne', 'meyer and soehne'],
    ['Meyer et Fils', 'meyer and fils'],
    ['Meyer + Partner', 'meyer and partner'],
    ['Bau Gesellschaft Nord', 'bau gesellschaft nord'],
    ['Bau Ges. Nord', 'bau gesellschaft nord'],
    ['Stahl Werke Nord', 'stahl werk nord'],
    ['Stahl Werk Nord', 'stahl werk nord'],
    ['Möbel Fabrik Nord', 'moebel fabrik nord'],
    ['Möbel Fab. Nord', 'moebel fabrik nord'],
    ['Stahl Handel Nord', 'stahl handel nord'],
    ['Stahl Hdl. Nord', 'stahl handel nord'],
    ['Stahl Vertrieb Nord', 'stahl vertrieb nord'],
    ['Stahl Vertr. Nord', 'stahl vertrieb nord'],
    ['Gebr. Heller', 'gebrueder heller'],
    ['Gebrüder Heller', 'gebrueder heller'],
  ];
  it.each(words)('%s -> %s', (input, expected) => {
    expect(orgName(input)?.name).toBe(expected);
  });

  it('folds diacritics and full-width characters', () => {
    expect(orgName('Société Générale S.A.')).toMatchObject({ name: 'societe generale', legalForm: 'sa' });
    expect(orgName('Łódź Łożyska Sp. z o.o.')).toMatchObject({ name: 'lodz lozyska', legalForm: 'sp_zoo' });
    expect(orgName('ＡＣＭＥ　Ｉｎｃ．')).toMatchObject({ name: 'acme', legalForm: 'inc' });
    expect(orgName('Straßenbau Nord GmbH')?.name).toBe('strassenbau nord');
  });

  it('joins dotted initials so they compare with undotted ones', () => {
    expect(orgName('A.B.C. Logistik GmbH')?.name).toBe('abc logistik');
    expect(orgName('ABC Logistik GmbH')?.name).toBe('abc logistik');
    expect(orgName('3M Deutschland GmbH')?.name).toBe('3m deutschland');
  });

  it('returns null for empty and garbage input', () => {
    expect(orgName(null)).toBeNull();
    expect(orgName(undefined)).toBeNull();
    expect(orgName('')).toBeNull();
    expect(orgName('   ')).toBeNull();
    expect(orgName('---')).toBeNull();
    expect(orgName('&')).toEqual({ name: 'and', legalForm: null, tokens: ['and'] });
  });

  it('legalFormCode rejects things that are not (only) a legal form', () => {
    expect(legalFormCode('Bakery')).toBeNull();
    expect(legalFormCode('Acme GmbH')).toBeNull();
    expect(legalFormCode('')).toBeNull();
    expect(legalFormCode(null)).toBeNull();
    expect(legalFormCode('株式会社')).toBe('kk');
    expect(legalFormCode('有限公司')).toBe('ltd');
  });
});
