// The dashboard page: renders the live updates of api/events and pages through api/history.
import { barChart } from './charts.js';

const $ = (selector) => document.querySelector(selector);
const TOKEN_KEY = 'belfry-operator-token';
const PAGE_SIZE = 25;

const state = {
  status: null,
  runs: [],
  token: sessionStorage.getItem(TOKEN_KEY) ?? '',
  /** `before` cursors of the pages shown so far; the last one is the current page. */
  pages: [null],
  next: null,
  shown: [],
  selected: null,
};

const time = (ms) => (ms == null ? '—' : new Date(ms).toLocaleTimeString());
const dateTime = (ms) => (ms == null ? '—' : new Date(ms).toLocaleString());
const relative = (ms) => {
  if (ms == null) return '—';
  const seconds = Math.round((ms - Date.now()) / 1000);
  if (Math.abs(seconds) < 90) return seconds >= 0 ? `in ${seconds}s` : `${-seconds}s ago`;
  return dateTime(ms);
};
const duration = (ms) => (ms == null ? '—' : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`);
/** A run's identity across page reloads, which hand out new objects. */
const runKey = (r) => [r.plugin, r.scheduleId, r.scheduledAt, r.nodeId, r.startedAt, r.manual ? 'm' : ''].join('\u0000');
const skipReason = (r) => r.skipReason ?? r.reason;
const errorOf = (error) => (error == null ? null : typeof error === 'string' ? error : error.message);

function cell(content, className) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content);
  else td.textContent = content;
  if (className) td.className = className;
  return td;
}

function row(cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function listItems(selector, items) {
  $(selector).replaceChildren(
    ...(items.length === 0 ? ['none'] : items).map((text) => {
      const li = document.createElement('li');
      li.textContent = text;
      return li;
    }),
  );
}

/** The cluster-wide pause of a schedule or poller job, if any. */
function clusterPause(status, matches) {
  return (status.clusterPaused ?? []).find((p) => matches(p.target));
}
const scheduleTarget = (s) => (t) => t.kind === 'schedule' && t.plugin === s.plugin && t.scheduleId === s.scheduleId;
const jobTarget = (jobId) => (t) => t.kind === 'poller_job' && t.jobId === jobId;
const targetText = (t) => (t.kind === 'schedule' ? `${t.plugin}/${t.scheduleId}` : `job ${t.jobId}`);

/** Paused here, or cluster-wide. */
function isPaused(s, status) {
  return s.paused || clusterPause(status, scheduleTarget(s)) !== undefined;
}

function outcomeOf(s) {
  if (s.running) return ['running', 'running'];
  if (s.paused) return ['paused', 'paused'];
  if (s.lastOutcome === 'skipped') return [`skipped (${s.lastSkipReason})`, 'skipped'];
  if (s.lastOutcome === 'error') return [`error: ${s.lastError}`, 'error'];
  return [s.lastOutcome ?? '—', s.lastOutcome ?? ''];
}

function runOutcome(r) {
  if (r.outcome === 'skipped') return `skipped (${skipReason(r) ?? 'unknown'})`;
  if (r.outcome === 'error') return `error: ${errorOf(r.error) ?? 'unknown'}`;
  return r.outcome;
}

// ---- actions (shown only when the server has an operator token configured) ----

function notice(text, failed) {
  const p = $('#action-result');
  p.textContent = text;
  p.className = failed ? 'notice failed' : 'notice';
  p.hidden = false;
}

async function act(action, target) {
  if (state.token === '') return notice('Enter the operator token first (top right).', true);
  const response = await fetch(`api/actions/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` },
    body: JSON.stringify(target),
  });
  const body = await response.json().catch(() => ({}));
  const what = `${action} ${target.jobId === undefined ? `${target.plugin} / ${target.scheduleId}` : `job ${target.jobId}`}`;
  if (!response.ok) return notice(`${what}: ${body.error ?? response.status}`, true);
  notice(`${what}: ${body.outcome ?? body.scope ?? 'done'}`, false);
}

function actionButtons(target, paused, canRun) {
  const span = document.createElement('span');
  const button = (label, action) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.dataset.action = action;
    b.addEventListener('click', () => void act(action, target));
    return b;
  };
  if (canRun) span.append(button('run now', 'run'));
  span.append(paused ? button('resume', 'resume') : button('pause', 'pause'));
  return span;
}

// ---- rendering ----

function renderSchedules(status) {
  $('#schedules tbody').replaceChildren(
    ...status.schedules.map((shown) => {
      const s = { ...shown, paused: isPaused(shown, status) };
      const [outcome, className] = outcomeOf(s);
      return row([
        cell(`${s.plugin} / ${s.scheduleId}`),
        cell(`${s.expression}${s.timezone === 'UTC' ? '' : ` (${s.timezone})`}`, 'mono'),
        cell(s.locking),
        cell(relative(s.nextRunAt)),
        cell(time(s.lastRunAt)),
        cell(outcome, className),
        cell(duration(s.lastDurationMs)),
        cell(`${s.runCount} / ${s.errorCount}`),
        cell(actionButtons({ plugin: s.plugin, scheduleId: s.scheduleId }, s.paused, true), 'actions'),
      ]);
    }),
  );
  const paused = status.clusterPaused;
  const why = (p) => [p.by && `by ${p.by}`, p.reason].filter(Boolean).join(': ');
  $('#cluster-paused').textContent =
    paused == null ? '' : paused.length === 0 ? 'nothing paused cluster-wide' : `paused cluster-wide: ${paused.map((p) => `${targetText(p.target)}${why(p) ? ` (${why(p)})` : ''}`).join(', ')}`;
}

function renderNodes(status) {
  $('#nodes tbody').replaceChildren(
    ...status.nodes.map((n) =>
      row([
        cell(n.nodeId === status.nodeId ? `${n.nodeId} (this node)` : n.nodeId, 'mono'),
        cell(n.version),
        cell(n.backend),
        cell(dateTime(n.startedAt)),
        cell(typeof n.status === 'string' ? n.status : JSON.stringify(n.status)),
        cell(n.lastSeenAt == null ? '—' : relative(n.lastSeenAt)),
      ]),
    ),
  );
  $('#plugins tbody').replaceChildren(...status.plugins.map((p) => row([cell(p.name === p.id ? p.id : `${p.id} (${p.name})`), cell(p.version), cell(p.capabilities.join(', '))])));
}

/**
 * Poller jobs as `host.status().pollers` reports them (`{ cursorStore, jobs }`):
 * last tick, cursor, metrics, tick counts and process; the next tick is the
 * job's schedule's.
 */
function renderPollers(pollers, status) {
  const jobs = Array.isArray(pollers) ? pollers : pollers?.jobs;
  $('#pollers-section').hidden = !Array.isArray(jobs) || jobs.length === 0;
  if (!Array.isArray(jobs)) return;
  $('#pollers-store').textContent = pollers?.cursorStore ? `cursors in ${pollers.cursorStore}` : '';
  $('#pollers tbody').replaceChildren(
    ...jobs.map((job) => {
      const jobId = job.id ?? job.job ?? '?';
      const tick = job.lastTick ?? null;
      const schedule = status.schedules.find((s) => s.scheduleId === jobId && s.plugin === (job.schedulePlugin ?? `poller:${job.plugin}`));
      const paused = schedule?.paused === true || clusterPause(status, jobTarget(jobId)) !== undefined;
      const outcome = paused ? 'paused' : tick == null ? '—' : `${tick.outcome}${tick.error ? `: ${errorOf(tick.error)}` : ''}`;
      const metrics = job.lastMetrics ?? tick?.metrics ?? job.metrics;
      const process = job.process ? `${job.process.state}${job.process.pid == null ? '' : ` (pid ${job.process.pid})`}` : '';
      const cursor = job.lastCursor ? job.lastCursor.text + (job.lastCursor.truncated ? '…' : '') : job.cursor === undefined ? '—' : JSON.stringify(job.cursor);
      return row([
        cell(`${jobId} / ${job.kind ?? '?'}`, 'mono'),
        cell([job.plugin, process].filter(Boolean).join(' · ')),
        cell(job.expression ?? schedule?.expression ?? '—', 'mono'),
        cell(relative(schedule?.nextRunAt ?? job.nextRunAt)),
        cell(tick == null ? '—' : `${time(tick.scheduledAt ?? tick.at)}${tick.fence == null ? '' : ` · fence ${tick.fence}`}${tick.durationMs == null ? '' : ` · ${duration(tick.durationMs)}`}`),
        cell(outcome, paused ? 'paused' : tick == null ? '' : tick.outcome === 'ok' ? 'success' : 'error'),
        cell(cursor, 'mono'),
        cell(metrics ? Object.entries(metrics).map(([k, v]) => `${k}=${v}`).join(' ') : '—', 'mono'),
        cell(job.ticks ? `${job.ticks.ok} / ${job.ticks.failed} / ${job.ticks.stale} / ${job.ticks.skipped}` : '—'),
        cell(actionButtons({ jobId }, paused, false), 'actions'),
      ]);
    }),
  );
}

function renderCharts(runs) {
  const ran = runs.filter((r) => r.outcome !== 'skipped').slice(0, 40).reverse();
  const title = (r, value) => `${r.plugin}/${r.scheduleId} on ${r.nodeId}: ${duration(value)}`;
  barChart(
    $('#chart-duration'),
    ran.map((r) => ({ at: r.startedAt, value: r.durationMs, className: r.outcome, title: title(r, r.durationMs) })),
    { yTitle: 'duration' },
  );
  const onTime = ran.filter((r) => !r.isCatchup && !r.manual);
  barChart(
    $('#chart-lateness'),
    onTime.map((r) => ({ at: r.startedAt, value: Math.max(0, r.startedAt - r.scheduledAt), className: r.outcome, title: title(r, Math.max(0, r.startedAt - r.scheduledAt)) })),
    { yTitle: 'lateness' },
  );
}

function renderDetail() {
  const r = state.selected;
  $('#detail-empty').hidden = r != null;
  if (r == null) return $('#detail').replaceChildren();
  const fields = [
    ...(r.id ? [['run id', r.id]] : []),
    ['plugin', r.plugin],
    ['schedule', r.scheduleId],
    ['occurrence', new Date(r.scheduledAt).toISOString()],
    ['catch-up', r.isCatchup ? 'yes' : 'no'],
    ['manual', r.manual ? 'yes' : 'no'],
    ['node', r.nodeId],
    ['locking', r.locking ?? '—'],
    ['fence', r.fence ?? '—'],
    ['outcome', r.outcome],
    ...(skipReason(r) ? [['skip reason', skipReason(r)]] : []),
    ...(r.error ? [['error', errorOf(r.error)]] : []),
    ['started', dateTime(r.startedAt)],
    ['duration', duration(r.durationMs)],
    ['lateness', r.outcome === 'skipped' ? '—' : duration(Math.max(0, r.startedAt - r.scheduledAt))],
    ...Object.entries(r.metrics ?? {}).map(([name, value]) => [`tick ${name}`, value]),
  ];
  $('#detail').replaceChildren(
    ...fields.flatMap(([name, value]) => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = String(value);
      if (name === 'error') dd.className = 'error';
      return [dt, dd];
    }),
  );
}

function renderRuns() {
  $('#runs tbody').replaceChildren(
    ...state.shown.map((r) => {
      const tr = row([
        cell(time(r.startedAt)),
        cell(`${r.plugin} / ${r.scheduleId}`),
        cell(time(r.scheduledAt) + (r.isCatchup ? ' (catch-up)' : '') + (r.manual ? ' (manual)' : '')),
        cell(r.nodeId, 'mono'),
        cell(r.locking ?? '—'),
        cell(runOutcome(r), r.outcome),
        cell(duration(r.durationMs)),
      ]);
      if (state.selected != null && runKey(state.selected) === runKey(r)) tr.className = 'selected';
      tr.addEventListener('click', () => {
        state.selected = r;
        renderRuns();
        renderDetail();
      });
      return tr;
    }),
  );
  $('#older').disabled = state.next == null;
  $('#newest').disabled = state.pages.length === 1;
  $('#page-info').textContent = `page ${state.pages.length} · ${state.shown.length} run(s)`;
}

function setOptions(select, values) {
  const current = select.value;
  const options = [['', 'any'], ...values.map((v) => [v, v])];
  if (select.options.length === options.length && options.every(([v], i) => select.options[i].value === v)) return;
  select.replaceChildren(...options.map(([value, label]) => new Option(label, value)));
  select.value = values.includes(current) ? current : '';
}

function renderFilters(status) {
  const plugin = $('#f-plugin').value;
  setOptions($('#f-plugin'), [...new Set(status.schedules.map((s) => s.plugin))]);
  setOptions($('#f-schedule'), [...new Set(status.schedules.filter((s) => plugin === '' || s.plugin === plugin).map((s) => s.scheduleId))]);
  setOptions($('#f-node'), [...new Set([...status.nodes.map((n) => n.nodeId), ...state.runs.map((r) => r.nodeId)])]);
}

function render() {
  const status = state.status;
  $('#node').textContent = `node ${status.nodeId} · ${status.backend} locks · ${status.state} since ${time(status.startedAt)}`;
  document.body.classList.toggle('operator', status.actions);
  $('#token-box').hidden = !status.actions;
  listItems('#warnings', status.warnings);
  $('#warnings').hidden = status.warnings.length === 0;
  renderNodes(status);
  renderSchedules(status);
  renderPollers(status.pollers, status);
  renderCharts(state.runs);
  renderFilters(status);
  listItems('#locks', status.locks.map((l) => `${l.plugin}/${l.scheduleId} @ ${time(l.scheduledAt)}${l.fence == null ? '' : ` · fence ${l.fence}`} · held ${relative(l.since)}`));
  listItems(
    '#snapshots',
    status.snapshots.slice(0, 3).flatMap((round) => round.entries.map((e) => `${time(round.at)} ${round.kind} ${e.id}: ${e.status}${e.error ? ` (${e.error})` : ''}`)),
  );
  $('#history-source').textContent = status.clusterHistory ? 'cluster history' : 'this node, in memory';
}

// ---- history paging ----

function historyUrl(before) {
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  for (const [key, id] of [['plugin', '#f-plugin'], ['scheduleId', '#f-schedule'], ['outcome', '#f-outcome'], ['nodeId', '#f-node']]) {
    if ($(id).value !== '') params.set(key, $(id).value);
  }
  if (before != null) params.set('before', String(before));
  return `api/history?${params}`;
}

async function loadPage() {
  const response = await fetch(historyUrl(state.pages.at(-1)));
  if (!response.ok) return notice(`Run history: ${(await response.json().catch(() => ({}))).error ?? response.status}`, true);
  const page = await response.json();
  state.shown = page.runs;
  state.next = page.next;
  renderRuns();
}

function firstPage() {
  state.pages = [null];
  void loadPage();
}

for (const id of ['#f-plugin', '#f-schedule', '#f-outcome', '#f-node']) $(id).addEventListener('change', firstPage);
$('#newest').addEventListener('click', firstPage);
$('#older').addEventListener('click', () => {
  if (state.next == null) return;
  state.pages.push(state.next);
  void loadPage();
});
$('#token').value = state.token;
$('#token-box').addEventListener('submit', (event) => {
  event.preventDefault();
  state.token = $('#token').value.trim();
  sessionStorage.setItem(TOKEN_KEY, state.token);
  notice(state.token === '' ? 'Operator token cleared.' : 'Operator token set for this tab.', false);
});

// ---- live updates ----

function connect() {
  const events = new EventSource('api/events');
  events.addEventListener('status', (event) => {
    $('#live').textContent = 'live';
    $('#live').className = 'badge live';
    const update = JSON.parse(event.data);
    state.status = update.status;
    state.runs = update.runs;
    render();
    // The newest page follows the cluster live; an older page stays put while it is read.
    if (state.pages.length === 1) void loadPage();
  });
  events.addEventListener('error', () => {
    $('#live').textContent = 'reconnecting';
    $('#live').className = 'badge';
  });
}

connect();
