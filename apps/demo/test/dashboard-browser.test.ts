import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoProcess } from './demo-process.js';

/** Screenshots land here (test-results/ is not committed). */
const screenshot = resolve(__dirname, '../test-results/screenshots/demo-dashboard.png');
const TOKEN = 'demo-browser-operator-token';
/** Hang guard for page waits; the heartbeat fires every 5 s. */
const PAGE_WAIT_MS = 30_000;
let browser: Browser | undefined;
let demo: DemoProcess | undefined;

afterAll(async () => {
  await browser?.close();
  demo?.child.kill('SIGKILL');
});

describe('the demo dashboard (@belfry/dashboard) in a real browser', () => {
  it('loads without console errors, shows the schedules, runs live without a reload, and runs a schedule now with the operator token', async () => {
    demo = startDemo({ BELFRY_NODE_ID: 'browser-test', BELFRY_DASHBOARD_TOKEN: TOKEN });
    const url = await demo.url;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    let navigations = 0;
    page.on('framenavigated', () => (navigations += 1));
    const poll = { timeout: PAGE_WAIT_MS, interval: 250 };

    await page.goto(url);
    await page.locator('#live', { hasText: 'live' }).waitFor({ timeout: PAGE_WAIT_MS });
    await expect.poll(() => page.locator('#schedules tbody').innerText(), poll).toContain('heartbeat / beat');
    expect(await page.locator('#node').innerText()).toContain('node browser-test · memory locks');
    expect(await page.locator('#nodes tbody').innerText()).toContain('browser-test (this node)');

    // The heartbeat's run count grows as it fires, shown without a reload.
    const heartbeat = page.locator('#schedules tbody tr', { hasText: 'heartbeat / beat' });
    const runCount = async () => Number(/(\d+) \/ \d+/.exec(await heartbeat.innerText())?.[1] ?? -1);
    const before = await runCount();
    await expect.poll(runCount, poll).toBeGreaterThan(before);
    await expect.poll(() => page.locator('#runs tbody tr', { hasText: 'heartbeat / beat' }).count(), poll).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#chart-duration rect').count(), poll).toBeGreaterThan(0);
    expect(navigations).toBe(1);
    await expect.poll(() => page.locator('#pollers tbody').innerText(), poll).toContain('demo_rss');

    await page.locator('#token').fill(TOKEN);
    await page.locator('#token-box button').click();
    const counter = page.locator('#schedules tbody tr').filter({ hasText: /^counter \// });
    await counter.locator('button[data-action="run"]').first().click();
    await expect.poll(() => page.locator('#action-result').innerText(), poll).toMatch(/^run counter \/ \S+: success$/);

    mkdirSync(resolve(screenshot, '..'), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(problems).toEqual([]);
  });
});
