// qcode serve page: documents, cases, codebook, chart, matrix, search, query and history views.
'use strict';

(function () {
  const {h, clear, api} = Q;
  Q.views = Q.views || {};

  const docLink = (doc, start, end) => '#/doc/' + encodeURIComponent(doc) + (start !== undefined ? '?at=' + start + '-' + end : '');
  const swatch = (code) => { const s = h('span', {class: 'swatch'}); s.style.backgroundColor = Q.codeColor(code); return s; };

  // ---- documents ---------------------------------------------------------------------------------
  const D = {docs: [], group: '', attr: '', value: ''};
  async function docsRender(root) {
    D.root = root;
    D.docs = await api('GET', '/api/documents');
    docsDraw();
  }
  function docsDraw() {
    const docs = D.docs || [];
    const groups = [...new Set(docs.map((d) => d.group).filter(Boolean))].sort();
    const attrs = [...new Set(docs.flatMap((d) => Object.keys(d.attributes || {})))].sort();
    const values = D.attr ? [...new Set(docs.map((d) => (d.attributes || {})[D.attr]).filter(Boolean))].sort() : [];
    const sel = (name, opts, cur, onch, label) => {
      const s = h('select', {'data-filter': name, 'aria-label': label, onchange: (e) => onch(e.target.value)},
        opts.map(([v, l]) => h('option', {value: v, selected: v === cur}, l)));
      return s;
    };
    const shown = docs.filter((d) => (!D.group || d.group === D.group) &&
      (!D.attr || !D.value || (d.attributes || {})[D.attr] === D.value));
    const tbody = h('tbody');
    for (const d of shown) {
      const bar = h('span', {class: 'bar-fill'});
      bar.style.width = Math.round((Number(d.coded) || 0) * 100) + '%';
      tbody.append(h('tr', {'data-doc-row': d.id},
        h('td', null, h('a', {href: docLink(d.id), 'data-doc-link': d.id}, d.id)),
        h('td', {class: 'title'}, d.title || ''),
        h('td', null, d.case || (d.cases || []).join(', ')),
        h('td', null, d.group || ''),
        h('td', {class: 'num'}, String(d.length ?? '')),
        h('td', {class: 'num'}, String(d.turns ?? '')),
        h('td', {class: 'num'}, String(d.codings ?? '')),
        h('td', {class: 'num coded'}, h('span', {class: 'bar-track'}, bar), ' ', Q.pct(d.coded))));
    }
    clear(D.root).append(h('section', {'data-view': 'docs', class: 'view'},
      h('div', {class: 'toolbar'}, h('h2', null, 'Documents'),
        h('label', null, 'Group ', sel('group', [['', 'all groups'], ...groups.map((g) => [g, g])], D.group,
          (v) => { D.group = v; docsDraw(); }, 'Group')),
        h('label', null, 'Attribute ', sel('attr', [['', '—'], ...attrs.map((a) => [a, a])], D.attr,
          (v) => { D.attr = v; D.value = ''; docsDraw(); }, 'Attribute')),
        D.attr ? h('label', null, '= ', sel('value', [['', 'any value'], ...values.map((a) => [a, a])], D.value,
          (v) => { D.value = v; docsDraw(); }, 'Value')) : null,
        h('span', {class: 'muted'}, shown.length + ' of ' + docs.length + ' documents')),
      h('table', {class: 'grid docs', 'data-docs-table': ''},
        h('thead', null, h('tr', null, ['document', 'title', 'case', 'group', 'length', 'turns', 'codings', 'coded'].map((x) => h('th', null, x)))),
        tbody)));
  }
  Q.views.docs = {render: docsRender, refresh: async () => { D.docs = await api('GET', '/api/documents', undefined, {quiet: true}); if (!D.root.contains(document.activeElement) || document.activeElement.tagName !== 'SELECT') docsDraw(); }};

  // ---- cases ------------------------------------------------------------------------------------
  const C = {data: null, extra: []};
  async function casesRender(root) {
    C.root = root;
    C.data = await api('GET', '/api/cases');
    casesDraw();
  }
  function casesDraw() {
    const data = C.data;
    const attrs = [...(data.attributes || [])];
    for (const a of C.extra) if (!attrs.includes(a)) attrs.push(a);
    const tbody = h('tbody');
    for (const c of data.cases || []) {
      const tr = h('tr', {'data-case-row': c.id}, h('th', {scope: 'row'}, c.id), h('td', null, c.label && c.label !== c.id ? c.label : ''));
      for (const a of attrs) {
        const input = h('input', {type: 'text', 'data-case': c.id, 'data-attr': a, 'aria-label': c.id + ' ' + a,
          value: (c.attributes || {})[a] ?? ''});
        input.addEventListener('change', async () => {
          input.classList.add('saving');
          try {
            await api('PATCH', '/api/cases/' + encodeURIComponent(c.id), {attributes: {[a]: input.value}});
            (c.attributes = c.attributes || {})[a] = input.value;
            input.classList.remove('saving');
            input.classList.add('saved');
            setTimeout(() => input.classList.remove('saved'), 1200);
            Q.pollSoon();
          } catch (e) { input.classList.remove('saving'); input.classList.add('failed'); }
        });
        tr.append(h('td', {class: a === data.group ? 'grouping' : ''}, input));
      }
      const memo = h('textarea', {rows: 1, 'data-case-memo': c.id, 'aria-label': 'Memo on case ' + c.id, value: c.memo || ''});
      memo.addEventListener('change', async () => {
        try {
          await api('PUT', '/api/memos/case/' + encodeURIComponent(c.id), {text: memo.value});
          c.memo = memo.value;
          memo.classList.add('saved');
          setTimeout(() => memo.classList.remove('saved'), 1200);
          Q.pollSoon();
        } catch (e) { /* shown */ }
      });
      tr.append(h('td', {class: 'memo-cell'}, memo));
      tbody.append(tr);
    }
    const newAttr = h('input', {type: 'text', placeholder: 'new attribute', 'data-new-attribute': '', 'aria-label': 'New attribute name'});
    clear(C.root).append(h('section', {'data-view': 'cases', class: 'view'},
      h('div', {class: 'toolbar'}, h('h2', null, 'Cases'),
        h('span', {class: 'muted'}, (data.cases || []).length + ' cases; grouping attribute: ' + (data.group || '—') + '. Edit a cell and leave it to save.'),
        h('form', {class: 'inline', onsubmit: (e) => { e.preventDefault(); const v = newAttr.value.trim(); if (v && !C.extra.includes(v)) { C.extra.push(v); casesDraw(); } }},
          newAttr, h('button', {type: 'submit'}, 'Add column'))),
      h('div', {class: 'scroll'}, h('table', {class: 'grid sheet', 'data-cases-table': ''},
        h('thead', null, h('tr', null, h('th', null, 'case'), h('th', null, 'label'),
          attrs.map((a) => h('th', {class: a === data.group ? 'grouping' : ''}, a)), h('th', null, 'memo'))),
        tbody))));
  }
  // A change elsewhere: update the cells in place (never the one being edited); redraw only
  // when the cases or the attributes themselves changed.
  Q.views.cases = {render: casesRender, refresh: async () => {
    const data = await api('GET', '/api/cases', undefined, {quiet: true});
    const shape = (d) => JSON.stringify([(d.cases || []).map((c) => c.id), d.attributes, d.group]);
    const same = C.data && shape(data) === shape(C.data) && C.root.querySelector('[data-cases-table]');
    C.data = data;
    if (!same) { casesDraw(); return; }
    const byId = new Map((data.cases || []).map((c) => [c.id, c]));
    for (const input of C.root.querySelectorAll('input[data-case]')) {
      const c = byId.get(input.getAttribute('data-case'));
      if (!c || input === document.activeElement) continue;
      const v = (c.attributes || {})[input.getAttribute('data-attr')] ?? '';
      if (input.value !== v) input.value = v;
    }
    for (const ta of C.root.querySelectorAll('textarea[data-case-memo]')) {
      const c = byId.get(ta.getAttribute('data-case-memo'));
      if (!c || ta === document.activeElement) continue;
      if (ta.value !== (c.memo || '')) ta.value = c.memo || '';
    }
  }};

  // ---- codebook ----------------------------------------------------------------------------------
  const B = {open: new Set()};
  async function codebookRender(root) {
    B.root = root;
    await Q.loadFramework();
    codebookDraw();
  }
  function codebookDraw() {
    const fw = Q.framework;
    const list = h('div', {class: 'codebook', 'data-codebook': ''});
    for (const c of fw.codes) {
      const row = h('div', {class: 'code-row depth-' + Math.min(c.depth || 0, 4), 'data-code-row': c.id});
      row.style.marginLeft = (1.4 * (c.depth || 0)) + 'em';
      const details = h('details', {open: B.open.has(c.id)},
        h('summary', null, swatch(c.id), ' ', h('strong', {class: 'code-label'}, c.label), ' ',
          h('code', null, c.id), ' ',
          h('span', {class: 'counts'}, (c.codings ?? 0) + ' codings · ' + (c.cases ?? 0) + ' cases')));
      details.addEventListener('toggle', () => { if (details.open) B.open.add(c.id); else B.open.delete(c.id); });
      for (const [k, l] of [['description', 'Description'], ['include', 'Include'], ['exclude', 'Exclude'], ['example', 'Example']])
        if (c[k]) details.append(h('div', {class: 'field'}, h('span', {class: 'field-name'}, l), h('span', {class: 'field-text'}, c[k])));
      const tools = h('div', {class: 'code-tools'});
      const form = h('div', {class: 'code-form', hidden: true});
      tools.append(
        h('button', {type: 'button', 'data-rename-code': c.id, onclick: () => renameForm(c, form)}, 'Rename…'),
        h('button', {type: 'button', 'data-add-under': c.id, onclick: () => addForm(c, form)}, 'Add code under…'));
      details.append(tools, form);
      row.append(details);
      list.append(row);
    }
    const rootForm = h('div', {class: 'code-form', hidden: true});
    clear(B.root).append(h('section', {'data-view': 'codebook', class: 'view'},
      h('div', {class: 'toolbar'}, h('h2', null, 'Codebook'), h('span', {class: 'muted'}, (fw.title || fw.id || '') + ' · ' + fw.codes.length + ' codes'),
        h('button', {type: 'button', 'data-add-theme': '', onclick: () => addForm(null, rootForm)}, 'Add theme…')),
      rootForm, list));
  }
  function field(label, attrs) {
    const input = h(attrs.rows ? 'textarea' : 'input', Object.assign({type: attrs.rows ? undefined : 'text'}, attrs));
    return [h('label', null, label, input), input];
  }
  function renameForm(c, form) {
    clear(form);
    const [l1, label] = field('Label ', {value: c.label, 'data-code-label-input': c.id});
    const local = c.id.includes('.') ? c.id.slice(c.id.lastIndexOf('.') + 1) : c.id;
    const prefix = c.id.slice(0, c.id.length - local.length);
    const [l2, id] = field('Id ' + prefix, {value: local, 'data-code-id-input': c.id, title: 'the local id: the part after the parent'});
    const [l3, desc] = field('Description ', {value: c.description || '', rows: 2});
    form.append(l1, l2, l3, h('button', {type: 'button', 'data-save-code': c.id, onclick: async () => {
      const body = {};
      if (label.value !== c.label) body.label = label.value;
      if (desc.value !== (c.description || '')) body.description = desc.value;
      let nid = id.value.trim();
      if (prefix && nid.startsWith(prefix)) nid = nid.slice(prefix.length);
      if (nid && nid !== local) body.id = nid;
      if (!Object.keys(body).length) { form.hidden = true; return; }
      try {
        await api('PATCH', '/api/codes/' + encodeURIComponent(c.id), body);
        Q.showNote('Code ' + c.id + ' changed');
        if (body.id) B.open.add(prefix + body.id);
        await Q.loadFramework();
        codebookDraw();
        Q.pollSoon();
      } catch (e) { /* shown */ }
    }}, 'Save'), ' ', h('button', {type: 'button', onclick: () => { form.hidden = true; }}, 'Cancel'));
    form.hidden = false;
    label.focus();
  }
  function addForm(parent, form) {
    clear(form);
    const [l1, id] = field('Id ' + (parent ? parent.id + '.' : ''), {value: '', 'data-new-code-id': '', placeholder: parent ? 'new_code' : 'theme_id',
      title: 'lowercase letters, digits, _ or -, starting with a letter'});
    const [l2, label] = field('Label ', {value: '', 'data-new-code-label': ''});
    const [l3, desc] = field('Description ', {value: '', rows: 2, 'data-new-code-description': ''});
    form.append(h('strong', null, parent ? 'New code under ' + parent.id : 'New theme'), l1, l2, l3,
      h('button', {type: 'button', 'data-create-code': '', onclick: async () => {
        let nid = id.value.trim();
        if (parent && nid.startsWith(parent.id + '.')) nid = nid.slice(parent.id.length + 1);
        const body = {parent: parent ? parent.id : '', id: nid, label: label.value.trim()};
        if (desc.value.trim()) body.description = desc.value.trim();
        try {
          await api('POST', '/api/codes', body);
          Q.showNote('Code ' + (parent ? parent.id + '.' : '') + body.id + ' added');
          if (parent) B.open.add(parent.id);
          await Q.loadFramework();
          codebookDraw();
          Q.pollSoon();
        } catch (e) { /* shown */ }
      }}, 'Add'), ' ', h('button', {type: 'button', onclick: () => { form.hidden = true; }}, 'Cancel'));
    form.hidden = false;
    id.focus();
  }
  Q.views.codebook = {render: codebookRender, refresh: () => {
    if (B.root.contains(document.activeElement) && /INPUT|TEXTAREA/.test(document.activeElement.tagName)) return;
    codebookDraw();
  }};

  // ---- chart -----------------------------------------------------------------------------------------
  // Summaries: state per cell key "case\u0000code": {base, dirty, saving, timer, conflict}
  const H = {theme: '', chart: null, sums: new Map(), st: new Map()};
  const key = (c, k) => c + '\u0000' + k;

  async function chartRender(root, params) {
    H.root = root;
    const themes = Q.framework.codes.filter((c) => Q.framework.hasChildren.has(c.id));
    if (H.theme !== params.theme) H.st = new Map();
    H.sig = '';
    H.theme = params.theme || (themes[0] && themes[0].id) || '';
    if (!params.theme && H.theme) { history.replaceState(null, '', '#/chart/' + encodeURIComponent(H.theme)); Q.current.params.theme = H.theme; }
    H.themes = themes;
    await chartLoad();
  }
  async function chartLoad(quiet) {
    if (!H.theme) { chartDraw(); return; }
    const [chart, sums] = await Promise.all([
      api('GET', '/api/chart' + Q.qs({theme: H.theme}), undefined, {quiet}),
      api('GET', '/api/summaries' + Q.qs({theme: H.theme}), undefined, {quiet}),
    ]);
    H.chart = Array.isArray(chart) ? chart[0] : chart;
    H.sums = new Map((Array.isArray(sums) ? sums : (sums && sums.summaries) || []).map((s) => [key(s.case, s.code), s]));
    for (const [k, s] of H.sums) {
      const st = H.st.get(k);
      if (!st) H.st.set(k, {base: s.base || ''});
      else if (!st.dirty && !st.conflict) st.base = s.base || '';
    }
    const sig = JSON.stringify(H.chart, (k, v) => (k === 'summary' || k === 'draft' ? undefined : v)) + '|' + H.theme;
    if (sig === H.sig && H.root.querySelector('[data-chart]')) { chartUpdateInPlace(); return; }
    H.sig = sig;
    chartDraw();
  }
  // Same evidence: update the summaries not being edited, keeping every element in place.
  function chartUpdateInPlace() {
    for (const ta of H.root.querySelectorAll('textarea[data-summary-case]')) {
      const k = key(ta.getAttribute('data-summary-case'), ta.getAttribute('data-summary-code'));
      const s = H.sums.get(k);
      const st = H.st.get(k) || {};
      if (!s || st.dirty || st.saving || st.conflict || document.activeElement === ta) continue;
      if (ta._known !== undefined && ta.value !== ta._known) continue; // typed since: never overwrite
      if (ta.value !== s.text) ta.value = s.text;
      ta._known = s.text;
      ta.classList.toggle('draft', !!s.draft);
      const meta = ta.parentNode.querySelector('[data-summary-meta]');
      if (meta) meta.textContent = (s.draft ? 'draft · ' : '') + (s.author || '') + (s.updated ? ' · ' + Q.fmtTime(s.updated) : '');
    }
  }
  function chartDraw() {
    // remember the textarea being typed in
    const act = document.activeElement;
    const focus = act && act.hasAttribute && act.hasAttribute('data-summary-case') && H.root.contains(act)
      ? {k: key(act.getAttribute('data-summary-case'), act.getAttribute('data-summary-code')), s: act.selectionStart, e: act.selectionEnd, top: window.scrollY}
      : null;
    const dirtyText = new Map();
    for (const ta of H.root.querySelectorAll('textarea[data-summary-case]')) {
      const k = key(ta.getAttribute('data-summary-case'), ta.getAttribute('data-summary-code'));
      const st = H.st.get(k);
      if (st && (st.dirty || st.conflict || st.saving)) dirtyText.set(k, ta.value);
    }
    const picker = h('select', {'data-theme-picker': '', 'aria-label': 'Theme', onchange: (e) => { location.hash = '#/chart/' + encodeURIComponent(e.target.value); }},
      H.themes.map((t) => h('option', {value: t.id, selected: t.id === H.theme}, t.label + ' (' + t.id + ')')));
    const section = h('section', {'data-view': 'chart', class: 'view'},
      h('div', {class: 'toolbar'}, h('h2', null, 'Chart'), picker,
        h('button', {type: 'button', 'data-draft': '', onclick: draftEmpty}, 'Draft empty cells'),
        h('span', {class: 'muted'}, 'Summaries save as you type.')));
    const c = H.chart;
    if (!c) { clear(H.root).append(section); return; }
    const cols = c.columns || [];
    const attrs = c.attributes || [];
    const table = h('table', {class: 'grid chart', 'data-chart': c.theme});
    table.append(h('thead', null, h('tr', null, h('th', null, c.rows === 'groups' ? 'group' : 'case'),
      attrs.map((a) => h('th', {class: 'attr'}, a)),
      cols.map((col) => h('th', {'data-chart-col': col.code}, col.label, h('br'), h('code', null, col.code))))));
    const tbody = h('tbody');
    for (const g of c.groups || []) {
      tbody.append(h('tr', {class: 'group-row'}, h('th', {colspan: 1 + attrs.length + cols.length}, (g.label || g.id) + ' (n=' + g.n + ')')));
      for (const r of g.rows || []) {
        const tr = h('tr', {'data-chart-row': r.id}, h('th', {scope: 'row'}, r.id, r.label && r.label !== r.id ? h('div', {class: 'muted'}, r.label) : null),
          attrs.map((a) => h('td', {class: 'attr'}, (r.attributes || {})[a] ?? '')));
        cols.forEach((col, i) => {
          const entries = (r.cells || [])[i] || [];
          const td = h('td', {class: 'cell', 'data-cell-case': r.id, 'data-cell-code': col.code});
          const list = entries.length ? entries : (c.rows === 'groups' ? [] : [{case: r.id, summary: '', passages: []}]);
          for (const e of list) td.append(chartEntry(e, col.code, c.rows === 'groups'));
          tr.append(td);
        });
        tbody.append(tr);
      }
    }
    table.append(tbody);
    section.append(h('div', {class: 'scroll'}, table));
    clear(H.root).append(section);
    for (const [k, v] of dirtyText) {
      const ta = findSummary(k);
      if (ta) ta.value = v;
    }
    if (focus) {
      const ta = findSummary(focus.k);
      if (ta) { ta.focus({preventScroll: true}); try { ta.setSelectionRange(focus.s, focus.e); } catch (e) { /* */ } window.scrollTo(window.scrollX, focus.top); }
    }
  }
  function findSummary(k) {
    for (const ta of H.root.querySelectorAll('textarea[data-summary-case]'))
      if (key(ta.getAttribute('data-summary-case'), ta.getAttribute('data-summary-code')) === k) return ta;
    return null;
  }
  function chartEntry(e, code, groupRows) {
    const k = key(e.case, code);
    const s = H.sums.get(k);
    const st = H.st.get(k) || {base: s ? s.base || '' : ''};
    H.st.set(k, st);
    const text = s ? s.text : (e.summary || '');
    const ta = h('textarea', {class: 'summary' + ((s ? s.draft : e.draft) ? ' draft' : ''), rows: 3,
      'data-summary-case': e.case, 'data-summary-code': code, 'aria-label': 'Summary for ' + e.case + ', ' + code,
      placeholder: 'Summary…', value: text});
    ta._known = text;
    const meta = h('div', {class: 'sum-meta', 'data-summary-meta': ''});
    const conflictBox = h('div', {class: 'conflict', hidden: true, 'data-conflict': ''});
    if (s && (s.author || s.updated)) meta.textContent = (s.draft ? 'draft · ' : '') + (s.author || '') + (s.updated ? ' · ' + Q.fmtTime(s.updated) : '');
    if (st.saving) meta.textContent = 'saving…';
    if (st.conflict) showConflict(ta, conflictBox, meta, k, st.conflict);
    const save = async () => {
      st.timer = null;
      if (st.saving) { st.again = true; return; }
      st.saving = true;
      const sent = ta.value;
      meta.textContent = 'saving…';
      try {
        const res = await api('PUT', '/api/summaries', {case: e.case, code, text: sent, base: st.base || ''}, {quietStatus: [409]});
        st.saving = false;
        const nb = res && (res.base || (res.summary && res.summary.base));
        if (nb) st.base = nb;
        else {
          const sums = await api('GET', '/api/summaries' + Q.qs({theme: H.theme}), undefined, {quiet: true});
          const cur = (sums || []).find((x) => x.case === e.case && x.code === code);
          st.base = cur ? cur.base || '' : '';
          if (cur) H.sums.set(k, cur);
        }
        const liveTa = findSummary(k) || ta;
        liveTa._known = sent;
        st.dirty = liveTa.value !== sent;
        const liveMeta = liveTa.parentNode.querySelector('[data-summary-meta]') || meta;
        liveMeta.textContent = 'saved ' + new Date().toLocaleTimeString() + ' · ' + (Q.coder() || '');
        if (st.again || st.dirty) { st.again = false; st.timer = setTimeout(() => (findSummary(k) || ta)._save(), 800); }
        Q.pollSoon();
      } catch (err) {
        st.saving = false;
        if (err.status === 409) {
          st.conflict = (err.body && err.body.current) || {text: '', author: '?'};
          const liveTa = findSummary(k) || ta;
          showConflict(liveTa, liveTa.parentNode.querySelector('[data-conflict]'), liveTa.parentNode.querySelector('[data-summary-meta]'), k, st.conflict);
        } else meta.textContent = 'not saved';
      }
    };
    ta._save = save;
    ta.addEventListener('input', () => {
      st.dirty = true;
      meta.textContent = 'editing…';
      clearTimeout(st.timer);
      if (!st.conflict) st.timer = setTimeout(() => (findSummary(k) || ta)._save(), 800);
    });
    const passages = h('ul', {class: 'evidence'});
    for (const p of e.passages || []) {
      passages.append(h('li', null,
        p.quote ? h('q', {class: 'quote'}, p.quote) : null, ' ',
        h('a', {href: docLink(p.doc, p.start, p.end), 'data-ref': p.doc + ':' + p.start + '-' + p.end, class: 'ref'}, p.reference || (p.doc + ' ' + p.start + '-' + p.end)),
        p.coder ? h('span', {class: 'muted'}, ' ' + p.coder) : null));
    }
    return h('div', {class: 'entry'}, groupRows ? h('div', {class: 'entry-case'}, e.case) : null, ta, meta, conflictBox,
      (e.passages || []).length ? passages : h('div', {class: 'muted none'}, 'no evidence'));
  }
  function showConflict(ta, box, meta, k, cur) {
    const st = H.st.get(k);
    clear(box);
    box.append(h('strong', null, (cur.author || 'Someone') + ' changed this summary' + (cur.updated ? ' (' + Q.fmtTime(cur.updated) + ')' : '') + ':'),
      h('blockquote', {class: 'theirs', 'data-theirs': ''}, cur.text || '(empty)'),
      h('div', null,
        h('button', {type: 'button', 'data-keep-mine': '', onclick: () => {
          st.conflict = null; st.base = cur.base || ''; box.hidden = true; ta._save();
        }}, 'Keep mine'), ' ',
        h('button', {type: 'button', 'data-take-theirs': '', onclick: () => {
          st.conflict = null; st.base = cur.base || ''; st.dirty = false; ta.value = cur.text || ''; ta._known = ta.value; box.hidden = true;
          if (meta) meta.textContent = (cur.author || '') + (cur.updated ? ' · ' + Q.fmtTime(cur.updated) : '');
        }}, 'Take theirs')));
    box.hidden = false;
    if (meta) meta.textContent = 'not saved: conflict';
  }
  async function draftEmpty() {
    try {
      const res = await api('POST', '/api/summaries/draft', {theme: H.theme});
      Q.showNote('Drafted ' + ((res && res.filled) ?? 0) + ' empty cells');
      await chartLoad(true);
      Q.pollSoon();
    } catch (e) { /* shown */ }
  }
  Q.views.chart = {render: chartRender, refresh: () => chartLoad(true)};

  // ---- matrix -----------------------------------------------------------------------------------------
  const M = {measure: 'cases', level: 'theme', by: '', coder: '', whereAttr: '', whereValue: '', attrs: null, values: {}, coders: [], data: null, open: null};
  const matrixWhere = () => (M.whereAttr && M.whereValue ? M.whereAttr + '=' + M.whereValue : '');
  async function matrixRender(root) {
    M.root = root;
    if (!M.attrs) {
      try {
        const cs = await api('GET', '/api/cases', undefined, {quiet: true});
        M.attrs = cs.attributes || [];
        M.group = cs.group;
        for (const c of cs.cases || []) for (const [k, v] of Object.entries(c.attributes || {})) (M.values[k] = M.values[k] || new Set()).add(v);
      } catch (e) { M.attrs = []; }
      try { const cs = await api('GET', '/api/coders', undefined, {quiet: true}); M.coders = (cs || []).map((c) => c.coder); } catch (e) { /* */ }
    }
    await matrixLoad();
  }
  async function matrixLoad(quiet) {
    M.data = await api('GET', '/api/matrix' + Q.qs({measure: M.measure, level: M.level, by: M.by, coder: M.coder, where: matrixWhere()}), undefined, {quiet});
    matrixDraw();
    if (M.open) openCell(M.open.code, M.open.col, M.open.label, true);
  }
  function matrixDraw() {
    const m = M.data;
    const sel = (name, opts, cur, set) => h('select', {'data-matrix': name, 'aria-label': name, onchange: (e) => { set(e.target.value); M.open = null; matrixLoad(); }},
      opts.map(([v, l]) => h('option', {value: v, selected: v === cur}, l)));
    const coderIn = h('input', {type: 'text', list: 'coder-list', 'data-matrix': 'coder', 'aria-label': 'coder', placeholder: 'all coders', value: M.coder, size: 10});
    coderIn.addEventListener('change', () => { M.coder = coderIn.value.trim(); M.open = null; matrixLoad(); });
    const fmt = (v) => m.measure === 'coverage' ? (Number(v) || 0).toFixed(1) + '%' : String(v);
    let max = 0;
    for (const r of m.rows || []) for (const v of r.cells || []) max = Math.max(max, Number(v) || 0);
    const table = h('table', {class: 'grid matrix', 'data-matrix-table': ''});
    table.append(h('thead', null, h('tr', null, h('th', null, m.level === 'code' ? 'code' : 'theme'),
      (m.columns || []).map((c) => h('th', {class: 'num'}, c.label || c.id, h('div', {class: 'muted'}, 'n=' + c.n))),
      h('th', {class: 'num'}, 'Total', h('div', {class: 'muted'}, 'n=' + m.n)))));
    const tbody = h('tbody');
    for (const r of m.rows || []) {
      const code = Q.framework.byId.get(r.code);
      const th = h('th', {scope: 'row', title: r.code}, swatch(r.code), ' ', r.label);
      th.style.paddingLeft = (0.4 + (m.level === 'code' ? 1 * Math.max(0, ((code && code.depth) || 1) - 1) : 0)) + 'em';
      const tr = h('tr', {'data-matrix-row': r.code}, th);
      (r.cells || []).forEach((v, i) => {
        const col = m.columns[i];
        const td = h('td', {class: 'num heat', 'data-matrix-cell': r.code + '|' + col.id, tabindex: 0, role: 'button',
          title: r.label + ' × ' + (col.label || col.id) + ': show passages'}, fmt(v));
        const a = max > 0 ? (Number(v) || 0) / max : 0;
        td.style.backgroundColor = 'rgba(40, 100, 180, ' + (0.06 + 0.6 * a).toFixed(3) + ')';
        if (a > 0.6) td.classList.add('dark');
        const open = () => openCell(r.code, col.id, r.label + ' × ' + (col.label || col.id));
        td.addEventListener('click', open);
        td.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
        tr.append(td);
      });
      tr.append(h('td', {class: 'num total'}, fmt(r.total)));
      tbody.append(tr);
    }
    if (m.total) tbody.append(h('tr', {class: 'total-row'}, h('th', null, 'Total'), (m.total.cells || []).map((v) => h('td', {class: 'num'}, fmt(v))), h('td', {class: 'num'}, fmt(m.total.total))));
    table.append(tbody);
    M.passages = h('div', {class: 'passages', 'data-passages': ''});
    clear(M.root).append(h('section', {'data-view': 'matrix', class: 'view'},
      h('div', {class: 'toolbar'}, h('h2', null, 'Matrix'),
        h('label', null, 'measure ', sel('measure', [['cases', 'cases'], ['segments', 'segments'], ['coverage', 'coverage (%)']], M.measure, (v) => { M.measure = v; })),
        h('label', null, 'level ', sel('level', [['theme', 'theme'], ['code', 'code']], M.level, (v) => { M.level = v; })),
        h('label', null, 'by ', sel('by', [['', 'group (default)'], ...M.attrs.filter((a) => a !== M.group).map((a) => [a, a])], M.by, (v) => { M.by = v; })),
        h('label', null, 'coder ', coderIn),
        h('label', null, 'only cases with ', sel('where-attr', [['', '(any attribute)'], ...M.attrs.map((a) => [a, a])], M.whereAttr, (v) => { M.whereAttr = v; M.whereValue = ''; }),
          ' = ', sel('where-value', [['', '(any value)'], ...[...(M.values[M.whereAttr] || [])].sort().map((v) => [v, v])], M.whereValue, (v) => { M.whereValue = v; })),
        h('datalist', {id: 'coder-list'}, M.coders.map((c) => h('option', {value: c})))),
      h('div', {class: 'scroll'}, table), M.passages));
  }
  async function openCell(code, col, label, quiet) {
    M.open = {code, col, label};
    const by = M.by || M.data.by || M.group || 'group';
    const res = await api('GET', '/api/passages' + Q.qs({code, group: col, by, coder: M.coder, where: matrixWhere()}), undefined, {quiet});
    const list = Array.isArray(res) ? res : (res && res.passages) || [];
    clear(M.passages).append(h('h3', null, 'Passages: ' + label + ' (' + list.length + ')'), passageList(list));
    if (!quiet) M.passages.scrollIntoView({block: 'nearest'});
  }
  function passageList(list) {
    const ul = h('ul', {class: 'passage-list'});
    for (const p of list) {
      ul.append(h('li', {'data-passage': p.doc + ':' + p.start + '-' + p.end},
        h('a', {href: docLink(p.doc, p.start, p.end), class: 'ref'}, p.reference || (p.doc + ' ' + p.start + '–' + p.end)),
        ' ', h('span', {class: 'muted'}, [p.case, p.code, p.coder].filter(Boolean).join(' · ')),
        h('div', {class: 'passage-text'}, p.text || '')));
    }
    if (!list.length) ul.append(h('li', {class: 'muted'}, 'No passages.'));
    return ul;
  }
  Q.views.matrix = {render: matrixRender, refresh: () => matrixLoad(true)};

  // ---- search ------------------------------------------------------------------------------------------
  const S = {q: '', regex: false, hits: [], ticked: new Set(), code: ''};
  function searchRender(root, params) {
    S.root = root;
    const q = params.query && params.query.get('q');
    if (q !== null && q !== undefined && q !== S.q) { S.q = q; S.hits = []; }
    searchDraw();
    if (S.q && !S.hits.length) runSearch();
  }
  async function runSearch() {
    const res = await api('GET', '/api/search' + Q.qs({q: S.q, regex: S.regex ? 1 : 0}));
    S.hits = Array.isArray(res) ? res : (res && (res.hits || res.results)) || [];
    S.note = res && !Array.isArray(res) && res.total > S.hits.length ? 'Showing ' + S.hits.length + ' of ' + res.total + ' hits.' : '';
    S.ticked = new Set();
    searchDraw();
  }
  function searchDraw() {
    const qIn = h('input', {type: 'search', 'data-search-input': '', 'aria-label': 'Search text', value: S.q, placeholder: 'word or phrase'});
    const rx = h('input', {type: 'checkbox', 'data-search-regex': '', checked: S.regex});
    const form = h('form', {class: 'inline', onsubmit: (e) => { e.preventDefault(); S.q = qIn.value; S.regex = rx.checked; if (S.q) runSearch(); }},
      qIn, h('label', null, rx, ' regex'), h('button', {type: 'submit'}, 'Search'));
    const codeSel = h('select', {'data-search-code': '', 'aria-label': 'Code for ticked hits', onchange: (e) => { S.code = e.target.value; }},
      h('option', {value: ''}, '— code —'),
      Q.framework.codes.map((c) => h('option', {value: c.id, selected: c.id === S.code}, '\u00a0'.repeat(2 * (c.depth || 0)) + c.label + ' (' + c.id + ')')));
    const count = h('span', {class: 'muted'});
    const upd = () => { count.textContent = S.ticked.size + ' of ' + S.hits.length + ' ticked'; };
    const list = h('ol', {class: 'hits', 'data-hits': ''});
    S.hits.forEach((x, i) => {
      const cb = h('input', {type: 'checkbox', 'data-hit': i, 'aria-label': 'Tick hit ' + (i + 1), checked: S.ticked.has(i)});
      cb.addEventListener('change', () => { if (cb.checked) S.ticked.add(i); else S.ticked.delete(i); upd(); });
      list.append(h('li', {class: 'hit'}, h('label', {class: 'hit-tick'}, cb),
        h('span', {class: 'kwic'}, h('span', {class: 'before'}, x.before || ''), h('mark', null, x.match || ''), h('span', {class: 'after'}, x.after || '')),
        h('a', {href: docLink(x.doc, x.start, x.end), class: 'ref'}, x.doc + ':' + x.line),
        h('span', {class: 'muted'}, ' ' + [x.speaker, x.case, x.group].filter(Boolean).join(' · '))));
    });
    upd();
    clear(S.root).append(h('section', {'data-view': 'search', class: 'view'},
      h('div', {class: 'toolbar'}, h('h2', null, 'Search'), form),
      h('div', {class: 'toolbar'}, codeSel, h('button', {type: 'button', 'data-code-hits': '', onclick: codeHits}, 'Code ticked hits'), count,
        h('button', {type: 'button', onclick: () => { S.hits.forEach((_, i) => S.ticked.add(i)); searchDraw(); }}, 'tick all'),
        h('button', {type: 'button', onclick: () => { S.ticked.clear(); searchDraw(); }}, 'tick none')),
      S.note ? h('p', {class: 'muted'}, S.note) : null,
      S.q && !S.hits.length ? h('p', {class: 'muted'}, 'No hits.') : list));
    if (!S.q) qIn.focus();
  }
  async function codeHits() {
    if (!S.code) { Q.showError('Choose a code for the ticked hits.'); return; }
    const hits = [...S.ticked].sort((a, b) => a - b).map((i) => S.hits[i]).map((x) => ({doc: x.doc, start: x.start, end: x.end, text: x.match}));
    if (!hits.length) { Q.showError('Tick the hits to code first (none is ticked).'); return; }
    try {
      await api('POST', '/api/search/code', {code: S.code, hits});
      Q.useCode(S.code);
      Q.showNote('Coded ' + hits.length + ' hits as ' + S.code);
      S.ticked.clear();
      searchDraw();
      Q.pollSoon();
    } catch (e) { /* shown */ }
  }
  Q.views.search = {render: searchRender, refresh: () => {}};

  // ---- query ---------------------------------------------------------------------------------------------
  // The box keeps its text across polls: a refresh redraws only the results and the saved list.
  const QY = {ran: '', result: null, error: null, saved: [], busy: 0};
  const EXCERPT = 300;
  function queryRender(root, params) {
    QY.root = root;
    const q = params.query && params.query.get('q');
    const box = h('input', {type: 'text', class: 'query-input', 'data-query-input': '', 'aria-label': 'Query expression',
      spellcheck: 'false', autocomplete: 'off', placeholder: 'e.g. barriers NEAR/1 choice AND group=customer', value: q || QY.ran});
    const name = h('input', {type: 'text', 'data-query-name': '', 'aria-label': 'Name of the saved query', placeholder: 'name', size: 16});
    const saveForm = h('form', {class: 'inline save-query', hidden: true, 'data-query-save-form': '',
      onsubmit: (e) => { e.preventDefault(); saveQuery(name.value.trim(), box.value); }},
    h('label', null, 'Save as ', name), h('button', {type: 'submit', 'data-query-save': ''}, 'Save'),
    h('button', {type: 'button', onclick: () => { saveForm.hidden = true; }}, 'Cancel'));
    QY.box = box;
    QY.saveForm = saveForm;
    QY.name = name;
    QY.errorBox = h('div', {class: 'query-error', 'data-query-error': '', role: 'alert', hidden: true});
    QY.out = h('div', {class: 'query-results', 'data-query-results': ''});
    QY.savedBox = h('div', {class: 'saved-queries'});
    clear(root).append(h('section', {'data-view': 'query', class: 'view'},
      h('div', {class: 'toolbar'}, h('h2', null, 'Query'),
        h('form', {class: 'inline query-form', onsubmit: (e) => { e.preventDefault(); runQuery(box.value); }},
          box, h('button', {type: 'submit', 'data-query-run': ''}, 'Run')),
        h('button', {type: 'button', 'data-query-save-as': '', onclick: () => {
          saveForm.hidden = false;
          name.focus();
        }}, 'Save as…'), saveForm,
        h('span', {class: 'muted', title: 'docs/queries.md describes the language'}, 'codes, =code, ATTR=VALUE, speaker=, coder=, doc=, text~"words"; AND OR NOT OVERLAPS WITHIN NEAR/n FOLLOWED BY/n ONLY')),
      QY.errorBox,
      h('div', {class: 'query-body'}, QY.out, h('aside', {class: 'query-side'}, h('h3', null, 'Saved queries'), QY.savedBox))));
    drawResult();
    loadSaved();
    if (q && q !== QY.ran) runQuery(q);
    else box.focus();
  }
  async function runQuery(expr, quiet) {
    expr = (expr || '').trim();
    if (!expr) return;
    const n = ++QY.busy;
    try {
      const res = await api('GET', '/api/query' + Q.qs({expr}), undefined, {quiet, quietStatus: [400]});
      if (n !== QY.busy) return;
      // A refresh that finds the same passages leaves the list (and what is being clicked) alone.
      if (quiet && expr === QY.ran && !QY.error && JSON.stringify(res) === JSON.stringify(QY.result)) return;
      QY.result = res;
      QY.error = null;
    } catch (e) {
      if (n !== QY.busy) return;
      if (e.status !== 400) return;
      QY.result = null;
      QY.error = {message: e.message, column: (e.body && e.body.column) || 0, expression: (e.body && e.body.expression) || expr};
    }
    QY.ran = expr;
    if (!quiet) history.replaceState(null, '', '#/query?' + new URLSearchParams({q: expr}).toString());
    drawResult();
  }
  // The message, then the expression with a caret under the bad column (both monospace).
  function drawError(box, err) {
    const before = Array.from(err.expression).slice(0, Math.max(0, err.column - 1));
    const pad = before.map((ch) => (ch === '\t' ? '\t' : ' ')).join('');
    clear(box).append(h('div', {class: 'query-error-message', 'data-query-error-message': ''}, err.message),
      h('pre', {class: 'query-caret', 'data-query-caret': ''}, err.expression + '\n' + pad + '^'));
    box.hidden = false;
  }
  function drawResult() {
    if (!QY.out) return;
    if (QY.error) drawError(QY.errorBox, QY.error);
    else QY.errorBox.hidden = true;
    clear(QY.out);
    const r = QY.result;
    if (!r || QY.error) return;
    const passages = r.passages || [];
    const docs = new Set(passages.map((p) => p.doc));
    const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);
    QY.out.append(h('h3', {'data-query-count': passages.length},
      plural(passages.length, 'passage', 'passages') + ' in ' + plural(docs.size, 'document', 'documents'), ' ',
      h('code', null, r.query || QY.ran)));
    QY.out.append(passageList(passages.map((p) => ({doc: p.doc, start: p.start, end: p.end, reference: p.reference,
      case: (p.cases || []).join(', '),
      text: Array.from(p.text || '').length > EXCERPT ? Array.from(p.text).slice(0, EXCERPT).join('') + '…' : p.text}))));
  }
  async function loadSaved(quiet) {
    let saved;
    try { saved = await api('GET', '/api/queries', undefined, {quiet}); } catch (e) { return; }
    if (QY.savedBox.firstChild && JSON.stringify(saved) === JSON.stringify(QY.saved)) return;
    QY.saved = saved;
    drawSaved();
  }
  function drawSaved() {
    const ul = h('ul', {class: 'saved-list', 'data-saved-queries': ''});
    for (const s of QY.saved || []) {
      ul.append(h('li', {'data-saved-query': s.name},
        h('button', {type: 'button', class: 'link', 'data-run-saved': s.name, title: 'Put it in the box and run it',
          onclick: () => { QY.box.value = s.expression; QY.name.value = s.name; runQuery(s.expression); }}, s.name),
        h('button', {type: 'button', class: 'delete', 'data-delete-saved': s.name, 'aria-label': 'Delete the saved query ' + s.name,
          title: 'Delete (Undo in History brings it back)', onclick: () => deleteQuery(s.name)}, '×'),
        h('code', {class: 'saved-expr'}, s.expression),
        h('div', {class: 'muted'}, [s.author, Q.fmtTime(s.updated)].filter(Boolean).join(' · '))));
    }
    if (!(QY.saved || []).length) ul.append(h('li', {class: 'muted'}, 'None yet: run a query, then "Save as…".'));
    clear(QY.savedBox).append(ul);
  }
  async function saveQuery(name, expr) {
    expr = expr.trim();
    if (!name) { Q.showError('Give the query a name (a letter, then letters, digits, _, - or .).'); QY.name.focus(); return; }
    if (!expr) { Q.showError('Write a query in the box first.'); return; }
    try {
      const res = await api('PUT', '/api/queries/' + encodeURIComponent(name), {expression: expr}, {quietStatus: [400]});
      Q.showNote((res && res.replaced ? 'Replaced' : 'Saved') + ' query ' + name);
      QY.saveForm.hidden = true;
      await loadSaved(true);
      Q.pollSoon();
    } catch (e) {
      if (e.status !== 400) return;
      if (e.body && e.body.column) {
        QY.error = {message: e.message, column: e.body.column, expression: e.body.expression || expr};
        QY.result = null;
        drawResult();
      } else Q.showError(e.message);
    }
  }
  async function deleteQuery(name) {
    try {
      await api('DELETE', '/api/queries/' + encodeURIComponent(name));
      Q.showNote('Deleted query ' + name + ' (Undo in History brings it back)');
      await loadSaved(true);
      Q.pollSoon();
    } catch (e) { /* shown */ }
  }
  Q.views.query = {render: queryRender, refresh: async () => {
    await loadSaved(true);
    if (QY.ran && !QY.error) await runQuery(QY.ran, true);
  }};

  // ---- history -----------------------------------------------------------------------------------------
  const L = {};
  async function logRender(root) {
    L.root = root;
    const res = await api('GET', '/api/log');
    const log = Array.isArray(res) ? res : (res && res.entries) || [];
    const tbody = h('tbody');
    for (const e of [...(log || [])].reverse())
      tbody.append(h('tr', {'data-log-id': e.id, class: e.undone ? 'undone' : ''},
        h('td', {class: 'num'}, String(e.id)), h('td', null, Q.fmtTime(e.time)), h('td', null, e.coder || ''),
        h('td', null, h('code', null, e.command || '')), h('td', null, e.summary || ''), h('td', null, e.undone ? 'undone' : '')));
    const act = (what) => async () => {
      try {
        await api('POST', '/api/' + what, {n: 1});
        Q.showNote(what === 'undo' ? 'Undone' : 'Redone');
        await logRender(root);
        Q.pollSoon();
      } catch (e) { /* shown */ }
    };
    clear(root).append(h('section', {'data-view': 'log', class: 'view'},
      h('div', {class: 'toolbar'}, h('h2', null, 'History'),
        h('button', {type: 'button', 'data-undo': '', onclick: act('undo')}, 'Undo'),
        h('button', {type: 'button', 'data-redo': '', onclick: act('redo')}, 'Redo'),
        h('span', {class: 'muted'}, (log || []).length + ' changes, newest first')),
      h('table', {class: 'grid log', 'data-log': ''}, h('thead', null, h('tr', null, ['#', 'time', 'coder', 'command', 'summary', ''].map((x) => h('th', null, x)))), tbody)));
  }
  Q.views.log = {render: logRender, refresh: () => logRender(L.root)};
})();
