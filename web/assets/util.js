// qcode serve page: shared helpers (DOM building, API calls, offsets, colours, code picker).
// Every untrusted string goes into the page as text: textContent, text nodes or attributes.
'use strict';

const Q = (window.Q = {});

// ---- DOM -------------------------------------------------------------------------------
// h('div', {class: 'x', 'data-y': 1, onclick: fn}, 'text', child, [more]) builds an element.
// Attributes go through setAttribute, handlers through addEventListener, strings become
// text nodes: nothing is ever parsed as HTML.
Q.h = function h(tag, attrs, ...children) {
  const e = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
      else if (k === 'value') e.value = v;
      else if (k === 'checked') e.checked = !!v;
      else if (k === 'selected') e.selected = !!v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
  }
  Q.append(e, children);
  return e;
};

Q.append = function append(parent, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) Q.append(parent, c);
    else if (c instanceof Node) parent.appendChild(c);
    else parent.appendChild(document.createTextNode(String(c)));
  }
  return parent;
};

Q.clear = function clear(e) {
  while (e.firstChild) e.removeChild(e.firstChild);
  return e;
};

Q.debounce = function debounce(fn, ms) {
  let t = null;
  const d = (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(t);
  return d;
};

Q.fmtTime = function fmtTime(s) {
  if (!s) return '';
  const d = new Date(s);
  if (isNaN(d.getTime())) return String(s);
  return d.toLocaleString(undefined, {dateStyle: 'medium', timeStyle: 'short'});
};

Q.pct = function pct(x) {
  return (Math.round((Number(x) || 0) * 1000) / 10).toFixed(1) + '%';
};

// ---- messages ----------------------------------------------------------------------------
Q.showError = function showError(msg) {
  const a = document.getElementById('alert');
  Q.clear(a);
  a.appendChild(document.createTextNode(String(msg)));
  a.appendChild(Q.h('button', {type: 'button', class: 'alert-close', 'aria-label': 'Dismiss',
    onclick: () => { a.hidden = true; }}, '×'));
  a.hidden = false;
  a.className = 'alert error';
};

Q.showNote = function showNote(msg) {
  const n = document.getElementById('note');
  n.textContent = msg;
  n.hidden = false;
  clearTimeout(Q._noteTimer);
  Q._noteTimer = setTimeout(() => { n.hidden = true; }, 2500);
};

// ---- coder name ---------------------------------------------------------------------------
Q.coder = () => localStorage.getItem('qcode.coder') || '';
Q.setCoder = (name) => localStorage.setItem('qcode.coder', name);

// HTTP header values are byte strings: send the name's UTF-8 bytes, as a C++ server reads them.
function headerValue(s) {
  const bytes = new TextEncoder().encode(s);
  let out = '';
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

// The access token of the address the page was opened with (the cookie carries it too).
Q.token = (() => {
  try {
    const u = new URL(location.href);
    const t = u.searchParams.get('token');
    if (t) {
      u.searchParams.delete('token');
      history.replaceState(null, '', u.pathname + u.search + u.hash);
      sessionStorage.setItem('qcode.token', t);
      return t;
    }
    return sessionStorage.getItem('qcode.token') || '';
  } catch (e) {
    return '';
  }
})();

// ---- API ----------------------------------------------------------------------------------
// Q.api('GET', '/api/documents') -> parsed JSON; throws an Error (with .status and .body) on
// a non-2xx answer, after showing its message unless opts.quiet.
Q.api = async function api(method, path, body, opts) {
  opts = opts || {};
  const headers = {Accept: 'application/json'};
  const c = Q.coder();
  if (c) headers['X-Qcode-Coder'] = headerValue(c);
  if (Q.token) headers['X-Qcode-Token'] = Q.token;
  const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (e) {
    const err = new Error('The qcode server cannot be reached (' + e.message + '). Is `qcode serve` still running?');
    err.status = 0;
    if (!opts.quiet) Q.showError(err.message);
    throw err;
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try { data = JSON.parse(text); } catch (e) { data = {error: text}; }
  }
  if (!res.ok) {
    let msg = (data && data.error) || res.statusText || 'request failed';
    if (res.status === 401) msg += ' (open the address with ?token= that `qcode serve` printed)';
    const err = new Error(msg);
    err.status = res.status;
    err.body = data;
    if (!(opts.quiet || (opts.quietStatus && opts.quietStatus.includes(res.status))))
      Q.showError(method + ' ' + path.split('?')[0] + ': ' + msg);
    throw err;
  }
  if (method !== 'GET') document.getElementById('alert').hidden = true; // a change went through
  return data;
};

Q.qs = function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
};

// ---- offsets -------------------------------------------------------------------------------
// Positions in the API are code points; the DOM counts UTF-16 units.
Q.cpToU16 = function cpToU16(text) {
  // map[cp] = UTF-16 offset, for cp in 0..number of code points
  const map = [0];
  let u = 0;
  for (const ch of text) {
    u += ch.length;
    map.push(u);
  }
  return map;
};

Q.u16ToCp = function u16ToCp(text, u16, roundUp) {
  if (u16 <= 0) return 0;
  if (u16 > text.length) u16 = text.length;
  // never split a surrogate pair: move to its start (or past it when rounding up)
  const c = text.charCodeAt(u16 - 1);
  if (c >= 0xd800 && c <= 0xdbff && u16 < text.length) u16 += roundUp ? 1 : -1;
  return Array.from(text.slice(0, u16)).length;
};

// UTF-16 offset of the DOM point (node, offset) inside root's text: the lengths of the text
// nodes before it, walked with a TreeWalker (an element container counts its first children).
Q.u16Offset = function u16Offset(root, node, offset) {
  if (!(node === root || root.contains(node))) return null;
  if (node.nodeType === Node.TEXT_NODE) return textBefore(root, node) + offset;
  const kids = node.childNodes;
  if (offset < kids.length) return textBefore(root, kids[offset]);
  return (node === root ? 0 : textBefore(root, node)) + node.textContent.length;
};

// UTF-16 length of root's text nodes that come before target (not those inside it).
function textBefore(root, target) {
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const isText = target.nodeType === Node.TEXT_NODE;
  let total = 0;
  let t;
  while ((t = w.nextNode())) {
    if (t === target) return total;
    if (!isText && (target.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING)) return total;
    total += t.data.length;
  }
  return total;
}

// DOM point for a UTF-16 offset inside root.
Q.domPoint = function domPoint(root, u16) {
  const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let total = 0;
  let t;
  let last = null;
  while ((t = w.nextNode())) {
    if (u16 <= total + t.data.length) return {node: t, offset: u16 - total};
    total += t.data.length;
    last = t;
  }
  if (last) return {node: last, offset: last.data.length};
  return {node: root, offset: 0};
};

Q.rangeFor = function rangeFor(root, u16start, u16end) {
  const r = document.createRange();
  const a = Q.domPoint(root, u16start);
  const b = Q.domPoint(root, u16end);
  r.setStart(a.node, a.offset);
  r.setEnd(b.node, b.offset);
  return r;
};

// ---- colours -------------------------------------------------------------------------------
const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1',
  '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b'];

Q.codeColor = function codeColor(code) {
  const fw = Q.framework;
  if (!fw) return '#888888';
  const c = fw.byId.get(code);
  if (c && /^#[0-9a-fA-F]{3,8}$/.test(c.color || '')) return c.color;
  let h = 0;
  for (const ch of String(code)) h = (h * 31 + ch.codePointAt(0)) >>> 0;
  const i = c ? fw.codes.indexOf(c) : h;
  return PALETTE[(i * 7 + 3) % PALETTE.length];
};

Q.hexToRgba = function hexToRgba(hex, a) {
  let s = hex.replace('#', '');
  if (s.length === 3) s = s.split('').map((x) => x + x).join('');
  const n = parseInt(s.slice(0, 6), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${a})`;
};

// ---- framework cache --------------------------------------------------------------------------
Q.loadFramework = async function loadFramework() {
  const fw = await Q.api('GET', '/api/framework');
  fw.codes = fw.codes || [];
  fw.byId = new Map(fw.codes.map((c) => [c.id, c]));
  fw.hasChildren = new Set(fw.codes.filter((c) => c.parent).map((c) => c.parent));
  Q.framework = fw;
  return fw;
};

Q.codeLabel = function codeLabel(id) {
  const c = Q.framework && Q.framework.byId.get(id);
  return c ? c.label : id;
};

// ---- recent codes -------------------------------------------------------------------------------
Q.recentCodes = function recentCodes() {
  try {
    const r = JSON.parse(localStorage.getItem('qcode.recent') || '[]');
    return Array.isArray(r) ? r.filter((x) => typeof x === 'string') : [];
  } catch (e) {
    return [];
  }
};

Q.useCode = function useCode(id) {
  const r = Q.recentCodes().filter((x) => x !== id);
  r.unshift(id);
  localStorage.setItem('qcode.recent', JSON.stringify(r.slice(0, 8)));
};

// ---- code picker ---------------------------------------------------------------------------------
// Q.openPicker({anchor: {x, y}, title, extra: [nodes], onPick(codeId), onClose()}) shows the
// floating picker: an input[data-code-picker] filtering the codes by id, label, description
// and include; recent codes first; arrows move, Enter applies, Escape closes.
Q.picker = null;

Q.closePicker = function closePicker(silent) {
  const p = Q.picker;
  if (!p) return;
  Q.picker = null;
  p.box.remove();
  if (!silent && p.onClose) p.onClose();
};

Q.matchCodes = function matchCodes(query) {
  const fw = Q.framework;
  if (!fw) return [];
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const recent = Q.recentCodes();
  const ok = (c) => {
    if (!words.length) return true;
    const hay = [c.id, c.label, c.description, c.include].join(' ').toLowerCase();
    return words.every((w) => hay.includes(w));
  };
  const strong = (c) => words.length && words.every((w) => (c.id + ' ' + c.label).toLowerCase().includes(w));
  const list = fw.codes.filter(ok);
  const rank = (c) => {
    const r = recent.indexOf(c.id);
    return [r >= 0 ? 0 : 1, strong(c) ? 0 : 1, r >= 0 ? r : 0];
  };
  const idx = new Map(list.map((c, i) => [c.id, i]));
  return list.sort((a, b) => {
    const ra = rank(a), rb = rank(b);
    for (let i = 0; i < 3; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return idx.get(a.id) - idx.get(b.id);
  });
};

Q.openPicker = function openPicker(o) {
  Q.closePicker(true);
  const input = Q.h('input', {type: 'text', 'data-code-picker': '', 'aria-label': 'Code',
    placeholder: 'Type to find a code…', autocomplete: 'off', spellcheck: 'false',
    role: 'combobox', 'aria-expanded': 'true', 'aria-controls': 'picker-list'});
  const list = Q.h('ul', {class: 'picker-list', id: 'picker-list', role: 'listbox'});
  const box = Q.h('div', {class: 'picker', 'data-picker': ''},
    o.title ? Q.h('div', {class: 'picker-title'}, o.title) : null,
    input, list, o.extra || null);
  const p = {box, input, list, items: [], active: 0, onPick: o.onPick, onClose: o.onClose};
  Q.picker = p;

  const render = () => {
    const recent = new Set(Q.recentCodes());
    p.items = Q.matchCodes(input.value);
    p.active = Math.min(p.active, Math.max(0, p.items.length - 1));
    Q.clear(list);
    p.items.slice(0, 60).forEach((c, i) => {
      const sw = Q.h('span', {class: 'swatch'});
      sw.style.backgroundColor = Q.codeColor(c.id);
      const li = Q.h('li', {role: 'option', 'data-code': c.id, class: i === p.active ? 'active' : '',
        'aria-selected': i === p.active ? 'true' : 'false', title: c.description || ''},
      sw, Q.h('span', {class: 'opt-label'}, c.label),
      Q.h('span', {class: 'opt-id'}, c.id),
      recent.has(c.id) ? Q.h('span', {class: 'opt-recent', title: 'recently used'}, '★') : null);
      li.style.paddingLeft = (0.4 + 0.7 * (c.depth || 0)) + 'em';
      li.addEventListener('mousedown', (ev) => ev.preventDefault());
      li.addEventListener('click', () => pick(c.id));
      list.appendChild(li);
    });
    if (!p.items.length) list.appendChild(Q.h('li', {class: 'picker-empty'}, 'No code matches'));
  };
  const pick = (id) => {
    Q.useCode(id);
    const cb = p.onPick;
    Q.closePicker(true);
    cb(id);
  };
  const move = (d) => {
    if (!p.items.length) return;
    p.active = (p.active + d + Math.min(p.items.length, 60)) % Math.min(p.items.length, 60);
    render();
    const a = list.querySelector('.active');
    if (a) a.scrollIntoView({block: 'nearest'});
  };
  input.addEventListener('input', () => { p.active = 0; render(); });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown') { ev.preventDefault(); move(1); }
    else if (ev.key === 'ArrowUp') { ev.preventDefault(); move(-1); }
    else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (p.items.length) pick(p.items[p.active].id);
    } else if (ev.key === 'Escape') { ev.preventDefault(); Q.closePicker(); }
  });
  box.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { ev.preventDefault(); Q.closePicker(); }
  });
  render();
  document.body.appendChild(box);
  // place near the anchor, kept inside the window
  const x = Math.max(8, Math.min(o.anchor.x, window.innerWidth - box.offsetWidth - 8));
  let y = o.anchor.y + 6;
  if (y + box.offsetHeight > window.innerHeight - 8) y = Math.max(8, o.anchor.top - box.offsetHeight - 6);
  box.style.left = x + window.scrollX + 'px';
  box.style.top = y + window.scrollY + 'px';
  input.focus();
  return p;
};

// close the picker on a click outside it
document.addEventListener('mousedown', (ev) => {
  if (Q.picker && !Q.picker.box.contains(ev.target)) Q.closePicker();
});
