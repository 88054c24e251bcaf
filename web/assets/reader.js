// qcode serve page: the reader (one document, its codings, coding by selection).
'use strict';

(function () {
  const {h, clear, api} = Q;
  Q.views = Q.views || {};

  const R = {doc: null, el: null, page: null, map: null, side: null, panel: null, memo: null,
    pending: null, dragging: false, sig: '', memoDirty: false, panelIds: null, at: null};

  // ---- rendering -----------------------------------------------------------------------------
  function render(root, params) {
    R.root = root;
    R.id = params.id;
    R.at = params.at || null;
    // #/doc/ID?compare=A,B: the comparison view of two coders (issue 13).
    const cmp = params.query && params.query.get('compare');
    R.compare = cmp ? cmp.split(',').filter(Boolean).slice(0, 2) : null;
    R.sig = '';
    R.panelIds = null;
    R.memoDirty = false;
    R.nav = null;
    R.navLoaded = false;
    return load(true);
  }

  async function load(first) {
    const doc = await api('GET', '/api/documents/' + encodeURIComponent(R.id));
    if (Q.current.view !== 'reader' || Q.current.params.id !== R.id) return;
    const sig = JSON.stringify([doc.text, doc.codings, doc.memo, doc.turns, doc.title, doc.case]);
    if (!first && sig === R.sig) return;
    R.sig = sig;
    R.doc = doc;
    if (first) build();
    else update();
  }

  function build() {
    const doc = R.doc;
    const root = clear(R.root);
    R.head = h('div', {class: 'reader-head'});
    R.page = h('div', {class: 'doc-page', 'data-doc-page': doc.id});
    R.el = h('div', {class: 'doc-text', 'data-text-of': doc.id, lang: 'en', tabindex: 0,
      'aria-label': 'Transcript text: arrow keys move, Shift with arrows selects, Enter codes the selection'});
    R.gutter = h('div', {class: 'gutter', 'aria-hidden': 'false'});
    R.stripes = h('div', {class: 'stripes'});
    R.page.append(R.gutter, R.el, R.stripes);
    R.memo = h('textarea', {class: 'memo', 'data-doc-memo': doc.id, rows: 6,
      'aria-label': 'Document memo', placeholder: 'Memo on this document…'});
    R.memoStatus = h('span', {class: 'status'});
    const saveMemo = Q.debounce(() => putMemo(), 800);
    R.memo.addEventListener('input', () => { R.memoDirty = true; R.memoStatus.textContent = 'editing…'; saveMemo(); });
    R.memo.addEventListener('blur', () => { if (R.memoDirty) { saveMemo.cancel(); putMemo(); } });
    R.panel = h('div', {class: 'coding-panel', 'data-coding-panel': '', hidden: true});
    R.panel.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && ev.target.tagName !== 'TEXTAREA') { R.panel.hidden = true; R.panelIds = null; }
    });
    R.legend = h('div', {class: 'legend'});
    R.compareBox = h('div', {class: 'compare', 'data-compare': ''});
    R.side = h('aside', {class: 'reader-side'}, R.compareBox,
      h('h3', null, 'Document memo'), R.memo, h('div', {class: 'memo-foot'}, R.memoStatus),
      R.panel,
      h('h3', null, 'Codes in this document'), R.legend,
      h('p', {class: 'hint'}, 'Select text to code it (a code picker opens); with the keyboard, focus the text (Tab), select with Shift and the arrow keys (Ctrl for words) and press Enter. Click a highlight to see, recode or uncode it. Click a speaker to select the turn.'));
    root.append(h('section', {'data-view': 'reader', class: 'view reader'}, R.head,
      h('div', {class: 'reader-body'}, R.page, R.side)));
    R.el.addEventListener('mousedown', () => { R.dragging = true; R.keyboard = false; });
    R.el.addEventListener('keydown', onTextKey);
    R.el.addEventListener('click', onTextClick);
    update();
    compareLoad();
  }

  // ---- comparing two coders ---------------------------------------------------------------------
  // The coders' stripes side by side (one block per coder) and, beside the text, the passages
  // where they differ (GET /api/disagreements), each opening its place in the text.
  async function compareLoad() {
    const box = clear(R.compareBox);
    const coders = (await api('GET', '/api/coders', undefined, {quiet: true}).catch(() => [])) || [];
    const names = coders.map((c) => c.coder);
    const pick = (i) => h('select', {'data-compare-coder': i, 'aria-label': 'coder ' + (i + 1),
      onchange: () => {
        const a = box.querySelector('[data-compare-coder="0"]').value;
        const b = box.querySelector('[data-compare-coder="1"]').value;
        location.hash = '#/doc/' + encodeURIComponent(R.id) + (a && b && a !== b ? '?compare=' + encodeURIComponent(a + ',' + b) : '');
      }},
      h('option', {value: ''}, '(coder)'),
      names.map((n) => h('option', {value: n, selected: R.compare && R.compare[i] === n}, n)));
    box.append(h('h3', null, 'Compare two coders'), h('div', {class: 'compare-pick'}, pick(0), ' and ', pick(1)));
    if (!R.compare || R.compare.length < 2) return;
    box.append(h('p', {class: 'muted'}, 'Stripes: ' + R.compare[0] + ' on the left, ' + R.compare[1] + ' on the right.'));
    let list;
    try {
      list = await api('GET', '/api/disagreements' + Q.qs({coders: R.compare.join(','), doc: R.id, unit: 'char'}));
    } catch (e) { return; }
    const ul = h('ul', {class: 'disagreements', 'data-disagreements': ''});
    for (const d of list || []) {
      const who = Object.entries(d.applied || {}).map(([c, codes]) => c + ': ' + (codes.length ? codes.join(', ') : '–')).join('; ');
      ul.append(h('li', {'data-disagreement': d.start + '-' + d.end},
        h('a', {href: '#/doc/' + encodeURIComponent(R.id) + '?compare=' + encodeURIComponent(R.compare.join(',')) + '&at=' + d.start + '-' + d.end,
          onclick: (ev) => { ev.preventDefault(); flash(d.start, d.end); }}, d.reference),
        ' ', h('span', {class: 'code-id'}, d.code), h('div', {class: 'muted'}, who)));
    }
    box.append(h('p', null, (list || []).length + ' passages where they differ'), ul);
  }

  function update() {
    const doc = R.doc;
    // header
    clear(R.head).append(
      h('h2', null, doc.title || doc.id),
      h('span', {class: 'meta'}, h('code', null, doc.id),
        doc.case ? ' · case ' : '', doc.case ? h('strong', null, doc.case) : '',
        ' · ', String((doc.codings || []).length), ' codings'),
      R.nav || (R.nav = h('span', {class: 'doc-nav'})),
      h('a', {href: '#/docs', class: 'back'}, '← all documents'));
    if (!R.navLoaded) { R.navLoaded = true; fillNav(); }
    // memo
    if (document.activeElement !== R.memo && !R.memoDirty) R.memo.value = doc.memo || '';
    // text: keep the user's selection across the re-render
    const keep = (!Q.picker && R.el.textContent === doc.text) ? selectionOffsets() : null;
    renderText();
    if (keep) selectRange(keep.start, keep.end);
    if (Q.picker && R.pending) setPendingHighlight(R.pending);
    renderLegend();
    if (R.panelIds) openPanel(R.panelIds.filter((id) => findCoding(id)), null, true);
    requestAnimationFrame(() => {
      layoutGutter();
      if (R.at) { flash(R.at.start, R.at.end); R.at = null; }
    });
  }

  // previous / next document and a jump list
  async function fillNav() {
    let docs = [];
    try { docs = await api('GET', '/api/documents', undefined, {quiet: true}); } catch (e) { return; }
    if (!R.nav || !Array.isArray(docs)) return;
    const i = docs.findIndex((d) => d.id === R.id);
    const link = (d, label, rel) => d ? h('a', {href: '#/doc/' + encodeURIComponent(d.id), rel, 'data-doc-nav': rel, title: d.title || d.id}, label) : null;
    const jump = h('select', {'aria-label': 'Go to document', 'data-doc-jump': '', onchange: (e) => { location.hash = '#/doc/' + encodeURIComponent(e.target.value); }},
      docs.map((d) => h('option', {value: d.id, selected: d.id === R.id}, d.id + (d.title ? ' — ' + d.title : ''))));
    Q.append(clear(R.nav), [link(docs[i - 1], '← ' + (docs[i - 1] ? docs[i - 1].id : ''), 'prev'), ' ', jump, ' ', link(docs[i + 1], (docs[i + 1] ? docs[i + 1].id : '') + ' →', 'next')]);
  }

  function validCoding(c, n) {
    return Number.isInteger(c.start) && Number.isInteger(c.end) && c.start >= 0 && c.end <= n && c.start < c.end;
  }

  function renderText() {
    const doc = R.doc;
    const text = doc.text || '';
    R.map = Q.cpToU16(text);
    const ncp = R.map.length - 1;
    const cods = (doc.codings || []).filter((c) => validCoding(c, ncp))
      .map((c) => ({c, s: R.map[c.start], e: R.map[c.end]}))
      .sort((a, b) => a.s - b.s || b.e - a.e || String(a.c.id).localeCompare(String(b.c.id)));
    const pts = new Set([0, text.length]);
    for (const x of cods) { pts.add(x.s); pts.add(x.e); }
    const cuts = [...pts].sort((a, b) => a - b);
    const frag = document.createDocumentFragment();
    for (let i = 0; i + 1 < cuts.length; i++) {
      const a = cuts[i], b = cuts[i + 1];
      if (a === b) continue;
      const piece = document.createTextNode(text.slice(a, b));
      const active = cods.filter((x) => x.s <= a && x.e >= b);
      let node = piece;
      for (let k = active.length - 1; k >= 0; k--) {
        const span = highlightSpan(active[k].c);
        span.appendChild(node);
        node = span;
      }
      frag.appendChild(node);
    }
    clear(R.el).appendChild(frag);
  }

  function codingTitle(c) {
    let t = Q.codeLabel(c.code) + ' (' + c.code + ') — ' + (c.coder || '?');
    if (c.memo) t += '\nmemo: ' + c.memo;
    if (c.review) t += '\nreview: ' + c.review;
    return t;
  }

  function highlightSpan(c) {
    const span = document.createElement('span');
    span.className = 'hl' + (c.review ? ' review' : '');
    span.setAttribute('data-coding-id', c.id);
    span.setAttribute('data-code', c.code);
    span.setAttribute('title', codingTitle(c));
    const col = Q.codeColor(c.code);
    span.style.backgroundColor = Q.hexToRgba(col, 0.22);
    span.style.setProperty('--hl', col);
    return span;
  }

  function renderLegend() {
    const counts = new Map();
    for (const c of R.doc.codings || []) counts.set(c.code, (counts.get(c.code) || 0) + 1);
    clear(R.legend);
    if (!counts.size) { R.legend.append(h('p', {class: 'muted'}, 'No codings yet.')); return; }
    const ul = h('ul', {class: 'legend-list'});
    const order = Q.framework ? Q.framework.codes.map((c) => c.id) : [];
    const ids = [...counts.keys()].sort((a, b) => {
      const ia = order.indexOf(a), ib = order.indexOf(b);
      return (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
    });
    for (const id of ids) {
      const sw = h('span', {class: 'swatch'});
      sw.style.backgroundColor = Q.codeColor(id);
      ul.append(h('li', {title: id}, sw, ' ', Q.codeLabel(id), ' ', h('span', {class: 'muted'}, '×' + counts.get(id))));
    }
    R.legend.append(ul);
  }

  // Line numbers, speaker chips and the coding stripes, placed beside the text.
  function layoutGutter() {
    if (!R.el || !R.el.isConnected) return;
    const doc = R.doc;
    const text = doc.text || '';
    const base = R.page.getBoundingClientRect();
    const textBox = R.el.getBoundingClientRect();
    clear(R.gutter);
    clear(R.stripes);
    const rectAt = (u) => {
      if (u >= text.length) return null;
      const len = text.codePointAt(u) > 0xffff ? 2 : 1;
      const r = Q.rangeFor(R.el, u, u + len);
      const rs = r.getClientRects();
      return rs.length ? rs[0] : r.getBoundingClientRect();
    };
    const lines = doc.lines || [];
    const lineTops = [];
    lines.forEach((start, i) => {
      const u = R.map[Math.min(start, R.map.length - 1)];
      if (u >= text.length || text[u] === '\n') return;
      const rc = rectAt(u);
      if (!rc) return;
      const top = rc.top - base.top;
      lineTops.push(top);
      const ln = h('span', {class: 'lineno', 'data-line': i + 1}, String(i + 1));
      ln.style.top = top + 'px';
      R.gutter.append(ln);
    });
    (doc.turns || []).forEach((t) => {
      if (!Number.isInteger(t.start)) return;
      const u = R.map[Math.min(t.start, R.map.length - 1)];
      const rc = rectAt(u);
      if (!rc) return;
      const label = t.speaker || '?';
      const sub = [t.case, t.group].filter(Boolean).join(' · ');
      const time = clockTime(t.time);
      const chip = h('button', {type: 'button', class: 'speaker' + (t.case ? '' : ' nocase'),
        'data-turn-start': t.start, 'data-turn-end': t.end,
        title: 'Select this turn (' + label + (sub ? ', ' + sub : '') + ')' + (time ? ' at ' + time : '')},
      h('span', {class: 'who'}, label),
      sub ? h('span', {class: 'sub'}, sub) : null,
      time ? h('span', {class: 'time'}, time) : null);
      chip.style.top = (rc.top - base.top) + 'px';
      chip.addEventListener('mousedown', (ev) => ev.preventDefault());
      chip.addEventListener('click', () => {
        selectRange(t.start, t.end);
        evaluateSelection(true);
      });
      R.gutter.append(chip);
    });
    // stripes: one lane per overlapping coding
    const n = R.map.length - 1;
    const items = [];
    for (const c of doc.codings || []) {
      if (!validCoding(c, n)) continue;
      const rs = [...Q.rangeFor(R.el, R.map[c.start], R.map[c.end]).getClientRects()].filter((r) => r.height > 0);
      if (!rs.length) continue;
      const top = Math.min(...rs.map((r) => r.top)) - base.top;
      const bottom = Math.max(...rs.map((r) => r.bottom)) - base.top;
      items.push({c, top, bottom});
    }
    items.sort((a, b) => a.top - b.top || b.bottom - a.bottom);
    const left0 = textBox.right - base.left + 8;
    // One set of lanes, or in the comparison view one per coder, side by side.
    const blocks = R.compare ? R.compare.map(() => []) : [[]];
    const blockOf = (c) => (R.compare ? R.compare.indexOf(c.coder) : 0);
    const blockWidth = 7 * 6 + 10;
    for (const it of items) {
      const block = blockOf(it.c);
      if (block < 0) continue;
      const lanes = blocks[block];
      let lane = lanes.findIndex((b) => b <= it.top + 0.5);
      if (lane < 0) { lane = lanes.length; lanes.push(0); }
      lanes[lane] = it.bottom;
      const s = h('div', {class: 'stripe' + (it.c.review ? ' review' : ''), 'data-stripe-coding': it.c.id,
        title: codingTitle(it.c), tabindex: 0, role: 'button', 'aria-label': codingTitle(it.c)});
      s.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); openPanel([it.c.id], ev); } });
      s.style.top = it.top + 'px';
      s.style.height = Math.max(4, it.bottom - it.top) + 'px';
      s.style.left = (left0 + block * blockWidth + Math.min(lane, 5) * 7) + 'px';
      s.style.backgroundColor = Q.codeColor(it.c.code);
      s.addEventListener('click', (ev) => openPanel([it.c.id], ev));
      R.stripes.append(s);
    }
    R.page.style.minHeight = (R.el.offsetTop + R.el.offsetHeight) + 'px';
  }

  const relayout = Q.debounce(() => { if (Q.current.view === 'reader') layoutGutter(); }, 150);
  window.addEventListener('resize', relayout);

  // ---- passage flash (#/doc/ID?at=S-E) ---------------------------------------------------------
  function flash(start, end) {
    const n = R.map.length - 1;
    start = Math.max(0, Math.min(start, n));
    end = Math.max(start, Math.min(end, n));
    const r = Q.rangeFor(R.el, R.map[start], R.map[end]);
    const base = R.page.getBoundingClientRect();
    const rs = [...r.getClientRects()].filter((x) => x.width > 0);
    for (const b of R.page.querySelectorAll('.flash')) b.remove();
    rs.forEach((x) => {
      const f = h('div', {class: 'flash', 'data-flash': ''});
      f.style.top = (x.top - base.top) + 'px';
      f.style.left = (x.left - base.left) + 'px';
      f.style.width = x.width + 'px';
      f.style.height = x.height + 'px';
      R.page.append(f);
    });
    if (rs.length) {
      const y = rs[0].top + window.scrollY - window.innerHeight / 3;
      window.scrollTo({top: Math.max(0, y), behavior: 'auto'});
    }
    setTimeout(() => { for (const b of R.page.querySelectorAll('.flash')) b.classList.add('fade'); }, 2500);
    setTimeout(() => { for (const b of R.page.querySelectorAll('.flash')) b.remove(); }, 4000);
  }

  // ---- selection ----------------------------------------------------------------------------------
  // The browser selection as code point offsets into the stored text, or null.
  function selectionOffsets() {
    if (!R.el || !R.el.isConnected) return null;
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) return null;
    const r = sel.getRangeAt(0);
    const full = document.createRange();
    full.selectNodeContents(R.el);
    const text = R.doc.text || '';
    let s, e;
    try {
      const ps = full.comparePoint(r.startContainer, r.startOffset);
      const pe = full.comparePoint(r.endContainer, r.endOffset);
      if (ps > 0 || pe < 0) return null;
      s = ps < 0 ? 0 : Q.u16Offset(R.el, r.startContainer, r.startOffset);
      e = pe > 0 ? text.length : Q.u16Offset(R.el, r.endContainer, r.endOffset);
    } catch (err) {
      return null;
    }
    if (s === null || e === null || s >= e) return null;
    const start = Q.u16ToCp(text, s, false);
    const end = Q.u16ToCp(text, e, true);
    if (start >= end) return null;
    return {start, end, text: text.slice(R.map[start], R.map[end])};
  }
  Q.readerSelection = selectionOffsets;
  Q.reader = R;

  function selectRange(start, end) {
    const r = Q.rangeFor(R.el, R.map[start], R.map[end]);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(r);
  }

  function setPendingHighlight(p) {
    if (!window.CSS || !CSS.highlights || typeof Highlight === 'undefined') return;
    if (!p) { CSS.highlights.delete('qcode-pending'); return; }
    CSS.highlights.set('qcode-pending', new Highlight(Q.rangeFor(R.el, R.map[p.start], R.map[p.end])));
  }

  function evaluateSelection(force) {
    if (Q.current.view !== 'reader' || R.dragging) return;
    const p = selectionOffsets();
    if (!p) return;
    if (!force && Q.picker && R.pending && R.pending.start === p.start && R.pending.end === p.end) return;
    openCodePicker(p);
  }
  Q.readerEvaluate = evaluateSelection;

  // Keyboard selection in the (not editable) text: the arrow keys move a caret and, with
  // Shift, extend the selection (Ctrl or Alt: by words); Enter opens the code picker.
  const caretMoves = {ArrowRight: ['forward', 'character'], ArrowLeft: ['backward', 'character'],
    ArrowDown: ['forward', 'line'], ArrowUp: ['backward', 'line'],
    Home: ['backward', 'lineboundary'], End: ['forward', 'lineboundary']};
  function onTextKey(ev) {
    const sel = window.getSelection();
    if (ev.key === 'Enter') {
      ev.preventDefault();
      evaluateSelection(true);
      return;
    }
    const move = caretMoves[ev.key];
    if (!move || !sel) return;
    R.keyboard = true;
    ev.preventDefault();
    if (!sel.rangeCount || !R.el.contains(sel.focusNode)) {
      const walker = document.createTreeWalker(R.el, NodeFilter.SHOW_TEXT);
      const first = walker.nextNode();
      if (!first) return;
      const r = document.createRange();
      r.setStart(first, 0);
      r.collapse(true);
      sel.removeAllRanges();
      sel.addRange(r);
    }
    const unit = (ev.ctrlKey || ev.altKey) && move[1] === 'character' ? 'word' : move[1];
    sel.modify(ev.shiftKey ? 'extend' : 'move', move[0], unit);
  }

  const laterSelection = Q.debounce(() => evaluateSelection(false), 250);
  document.addEventListener('selectionchange', () => {
    if (Q.current.view !== 'reader' || !R.el || R.keyboard) return;
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) return;
    if (!R.el.contains(sel.anchorNode) && !R.el.contains(sel.focusNode)) return;
    laterSelection();
  });
  document.addEventListener('mouseup', () => {
    if (!R.dragging) return;
    R.dragging = false;
    setTimeout(() => evaluateSelection(false), 0);
  });
  document.addEventListener('keyup', (ev) => {
    if (Q.current.view !== 'reader' || !R.el || R.keyboard) return;
    if (ev.target && ev.target.closest && ev.target.closest('input, textarea, select')) return;
    if (ev.shiftKey || ev.key.startsWith('Arrow') || ev.key === 'Shift') evaluateSelection(false);
  });

  // A turn's time (seconds from the start of the recording) as 12:31 or 1:02:07.
  function clockTime(seconds) {
    if (typeof seconds !== 'number' || !isFinite(seconds) || seconds < 0) return '';
    const whole = Math.floor(seconds);
    const hms = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60];
    const two = (n) => String(n).padStart(2, '0');
    return hms[0] ? hms[0] + ':' + two(hms[1]) + ':' + two(hms[2]) : hms[1] + ':' + two(hms[2]);
  }

  function preview(text) {
    const t = text.replace(/\s+/g, ' ');
    const chars = Array.from(t);
    return chars.length > 90 ? chars.slice(0, 44).join('') + ' … ' + chars.slice(-40).join('') : t;
  }

  function openCodePicker(p) {
    R.pending = p;
    setPendingHighlight(p);
    const r = Q.rangeFor(R.el, R.map[p.start], R.map[p.end]);
    const rs = [...r.getClientRects()];
    const last = rs.length ? rs[rs.length - 1] : r.getBoundingClientRect();
    const first = rs.length ? rs[0] : last;
    const widen = (unit) => h('button', {type: 'button', 'data-expand': unit,
      onclick: () => expand(unit)}, unit);
    const info = h('div', {class: 'picker-sel'},
      h('span', {class: 'muted'}, p.start + '–' + p.end + ': '), '“' + preview(p.text) + '”');
    Q.openPicker({
      anchor: {x: last.left, y: last.bottom, top: first.top},
      title: 'Code the selection',
      extra: [info, h('div', {class: 'picker-tools'}, h('span', {class: 'muted'}, 'Widen to '),
        widen('sentence'), widen('paragraph'), widen('turn'))],
      onPick: (code) => applyCode(code),
      onClose: () => { R.pending = null; setPendingHighlight(null); },
    });
  }

  async function expand(unit) {
    const p = R.pending;
    if (!p) return;
    const res = await api('GET', '/api/expand' + Q.qs({doc: R.doc.id, start: p.start, end: p.end, unit}));
    Q.closePicker(true);
    selectRange(res.start, res.end);
    const q = selectionOffsets() || {start: res.start, end: res.end,
      text: R.doc.text.slice(R.map[res.start], R.map[res.end])};
    openCodePicker(q);
  }

  async function applyCode(code) {
    const p = R.pending;
    R.pending = null;
    setPendingHighlight(null);
    if (!p) return;
    try {
      await api('POST', '/api/codings', {doc: R.doc.id, start: p.start, end: p.end, code, text: p.text});
      window.getSelection().removeAllRanges();
      Q.showNote('Coded ' + p.start + '–' + p.end + ' as ' + code);
      await load(false);
      Q.pollSoon();
    } catch (e) { /* shown */ }
  }

  // ---- coding panel ---------------------------------------------------------------------------------
  function findCoding(id) {
    return (R.doc.codings || []).find((c) => String(c.id) === String(id));
  }

  function onTextClick(ev) {
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return;
    const ids = [];
    for (let n = ev.target; n && n !== R.el; n = n.parentNode)
      if (n.nodeType === 1 && n.hasAttribute('data-coding-id')) ids.push(n.getAttribute('data-coding-id'));
    if (!ids.length) return;
    openPanel(ids, ev);
  }

  function openPanel(ids, ev, keep) {
    const panel = R.panel;
    if (!ids.length) { panel.hidden = true; R.panelIds = null; return; }
    if (keep && panel.contains(document.activeElement) && document.activeElement.tagName === 'TEXTAREA') return;
    R.panelIds = ids;
    clear(panel);
    panel.append(h('div', {class: 'panel-head'}, h('strong', null, ids.length > 1 ? ids.length + ' codings here' : 'Coding'),
      h('button', {type: 'button', class: 'close', 'aria-label': 'Close', onclick: () => { panel.hidden = true; R.panelIds = null; }}, '×')));
    for (const id of ids) {
      const c = findCoding(id);
      if (!c) continue;
      const sw = h('span', {class: 'swatch'});
      sw.style.backgroundColor = Q.codeColor(c.code);
      const memoBox = h('div', {class: 'memo-edit', hidden: true});
      const item = h('div', {class: 'coding-item' + (c.review ? ' review' : ''), 'data-coding-item': c.id},
        h('div', {class: 'ci-code'}, sw, ' ', h('strong', null, Q.codeLabel(c.code)), ' ', h('code', null, c.code)),
        h('div', {class: 'ci-meta'}, 'by ', h('strong', null, c.coder || '?'),
          c.created ? ' · ' + Q.fmtTime(c.created) : '', ' · ', c.start + '–' + c.end, ' · #' + c.id),
        c.memo ? h('div', {class: 'ci-memo'}, h('span', {class: 'muted'}, 'memo: '), c.memo) : null,
        c.review ? h('div', {class: 'ci-review'}, h('span', {class: 'muted'}, 'review: '), c.review) : null,
        h('div', {class: 'ci-actions'},
          h('button', {type: 'button', 'data-uncode': c.id, onclick: () => uncode(c)}, 'Uncode'),
          h('button', {type: 'button', 'data-recode': c.id, onclick: (e) => recode(c, e)}, 'Recode'),
          h('button', {type: 'button', 'data-memo': c.id, onclick: () => editMemo(c, memoBox)}, 'Memo'),
          h('a', {href: '#', onclick: (e) => { e.preventDefault(); selectRange(c.start, c.end); }}, 'select')),
        memoBox);
      panel.append(item);
    }
    panel.hidden = false;
    if (ev && !keep) {
      panel.scrollIntoView({block: 'nearest'});
      if (ev.type === 'keydown') { const b = panel.querySelector('[data-uncode]'); if (b) b.focus(); }
    }
  }

  async function uncode(c) {
    try {
      await api('DELETE', '/api/codings/' + encodeURIComponent(c.id));
      Q.showNote('Removed coding #' + c.id + ' (' + c.code + ')');
      R.panelIds = (R.panelIds || []).filter((x) => String(x) !== String(c.id));
      await load(false);
      Q.pollSoon();
    } catch (e) { /* shown */ }
  }

  function recode(c, ev) {
    const b = ev.target.getBoundingClientRect();
    Q.openPicker({anchor: {x: b.left - 200, y: b.bottom, top: b.top}, title: 'Recode #' + c.id + ' (' + c.code + ') as…',
      onPick: async (code) => {
        try {
          await api('PATCH', '/api/codings/' + encodeURIComponent(c.id), {code});
          Q.showNote('Recoded #' + c.id + ' as ' + code);
          await load(false);
          Q.pollSoon();
        } catch (e) { /* shown */ }
      }});
  }

  function editMemo(c, box) {
    clear(box);
    const ta = h('textarea', {rows: 3, 'data-coding-memo': c.id, 'aria-label': 'Coding memo'});
    ta.value = c.memo || '';
    const save = async () => {
      try {
        await api('PATCH', '/api/codings/' + encodeURIComponent(c.id), {memo: ta.value});
        box.hidden = true;
        Q.showNote('Memo saved');
        await load(false);
        Q.pollSoon();
      } catch (e) { /* shown */ }
    };
    box.append(ta, h('div', null, h('button', {type: 'button', 'data-save-memo': c.id, onclick: save}, 'Save memo'),
      ' ', h('button', {type: 'button', onclick: () => { box.hidden = true; }}, 'Cancel')));
    box.hidden = false;
    ta.focus();
  }

  async function putMemo() {
    const text = R.memo.value;
    try {
      await api('PUT', '/api/memos/document/' + encodeURIComponent(R.doc.id), {text});
      if (R.memo.value === text) { R.memoDirty = false; R.memoStatus.textContent = 'saved ' + new Date().toLocaleTimeString(); }
      R.doc.memo = text;
      Q.pollSoon();
    } catch (e) {
      R.memoStatus.textContent = 'not saved';
    }
  }

  Q.views.reader = {
    render,
    refresh: () => { load(false); if (R.compare) compareLoad(); },
    leave: () => { Q.closePicker(true); setPendingHighlight(null); R.el = null; },
    // same document, new ?at=: just flash
    reuse: (params) => {
      if (params.id !== R.id || !R.el) return false;
      const cmp = (params.query && params.query.get('compare')) || '';
      if (cmp !== (R.compare ? R.compare.join(',') : '')) return false;
      if (params.at) requestAnimationFrame(() => flash(params.at.start, params.at.end));
      return true;
    },
  };
})();
