// The dashboard page: renders /api/events (server-sent events) as they arrive.
const $ = (selector) => document.querySelector(selector);

const time = (ms) => (ms == null ? '—' : new Date(ms).toLocaleTimeString());
const relative = (ms) => {
  if (ms == null) return '—';
  const seconds = Math.round((ms - Date.now()) / 1000);
  if (Math.abs(seconds) < 90) return seconds >= 0 ? `in ${seconds}s` : `${-seconds}s ago`;
  return new Date(ms).toLocaleString();
};

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) tr.append(c);
  return tr;
}

function outcomeOf(schedule) {
  if (schedule.running) return ['running', 'running'];
  if (schedule.lastOutcome === 'skipped') return [`skipped (${schedule.lastSkipReason})`, 'skipped'];
  if (schedule.lastOutcome === 'error') return [`error: ${schedule.lastError}`, 'error'];
  return [schedule.lastOutcome ?? '—', schedule.lastOutcome ?? ''];
}

function renderSchedules(status) {
  const body = $('#schedules tbody');
  body.replaceChildren(
    ...status.schedules.map((s) => {
      const [outcome, className] = outcomeOf(s);
      return row([
        cell(`${s.plugin} / ${s.scheduleId}`),
        cell(`${s.expression}${s.timezone === 'UTC' ? '' : ` (${s.timezone})`}`, 'mono'),
        cell(s.locking),
        cell(relative(s.nextRunAt)),
        cell(time(s.lastRunAt)),
        cell(outcome, className),
        cell(s.lastDurationMs == null ? '—' : `${s.lastDurationMs} ms`),
        cell(`${s.runCount} / ${s.errorCount}`),
      ]);
    }),
  );
}

function renderPollers(pollers) {
  $('#pollers tbody').replaceChildren(
    ...(pollers?.jobs ?? []).map((j) => {
      const tick = j.lastTick;
      const outcome = tick == null ? '—' : `${time(tick.scheduledAt)} ${tick.outcome}${tick.error ? `: ${tick.error}` : ''}`;
      const metrics = j.lastMetrics == null ? '—' : Object.entries(j.lastMetrics).map(([k, v]) => `${k}=${v}`).join(' ');
      return row([
        cell(`${j.id} / ${j.kind}`),
        cell(`${j.plugin} · ${j.process.state}${j.process.pid == null ? '' : ` (pid ${j.process.pid})`}`),
        cell(outcome, tick == null ? '' : tick.outcome === 'ok' ? 'success' : 'error'),
        cell(j.lastCursor == null ? '—' : j.lastCursor.text, 'mono'),
        cell(metrics, 'mono'),
        cell(`${j.ticks.ok} / ${j.ticks.failed} / ${j.ticks.stale}`),
      ]);
    }),
  );
}

function renderRuns(runs) {
  $('#runs tbody').replaceChildren(
    ...runs.slice(0, 30).map((r) =>
      row([
        cell(time(r.startedAt)),
        cell(`${r.plugin} / ${r.scheduleId}`),
        cell(time(r.scheduledAt) + (r.isCatchup ? ' (catch-up)' : '')),
        cell(r.nodeId, 'mono'),
        cell(r.locking),
        cell(r.outcome === 'skipped' ? `skipped (${r.reason})` : r.outcome, r.outcome),
        cell(`${r.durationMs} ms`),
      ]),
    ),
  );
}

function renderChart(runs) {
  const finished = runs.filter((r) => r.outcome !== 'skipped').slice(0, 40).reverse();
  const max = Math.max(1, ...finished.map((r) => r.durationMs));
  const width = 400 / Math.max(finished.length, 1);
  const svg = $('#chart');
  svg.replaceChildren(
    ...finished.map((r, i) => {
      const bar = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
      const height = Math.max(2, (r.durationMs / max) * 110);
      bar.setAttribute('x', String(i * width + 1));
      bar.setAttribute('y', String(115 - height));
      bar.setAttribute('width', String(Math.max(1, width - 2)));
      bar.setAttribute('height', String(height));
      bar.setAttribute('class', r.outcome);
      const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
      title.textContent = `${r.plugin}/${r.scheduleId}: ${r.durationMs} ms`;
      bar.append(title);
      return bar;
    }),
  );
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

function render({ status, runs }) {
  $('#node').textContent = `node ${status.nodeId} · ${status.backend} locks · ${status.state} since ${time(status.startedAt)}`;
  listItems('#warnings', status.warnings);
  renderSchedules(status);
  renderPollers(status.pollers);
  renderRuns(runs);
  renderChart(runs);
  listItems('#locks', status.locks.map((l) => `${l.plugin}/${l.scheduleId} @ ${time(l.scheduledAt)}${l.fence == null ? '' : ` · fence ${l.fence}`}`));
  const nodes = new Map();
  for (const r of runs) if (!nodes.has(r.nodeId)) nodes.set(r.nodeId, r.startedAt);
  listItems(
    '#nodes',
    [status.nodeId, ...[...nodes.keys()].filter((n) => n !== status.nodeId)].map((node) =>
      node === status.nodeId ? `${node} (this node)` : `${node} · last run ${relative(nodes.get(node))}`,
    ),
  );
  listItems(
    '#snapshots',
    status.snapshots.slice(0, 3).flatMap((round) => round.entries.map((e) => `${time(round.at)} ${round.kind} ${e.id}: ${e.status}${e.error ? ` (${e.error})` : ''}`)),
  );
}

function connect() {
  const events = new EventSource('/api/events');
  events.addEventListener('status', (event) => {
    $('#live').textContent = 'live';
    $('#live').className = 'badge live';
    render(JSON.parse(event.data));
  });
  events.addEventListener('error', () => {
    $('#live').textContent = 'reconnecting';
    $('#live').className = 'badge';
  });
}

connect();
