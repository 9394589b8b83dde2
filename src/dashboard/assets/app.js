'use strict';

// Empire dashboard: login, a live WebSocket feed, and a task submit form. No dependencies.
// Server data reaches the DOM only through textContent and setAttribute.
(() => {
  const TOKEN_KEY = 'empire.token';
  const EXPIRES_KEY = 'empire.token_expires_at';
  const MAX_TASKS = 100;
  const MAX_EVENTS = 200;
  const CHART_MINUTES = 30;
  const MONEY_EVERY_MS = 60000;
  const MONEY_ROWS = 20;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30000;
  const AUTH_CLOSE_CODES = new Set([1008, 4001, 4401, 4403]); // close codes meaning "token refused"
  const EXPIRED = 'Your session has ended. Please sign in again.';

  const $ = (id) => document.getElementById(id);
  const str = (value) => (value === undefined || value === null ? '' : String(value));
  const num = (value) => (Number.isFinite(Number(value)) ? Number(value) : 0);
  const list = (value) => (Array.isArray(value) ? value.filter(Boolean) : []);
  const shortId = (id) => str(id).slice(0, 8);
  const truncate = (text, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
  const httpError = (status, message) => Object.assign(new Error(message), { status });
  const formatTime = (ts, date = new Date(ts)) =>
    (Number.isNaN(date.getTime()) ? str(ts) : date.toLocaleTimeString([], { hour12: false }));

  const state = { token: null, socket: null, reconnectTimer: null, backoffMs: BACKOFF_MIN_MS, moneyTimer: null };
  const eur = (micros) => (num(micros) / 1e6).toLocaleString([], { style: 'currency', currency: 'EUR' });

  // What one login session has seen; reset on login and logout.
  const freshData = () => ({
    lastId: null, // highest frame id seen, sent back as last_event_id
    lastEventId: 0, // highest event id shown, so replayed events are not shown twice
    snapshotId: null,
    nodes: new Map(), // name -> status
    agents: new Map(), // id -> { id, instances, kinds, queued, running, inFlight }
    tasks: new Map(), // id -> { task, row }
    throughput: [],
    throughputTs: null,
    kindKey: '', // "agent/kind" whose example fills the submit textarea
  });

  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'text') node.textContent = str(value);
      else if (key === 'className') node.className = value;
      else node.setAttribute(key, str(value));
    }
    node.append(...children);
    return node;
  }

  // HTTP: JSON in and out; a problem+json answer becomes an Error carrying its `detail`.
  async function api(method, path, body) {
    const headers = { Accept: 'application/json, application/problem+json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (state.token) headers.Authorization = `Bearer ${state.token}`;
    const response = await fetch(path, { method, headers, body: body && JSON.stringify(body) })
      .catch(() => { throw httpError(0, 'Cannot reach the server.'); });
    const data = await response.json().catch(() => null);
    if (response.ok) return { status: response.status, data };
    const detail = (data && (data.detail || data.title)) || `Request failed (HTTP ${response.status})`;
    throw httpError(response.status, str(detail));
  }

  // Session: the bearer token lives in sessionStorage.
  function loadSession() {
    const expiresAt = Number(sessionStorage.getItem(EXPIRES_KEY));
    return expiresAt && expiresAt <= Date.now() ? null : sessionStorage.getItem(TOKEN_KEY);
  }

  function setView(loggedIn, message = '') {
    $('login').hidden = loggedIn;
    $('dashboard').hidden = !loggedIn;
    $('session-tools').hidden = !loggedIn;
    $('login-error').textContent = message;
    Object.assign(state, freshData());
    $('events').replaceChildren();
    showSubmitResult('idle', '');
    applySnapshot({}, null);
    drawChart();
    clearInterval(state.moneyTimer);
    if (loggedIn) {
      connect();
      loadMoney();
      state.moneyTimer = setInterval(loadMoney, MONEY_EVERY_MS);
    } else $('email').focus();
  }

  // Revenue against LLM cost per website, from the portfolio analytics.
  async function loadMoney() {
    const table = $('money');
    try {
      const { data } = await api('GET', '/api/v1/analytics/portfolio?period=30d');
      const totals = (data && data.totals) || {};
      $('money-totals').textContent = `Revenue ${eur(totals.revenue_micro_eur)} · LLM cost ${eur(totals.llm_cost_micro_eur)} · profit ${eur(totals.profit_micro_eur)} · ${num(totals.conversions)} sales, ${num(totals.clicks)} clicks, ${num(totals.views)} views`;
      const sites = list(data && data.websites).slice(0, MONEY_ROWS);
      const max = Math.max(1, ...sites.map((s) => Math.max(num(s.revenue_micro_eur), num(s.llm_cost_micro_eur))));
      const bar = (cls, micros) => {
        const span = el('span', { class: `bar ${cls}` });
        span.style.width = `${(100 * num(micros)) / max}%`; // CSSOM: the CSP refuses style attributes
        return span;
      };
      table.tBodies[0].replaceChildren(...sites.map((site) => el('tr', { 'data-website-id': str(site.website_id) }, [
        el('td', {}, [str(site.slug) || shortId(site.website_id)]),
        el('td', {}, [eur(site.revenue_micro_eur)]),
        el('td', {}, [eur(site.llm_cost_micro_eur)]),
        el('td', { class: num(site.profit_micro_eur) < 0 ? 'loss' : '' }, [eur(site.profit_micro_eur)]),
        el('td', { class: 'bars' }, [bar('revenue', site.revenue_micro_eur), bar('cost', site.llm_cost_micro_eur)]),
      ])));
      table.dataset.loaded = 'true';
      table.dataset.rows = String(sites.length);
    } catch (error) {
      if (error.status === 401) return endSession(EXPIRED);
      $('money-totals').textContent = error.status === 403 ? 'Needs websites.read.' : error.message;
    }
    return undefined;
  }

  function endSession(message) {
    state.token = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(EXPIRES_KEY);
    stopSocket();
    setView(false, message);
  }

  async function onLogin(event) {
    event.preventDefault();
    const [email, password] = [$('email').value.trim(), $('password').value];
    $('login-error').textContent = email && password ? '' : 'Enter your email and password.';
    if (!email || !password) return;
    $('login-button').disabled = true;
    try {
      const { data } = await api('POST', '/api/v1/auth/login', { email, password });
      if (!data || typeof data.access_token !== 'string') throw new Error('Unexpected login response.');
      state.token = data.access_token;
      sessionStorage.setItem(TOKEN_KEY, state.token);
      const expiresAt = Date.now() + num(data.expires_in) * 1000;
      if (num(data.expires_in) > 0) sessionStorage.setItem(EXPIRES_KEY, String(expiresAt));
      $('password').value = '';
      setView(true);
    } catch (error) {
      $('login-error').textContent = error.message;
    } finally {
      $('login-button').disabled = false;
    }
  }

  function onLogout() {
    const headers = { Authorization: `Bearer ${state.token}` };
    if (state.token) fetch('/api/v1/auth/logout', { method: 'POST', headers }).catch(() => {});
    endSession();
  }

  // WebSocket: one socket at a time; reconnect with exponential backoff, resuming by id.
  function setConnection(name, label) {
    $('connection').dataset.state = name;
    $('connection').textContent = label;
  }

  function connect() {
    clearTimeout(state.reconnectTimer);
    if (!state.token || state.socket) return;
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    let url = `${scheme}//${window.location.host}/ws/dashboard?token=${encodeURIComponent(state.token)}`;
    if (state.lastId !== null) url += `&last_event_id=${encodeURIComponent(state.lastId)}`;
    setConnection('connecting', 'Connecting…');
    const socket = new WebSocket(url);
    let opened = false;
    state.socket = socket;
    socket.addEventListener('open', () => {
      opened = true;
      setConnection('open', 'Live');
      sendSubscribe();
    });
    socket.addEventListener('message', (message) => onFrame(message.data));
    socket.addEventListener('close', (event) => {
      if (state.socket !== socket) return; // closed on purpose
      state.socket = null;
      onSocketClosed(event.code, opened);
    });
  }

  async function onSocketClosed(code, opened) {
    if (AUTH_CLOSE_CODES.has(code)) return endSession(EXPIRED);
    setConnection('closed', 'Disconnected');
    if (!opened) { // the browser hides why an upgrade failed: ask the API whether the token works
      const token = state.token;
      const refused = await api('GET', '/api/v1/auth/me').then(() => false, (error) => error.status === 401);
      if (state.token !== token || state.socket) return undefined; // logged out or reconnected meanwhile
      if (refused) return endSession(EXPIRED);
    }
    const delay = state.backoffMs;
    state.backoffMs = Math.min(delay * 2, BACKOFF_MAX_MS);
    setConnection('closed', `Reconnecting in ${Math.round(delay / 1000)} s`);
    state.reconnectTimer = setTimeout(connect, delay);
    return undefined;
  }

  function stopSocket() {
    clearTimeout(state.reconnectTimer);
    const socket = state.socket;
    state.socket = null;
    if (socket) socket.close(1000, 'logout');
    setConnection('closed', 'Disconnected');
  }

  function sendSubscribe() {
    if (!state.socket || state.socket.readyState !== WebSocket.OPEN) return;
    const agent = $('agent-filter').value;
    state.socket.send(JSON.stringify({ type: 'subscribe', agents: agent ? [agent] : [], events: [] }));
  }

  // Frames from the server.
  function onFrame(raw) {
    let frame;
    try { frame = JSON.parse(raw); } catch (error) { return; }
    if (!frame || typeof frame.type !== 'string') return;
    const id = Number.isFinite(frame.id) ? frame.id : null;
    if (frame.type === 'snapshot') applySnapshot(frame, id);
    else if (frame.type === 'metrics') applyMetrics(frame);
    else if (frame.type === 'resync') logEvent(frame, id);
    else applyEvent(frame, id);
    if (id !== null && (state.lastId === null || id > state.lastId)) state.lastId = id;
    if (state.lastId !== null) $('connection').dataset.lastEventId = String(state.lastId);
  }

  function applySnapshot(frame, id) {
    if (id !== null) state.backoffMs = BACKOFF_MIN_MS;
    if (id !== null && state.lastId !== null && id < state.lastId) {
      state.lastId = id; // ids went backwards (another node answered): forget the old numbering
      state.lastEventId = Math.min(state.lastEventId, id);
    }
    state.snapshotId = id;
    state.nodes = new Map(list(frame.nodes).map((node) => [str(node.name), str(node.status)]));
    state.agents = new Map(list(frame.agents).map((view) => [str(view.id), agentFromView(view)]));
    renderNodes();
    renderAgents();
    refreshSelects();
    replaceTasks(list(frame.recent_tasks));
  }

  function applyEvent(frame, id) {
    if (id !== null && id <= state.lastEventId) return; // replayed, already shown
    if (id !== null) state.lastEventId = id;
    logEvent(frame, id);
    // Events older than the snapshot are already part of it.
    if (id === null || state.snapshotId === null || id >= state.snapshotId) updatePanels(frame);
  }

  function updatePanels(f) {
    const task = (status, extra = {}) => upsertTask(f.task_id, { agent: f.agent, status, ...extra });
    switch (f.type) {
      case 'task_queued': return task('queued', { kind: f.kind });
      case 'task_started': return task('running', { attempts: f.attempt });
      case 'task_succeeded': return task('succeeded', { attempts: f.attempt });
      case 'task_failed': return task(f.retrying ? 'queued' : 'failed', { attempts: f.attempt });
      case 'task_dead': return task('dead');
      case 'task_cancelled': return task('cancelled');
      case 'agent_status': return setInstanceStatus(str(f.agent), str(f.instance), str(f.status));
      case 'node_joined': case 'node_left':
        if (nodeName(f.node)) state.nodes.set(nodeName(f.node), f.type === 'node_joined' ? 'up' : 'unreachable');
        return renderNodes();
      default: return undefined;
    }
  }

  function applyMetrics(frame) {
    const agents = frame.agents && typeof frame.agents === 'object' ? frame.agents : {};
    for (const [id, m] of Object.entries(agents)) {
      if (!m) continue;
      Object.assign(ensureAgent(id), { queued: num(m.queued), running: num(m.running), inFlight: num(m.in_flight) });
    }
    renderAgents();
    if (!Array.isArray(frame.tasks_finished_per_minute)) return;
    state.throughput = list(frame.tasks_finished_per_minute);
    state.throughputTs = frame.ts;
    drawChart();
  }

  // Nodes panel.
  const nodeName = (node) => (node && typeof node === 'object' ? str(node.name) : str(node));

  function renderNodes() {
    const items = [...state.nodes].map(([name, status]) => el('li', { 'data-node': name, 'data-status': status }, [
      el('span', { className: 'node-name', text: name }),
      el('span', { className: 'badge', text: status || 'unknown' }),
    ]));
    $('nodes').replaceChildren(...(items.length ? items : [el('li', { className: 'empty', text: 'No nodes yet' })]));
  }

  // Agents panel.
  function agentFromView(view) {
    const instances = list(view.instances);
    const queue = view.queue || {};
    const inFlight = instances.reduce((sum, instance) => sum + num(instance.in_flight), 0);
    const [queued, running] = [num(queue.queued), num(queue.running)];
    return { id: str(view.id), instances, kinds: list(view.kinds), queued, running, inFlight };
  }

  function ensureAgent(id) {
    if (!state.agents.has(id)) state.agents.set(id, agentFromView({ id }));
    return state.agents.get(id);
  }

  function setInstanceStatus(agentId, name, status) {
    if (!agentId) return;
    const agent = ensureAgent(agentId);
    const instance = agent.instances.find((item) => str(item.instance) === name);
    if (instance) instance.status = status;
    else agent.instances.push({ agent: agentId, instance: name, node: '', status });
    renderAgents();
  }

  function agentCard(agent) {
    const count = (status) => agent.instances.filter((instance) => instance.status === status).length;
    const overall = agent.instances.length === 0 ? 'down' : count('busy') > 0 ? 'busy' : 'idle';
    const stat = (label, field, value) => el('div', { className: 'stat' }, [
      el('dt', { text: label }), el('dd', { 'data-field': field, text: value }),
    ]);
    const instances = agent.instances.map((i) => el('li', {
      'data-instance': str(i.instance), 'data-status': str(i.status), title: str(i.node),
    }, [el('span', { text: `#${str(i.instance)} ${str(i.node)}` }), el('span', { className: 'badge', text: str(i.status) })]));
    return el('section', { className: 'agent-card', 'data-agent': agent.id, 'data-status': overall }, [
      el('header', {}, [
        el('h3', { text: agent.id }), el('span', { className: 'badge', 'data-field': 'status', text: overall }),
      ]),
      el('dl', { className: 'stats' }, [
        stat('Instances', 'instances', agent.instances.length), stat('Busy', 'busy', count('busy')),
        stat('Idle', 'idle', count('idle')), stat('In flight', 'in_flight', agent.inFlight),
        stat('Queued', 'queued', agent.queued), stat('Running', 'running', agent.running),
      ]),
      el('ul', { className: 'instance-list' }, instances),
    ]);
  }

  function renderAgents() {
    const cards = [...state.agents.values()].sort((a, b) => a.id.localeCompare(b.id)).map(agentCard);
    $('agents').replaceChildren(...(cards.length ? cards : [el('p', { className: 'empty', text: 'No agents yet' })]));
  }

  // Recent tasks table: newest first, at most MAX_TASKS rows.
  function replaceTasks(tasks) {
    const time = (task) => Date.parse(task.created_at) || 0;
    state.tasks = new Map();
    $('tasks-body').replaceChildren();
    const newest = tasks.slice().sort((a, b) => time(b) - time(a)).slice(0, MAX_TASKS);
    for (const task of newest.reverse()) insertTask({ ...task, id: str(task.id) });
  }

  function insertTask(task) {
    const cells = ['id', 'agent', 'kind', 'status', 'attempts'].map((field) => el('td', { 'data-field': field }));
    const row = el('tr', {}, cells);
    state.tasks.set(task.id, { task, row });
    fillTaskRow(row, task);
    const body = $('tasks-body');
    body.prepend(row);
    while (body.rows.length > MAX_TASKS) {
      state.tasks.delete(body.lastElementChild.dataset.taskId);
      body.lastElementChild.remove();
    }
  }

  function fillTaskRow(row, task) {
    const [id, agent, kind, status, attempts] = row.cells;
    Object.assign(row.dataset, { taskId: task.id, status: str(task.status) });
    id.textContent = shortId(task.id);
    id.title = task.id;
    agent.textContent = str(task.agent);
    kind.textContent = str(task.kind) || '—';
    status.replaceChildren(el('span', { className: 'badge', text: str(task.status) }));
    attempts.textContent = str(num(task.attempts)) + (task.max_attempts ? `/${num(task.max_attempts)}` : '');
  }

  function upsertTask(taskId, patch) {
    const id = str(taskId);
    const known = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const entry = state.tasks.get(id);
    if (entry) fillTaskRow(entry.row, Object.assign(entry.task, known));
    else if (id) insertTask({ id, agent: '', kind: '', attempts: 0, ...known });
  }

  // Live event stream: newest first, at most MAX_EVENTS lines.
  function summarize(f) {
    const [task, attempt] = [`${str(f.agent)} ${shortId(f.task_id)}`, `attempt ${str(f.attempt)}`];
    switch (f.type) {
      case 'task_queued': return `${task} ${str(f.kind)}${f.workflow_id ? ` in ${shortId(f.workflow_id)}` : ''}`;
      case 'task_started': return `${task} ${attempt} on ${str(f.instance)}@${str(f.node)}`;
      case 'task_succeeded': return `${task} ${attempt} in ${num(f.duration_ms)} ms`;
      case 'task_failed': return `${task} ${attempt}${f.retrying ? ' (retrying)' : ''}: ${str(f.error)}`;
      case 'task_dead': return `${task}: ${str(f.error)}`;
      case 'task_cancelled': return task;
      case 'agent_status': return `${str(f.agent)}/${str(f.instance)} → ${str(f.status)}`;
      case 'workflow_progress': return `${shortId(f.workflow_id)} ${str(f.kind)} #${str(f.step)}: ${str(f.status)}`;
      case 'node_joined': case 'node_left': return nodeName(f.node);
      case 'resync': return `missed events are gone (${str(f.reason)}); reloading`;
      default: return '';
    }
  }

  function logEvent(frame, id) {
    const summary = summarize(frame) + (frame.website_id ? ` · site ${str(frame.website_id)}` : '');
    const events = $('events');
    events.prepend(el('li', { 'data-event-type': frame.type, 'data-event-id': id === null ? '' : id }, [
      el('time', { datetime: str(frame.ts), text: formatTime(frame.ts) }),
      el('span', { className: 'event-type', text: frame.type }),
      el('span', { className: 'event-summary', title: summary, text: truncate(summary) }),
    ]));
    while (events.children.length > MAX_EVENTS) events.lastElementChild.remove();
  }

  // Throughput chart: one bar per minute over the last CHART_MINUTES minutes (server time).
  function chartBuckets() {
    const counts = new Map();
    const now = Date.parse(state.throughputTs);
    let end = Math.floor((Number.isFinite(now) ? now : Date.now()) / 60000);
    for (const point of state.throughput) {
      const minute = Math.floor(Date.parse(point.minute) / 60000);
      if (!Number.isFinite(minute)) continue;
      counts.set(minute, (counts.get(minute) || 0) + num(point.count));
      end = Math.max(end, minute);
    }
    return Array.from({ length: CHART_MINUTES }, (_, i) => end - CHART_MINUTES + 1 + i)
      .map((minute) => ({ minute, count: counts.get(minute) || 0 }));
  }

  function drawChart() {
    const canvas = $('throughput');
    const ctx = canvas.getContext('2d');
    const [width, height, ratio] = [canvas.clientWidth, canvas.clientHeight, window.devicePixelRatio || 1];
    if (!ctx || width === 0) return; // hidden: drawn again once shown
    Object.assign(canvas, { width: Math.round(width * ratio), height: Math.round(height * ratio) });
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const css = getComputedStyle(document.documentElement);
    const color = (name) => css.getPropertyValue(name).trim() || '#888';
    const [left, top, right, bottom] = [34, 10, width - 8, height - 22];
    const text = (value, x, y, textAlign, textBaseline) =>
      Object.assign(ctx, { textAlign, textBaseline }).fillText(value, x, y);
    const buckets = chartBuckets();
    const max = Math.max(1, ...buckets.map((bucket) => bucket.count));
    const label = (minute) => formatTime(minute * 60000).slice(0, 5);
    Object.assign(ctx, { font: '11px system-ui, sans-serif', fillStyle: color('--border') });
    ctx.fillRect(left, top, 1, bottom - top); // y axis
    ctx.fillRect(left, bottom, right - left, 1); // x axis
    ctx.fillStyle = color('--muted');
    text(String(max), left - 4, top, 'right', 'middle');
    text('0', left - 4, bottom, 'right', 'middle');
    text(label(buckets[0].minute), left, bottom + 6, 'left', 'top');
    text(label(buckets[buckets.length - 1].minute), right, bottom + 6, 'right', 'top');
    const [midX, midY] = [(left + right) / 2, (top + bottom) / 2];
    if (!state.throughput.length) text('Waiting for metrics…', midX, midY, 'center', 'middle');
    const slot = (right - left) / buckets.length;
    ctx.fillStyle = color('--accent');
    buckets.forEach(({ count }, i) => {
      const barHeight = (count / max) * (bottom - top);
      if (barHeight > 0) ctx.fillRect(left + (i + 0.15) * slot, bottom - barHeight, slot * 0.7, barHeight);
    });
    const total = buckets.reduce((sum, bucket) => sum + bucket.count, 0);
    Object.assign(canvas.dataset, { max: String(max), total: String(total) });
  }

  // Submit form and agent filter.
  function fillSelect(select, options) {
    const current = select.value;
    select.replaceChildren(...options.map(([value, label]) => el('option', { value, text: label })));
    if (options.some(([value]) => value === current)) select.value = current;
  }

  function refreshSelects() {
    const ids = [...state.agents.keys()].sort();
    fillSelect($('agent-filter'), [['', 'All agents'], ...ids.map((id) => [id, id])]);
    fillSelect($('submit-agent'), ids.map((id) => [id, id]));
    refreshKinds();
  }

  function selectedKind() {
    const agent = state.agents.get($('submit-agent').value);
    const kinds = agent ? agent.kinds : [];
    return { kinds, kind: kinds.find((item) => str(item.kind) === $('submit-kind').value) };
  }

  function refreshKinds() {
    fillSelect($('submit-kind'), selectedKind().kinds.map((item) => [str(item.kind), str(item.kind)]));
    onKindChange();
  }

  function onKindChange() {
    const { kind } = selectedKind();
    const key = `${$('submit-agent').value}/${$('submit-kind').value}`;
    $('submit-kind-description').textContent = kind ? str(kind.description) : '';
    $('submit-button').disabled = !kind;
    if (key === state.kindKey) return; // same kind as before: keep what the user typed
    state.kindKey = key;
    const example = kind && kind.example_input !== undefined ? kind.example_input : {};
    $('submit-input').value = kind ? JSON.stringify(example, null, 2) : '';
  }

  function showSubmitResult(name, text, taskId = '') {
    Object.assign($('submit-result').dataset, { state: name, taskId });
    $('submit-result').textContent = text;
  }

  async function onSubmitTask(event) {
    event.preventDefault();
    const [agent, kind] = [$('submit-agent').value, $('submit-kind').value];
    let input;
    try {
      input = JSON.parse($('submit-input').value);
    } catch (error) {
      return showSubmitResult('error', `Input is not valid JSON: ${error.message}`);
    }
    if (!agent || !kind) return showSubmitResult('error', 'Choose an agent and a kind.');
    $('submit-button').disabled = true;
    showSubmitResult('pending', 'Submitting…');
    try {
      const { status, data } = await api('POST', `/api/v1/agents/${encodeURIComponent(agent)}/tasks`, { kind, input });
      const id = str(data && data.id);
      showSubmitResult('ok', `${status === 200 ? 'Existing task' : 'Queued task'} ${id}`, id);
    } catch (error) {
      if (error.status === 401) return endSession(EXPIRED);
      showSubmitResult('error', error.message);
    } finally {
      $('submit-button').disabled = !selectedKind().kind;
    }
    return undefined;
  }

  function init() {
    $('login-form').addEventListener('submit', onLogin);
    $('logout').addEventListener('click', onLogout);
    $('agent-filter').addEventListener('change', sendSubscribe);
    $('submit-form').addEventListener('submit', onSubmitTask);
    $('submit-agent').addEventListener('change', refreshKinds);
    $('submit-kind').addEventListener('change', onKindChange);
    window.addEventListener('resize', () => requestAnimationFrame(drawChart));
    state.token = loadSession();
    setView(Boolean(state.token));
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
