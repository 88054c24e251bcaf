// qcode serve page: routing, header bar, coder name, polling of /api/state.
'use strict';

(function () {
  const {h, clear, api} = Q;
  Q.current = {view: null, params: {}, hash: ''};
  Q.state = null;

  const NAV = [
    ['docs', 'Documents'], ['cases', 'Cases'], ['codebook', 'Codebook'], ['chart', 'Chart'],
    ['matrix', 'Matrix'], ['search', 'Search'], ['query', 'Query'], ['log', 'History'],
  ];

  // #/doc/ID?at=S-E -> {view: 'reader', params: {id, at: {start, end}}}
  function parseHash() {
    let raw = location.hash.replace(/^#\/?/, '');
    let query = '';
    const qi = raw.indexOf('?');
    if (qi >= 0) { query = raw.slice(qi + 1); raw = raw.slice(0, qi); }
    const parts = raw.split('/').filter((x) => x !== '').map((x) => {
      try { return decodeURIComponent(x); } catch (e) { return x; }
    });
    const q = new URLSearchParams(query);
    const params = {query: q};
    let view = parts[0] || 'docs';
    if (view === 'doc') {
      view = 'reader';
      params.id = parts.slice(1).join('/');
      const at = (q.get('at') || '').match(/^(\d+)-(\d+)$/);
      if (at) params.at = {start: Number(at[1]), end: Number(at[2])};
    } else if (view === 'chart') {
      params.theme = parts.slice(1).join('/');
    }
    return {view, params};
  }

  async function route() {
    const {view, params} = parseHash();
    const impl = Q.views[view];
    const main = document.getElementById('view');
    if (!impl) { location.hash = '#/docs'; return; }
    if (Q.current.view === view && impl.reuse && impl.reuse(params)) {
      Q.current.params = params;
      return;
    }
    const prev = Q.views[Q.current.view];
    if (prev && prev.leave) prev.leave();
    Q.closePicker(true);
    document.getElementById('alert').hidden = true;
    Q.current = {view, params, hash: location.hash};
    for (const a of document.querySelectorAll('#nav a')) {
      const on = a.getAttribute('data-nav') === (view === 'reader' ? 'docs' : view);
      a.classList.toggle('active', on);
      if (on) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
    }
    clear(main).append(h('p', {class: 'loading'}, 'Loading…'));
    window.scrollTo(0, 0);
    try {
      if (!Q.framework) await Q.loadFramework();
      await impl.render(main, params);
    } catch (e) {
      if (Q.current.view === view) clear(main).append(h('p', {class: 'muted'}, 'Could not load this view: ' + e.message));
    }
  }

  // ---- polling ------------------------------------------------------------------------------
  let polling = false;
  let pollFailed = false;
  async function poll() {
    if (polling) return;
    polling = true;
    try {
      const st = await api('GET', '/api/state', undefined, {quiet: true});
      if (pollFailed) { pollFailed = false; setConn(true); }
      const changed = Q.state && st.revision !== Q.state.revision;
      Q.state = st;
      showState();
      if (changed) {
        await Q.loadFramework().catch(() => {});
        const v = Q.views[Q.current.view];
        if (v && v.refresh) await v.refresh();
      }
    } catch (e) {
      if (!pollFailed) { pollFailed = true; setConn(false, e.message); }
    } finally {
      polling = false;
    }
  }
  Q.pollSoon = () => setTimeout(poll, 50);

  function setConn(ok, msg) {
    const c = document.getElementById('conn');
    c.textContent = ok ? '' : 'offline';
    c.title = ok ? '' : msg || '';
    c.hidden = ok;
  }

  function showState() {
    const st = Q.state;
    if (!st) return;
    const t = document.getElementById('project-title');
    t.textContent = st.title || st.project || '';
    t.title = [st.project, st.documents !== undefined ? st.documents + ' documents' : '', st.codings !== undefined ? st.codings + ' codings' : ''].filter(Boolean).join(' · ');
    document.title = 'qcode · ' + (st.title || st.project || '');
  }

  // ---- coder name ------------------------------------------------------------------------------
  function showCoder() {
    document.getElementById('coder-name').textContent = Q.coder() || '(no name)';
  }

  function askCoder() {
    const dlg = document.getElementById('coder-dialog');
    const input = document.getElementById('coder-input');
    input.value = Q.coder() || '';
    if (!input.value && Q.state && Q.state.coder) input.placeholder = Q.state.coder;
    dlg.hidden = false;
    document.getElementById('coder-cancel').hidden = !Q.coder();
    input.focus();
  }
  Q.askCoder = askCoder;

  function initCoderForm() {
    const form = document.getElementById('coder-form');
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const v = document.getElementById('coder-input').value.trim();
      if (!v) return;
      Q.setCoder(v);
      document.getElementById('coder-dialog').hidden = true;
      showCoder();
    });
    document.getElementById('coder-cancel').addEventListener('click', () => {
      document.getElementById('coder-dialog').hidden = true;
    });
    document.getElementById('coder-change').addEventListener('click', askCoder);
    document.getElementById('coder-dialog').addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && Q.coder()) document.getElementById('coder-dialog').hidden = true;
    });
  }

  function buildNav() {
    const nav = document.getElementById('nav');
    clear(nav);
    for (const [id, label] of NAV) nav.append(h('a', {href: '#/' + id, 'data-nav': id}, label));
  }

  async function boot() {
    buildNav();
    initCoderForm();
    showCoder();
    try {
      Q.state = await api('GET', '/api/state');
      showState();
    } catch (e) { /* shown */ }
    if (!Q.coder()) askCoder();
    window.addEventListener('hashchange', route);
    await route();
    setInterval(poll, 1500);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
  else boot();
})();
