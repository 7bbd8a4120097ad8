import { createServer, type Server } from 'node:http';

/** A new RSS item every 2 s, a new JSON Feed item every 3 s; each feed lists its latest 10. */
const RSS_ITEM_MS = 2_000;
const JSON_ITEM_MS = 3_000;
const KEPT_ITEMS = 10;

/**
 * Item numbers a feed lists at `now`, oldest first. They follow from the
 * wall clock alone, so every demo process serves the same items under the
 * same ids and a cluster can be checked for items handled twice.
 */
function feedItems(now: number, periodMs: number): number[] {
  const latest = Math.floor(now / periodMs);
  return Array.from({ length: KEPT_ITEMS }, (_, index) => latest - KEPT_ITEMS + 1 + index);
}

function rss(now: number): string {
  const items = feedItems(now, RSS_ITEM_MS).map(
    (n) =>
      `    <item><title>Bell ${n}</title><guid isPermaLink="false">rss-${n}</guid><pubDate>${new Date(n * RSS_ITEM_MS).toUTCString()}</pubDate></item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>Belfry demo bells</title>
    <link>http://127.0.0.1/</link>
    <description>A new item every ${RSS_ITEM_MS / 1000} s</description>
${items.join('\n')}
  </channel>
</rss>
`;
}

function jsonFeed(now: number): string {
  const items = feedItems(now, JSON_ITEM_MS).map((n) => ({ id: `json-${n}`, title: `Chime ${n}`, date_published: new Date(n * JSON_ITEM_MS).toISOString() }));
  return `${JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 'Belfry demo chimes', items }, null, 2)}\n`;
}

/**
 * Serves `/rss.xml` (RSS 2.0) and `/feed.json` (JSON Feed 1.1) on loopback
 * at a free port, for the demo's `feed_poller` to poll.
 */
export function startDemoFeeds(now: () => number = Date.now): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const body = path === '/rss.xml' ? rss(now()) : path === '/feed.json' ? jsonFeed(now()) : undefined;
    if (body === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /rss.xml or /feed.json\n');
      return;
    }
    response.writeHead(200, { 'content-type': path === '/rss.xml' ? 'application/rss+xml' : 'application/feed+json' }).end(body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}` });
    });
  });
}
