// Polls the demo's own feeds (served on loopback by the demo host, which grants
// DEMO_FEED_URL): each tick handles the items after the cursor, one at a time,
// and returns the last one handled as the new cursor.
import { servePoller } from '@belfry/poller/serve';

const feedUrl = process.env.DEMO_FEED_URL;

/** Waits `ms`, or rejects once `signal` aborts (the tick was cancelled). */
const work = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('cancelled'));
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), reject(new Error('cancelled'))), { once: true });
  });

async function fetchText(path, signal) {
  if (feedUrl === undefined) throw new Error('DEMO_FEED_URL is not set: the demo host grants it to this plugin');
  const response = await fetch(new URL(path, feedUrl), { signal });
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.text();
}

/** Item numbers of an RSS document: `<guid>rss-<n></guid>`. */
const rssItems = (xml) => [...xml.matchAll(/<guid[^>]*>rss-(\d+)<\/guid>/g)].map((match) => Number(match[1]));

/** Item numbers of a JSON Feed: `"id": "json-<n>"`. */
const jsonItems = (text) => JSON.parse(text).items.map((item) => Number(/^json-(\d+)$/.exec(item.id)[1]));

function poller(parse) {
  return async (tick, { signal, log }) => {
    const { path, work_ms: workMs = 0 } = tick.config ?? {};
    const listed = parse(await fetchText(path, signal)).sort((a, b) => a - b);
    const after = tick.cursor?.last ?? -1;
    const fresh = listed.filter((n) => n > after);
    for (const n of fresh) await work(workMs, signal);
    if (fresh.length > 0) log(`${tick.job}: ${fresh.length} new item(s), ${fresh[0]}…${fresh.at(-1)}`);
    const metrics = { items: fresh.length, feed_items: listed.length };
    if (fresh.length > 0) Object.assign(metrics, { first_item: fresh[0], last_item: fresh.at(-1) });
    return { cursor: { last: fresh.at(-1) ?? after }, metrics };
  };
}

servePoller({ rss: poller(rssItems), http_json: poller(jsonItems) });
