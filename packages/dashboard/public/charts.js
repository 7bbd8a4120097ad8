// Plain SVG bar charts with labelled axes and units; no chart library.
const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 480;
const HEIGHT = 180;
const PLOT = { left: 64, right: 10, top: 12, bottom: 34 };

function element(name, attributes, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A round step giving about `count` ticks up to `max`. */
function niceStep(max, count) {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

/** Values in ms shown in ms, or in s once they reach seconds. */
function msScale(maxMs) {
  return maxMs >= 2000 ? { unit: 's', divide: 1000 } : { unit: 'ms', divide: 1 };
}

const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * Draws `points` ({ at, value (ms), className, title }) as bars in time
 * order: y axis in ms or s with grid lines, x axis with the time of the
 * first, middle and last bar, and the axis titles.
 */
export function barChart(svg, points, { yTitle }) {
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const maxMs = Math.max(1, ...points.map((p) => p.value));
  const { unit, divide } = msScale(maxMs);
  // Whole milliseconds at least: a sub-ms grid says nothing a run's timing can.
  const step = unit === 'ms' ? Math.max(1, niceStep(maxMs, 4)) : niceStep(maxMs / divide, 4);
  const top = Math.ceil(maxMs / divide / step) * step;
  const y = (valueInUnit) => PLOT.top + plotHeight - (valueInUnit / top) * plotHeight;
  const nodes = [];
  for (let tick = 0; tick <= top + step / 2; tick += step) {
    const label = Number.isInteger(step) ? String(tick) : tick.toFixed(Math.max(0, -Math.floor(Math.log10(step))));
    nodes.push(element('line', { class: 'grid', x1: PLOT.left, x2: WIDTH - PLOT.right, y1: y(tick), y2: y(tick) }));
    nodes.push(element('text', { x: PLOT.left - 6, y: y(tick) + 3, 'text-anchor': 'end', class: 'y-tick' }, `${label} ${unit}`));
  }
  const slot = plotWidth / Math.max(points.length, 1);
  points.forEach((p, i) => {
    const height = Math.max(1, (p.value / divide / top) * plotHeight);
    const bar = element('rect', { x: PLOT.left + i * slot + 1, y: PLOT.top + plotHeight - height, width: Math.max(1, slot - 2), height, class: p.className });
    bar.append(element('title', {}, p.title));
    nodes.push(bar);
  });
  nodes.push(element('line', { class: 'axis', x1: PLOT.left, x2: PLOT.left, y1: PLOT.top, y2: PLOT.top + plotHeight }));
  nodes.push(element('line', { class: 'axis', x1: PLOT.left, x2: WIDTH - PLOT.right, y1: PLOT.top + plotHeight, y2: PLOT.top + plotHeight }));
  if (points.length > 0) {
    const labelled = [...new Set([0, Math.floor((points.length - 1) / 2), points.length - 1])];
    for (const i of labelled) {
      nodes.push(element('text', { x: PLOT.left + i * slot + slot / 2, y: HEIGHT - PLOT.bottom + 13, 'text-anchor': 'middle', class: 'x-tick' }, clock(points[i].at)));
    }
  } else {
    nodes.push(element('text', { x: PLOT.left + plotWidth / 2, y: PLOT.top + plotHeight / 2, 'text-anchor': 'middle' }, 'no runs yet'));
  }
  nodes.push(element('text', { x: PLOT.left + plotWidth / 2, y: HEIGHT - 4, 'text-anchor': 'middle', class: 'x-title' }, 'run start (local time)'));
  nodes.push(element('text', { x: 12, y: PLOT.top + plotHeight / 2, 'text-anchor': 'middle', transform: `rotate(-90 12 ${PLOT.top + plotHeight / 2})`, class: 'y-title' }, `${yTitle} (${unit})`));
  svg.replaceChildren(...nodes);
}
