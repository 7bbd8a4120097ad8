import { afterEach, describe, expect, it } from 'vitest';
import { startDemoFeeds } from '../src/demo-feeds.js';

const servers: { close(): void }[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

describe('the demo feeds', () => {
  it('serve the latest ten items under ids that follow from the clock alone, so every node serves the same', async () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 0);
    const { server, url } = await startDemoFeeds(() => now);
    servers.push(server);
    const rssIds = async () => [...(await (await fetch(`${url}/rss.xml`)).text()).matchAll(/<guid[^>]*>(rss-\d+)<\/guid>/g)].map((m) => m[1]);
    const jsonIds = async () => ((await (await fetch(`${url}/feed.json`)).json()) as { items: { id: string }[] }).items.map((i) => i.id);

    const latestRss = now / 2_000;
    expect(await rssIds()).toEqual(Array.from({ length: 10 }, (_, i) => `rss-${latestRss - 9 + i}`));
    expect((await jsonIds()).at(-1)).toBe(`json-${Math.floor(now / 3_000)}`);
    now += 4_000;
    expect((await rssIds()).slice(-3)).toEqual([`rss-${latestRss}`, `rss-${latestRss + 1}`, `rss-${latestRss + 2}`]);

    const other = await startDemoFeeds(() => now);
    servers.push(other.server);
    expect(await (await fetch(`${other.url}/rss.xml`)).text()).toBe(await (await fetch(`${url}/rss.xml`)).text());
    expect((await fetch(`${url}/nothing`)).status).toBe(404);
  });
});
