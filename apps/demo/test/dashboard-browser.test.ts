import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoProcess } from './demo-process.js';

const screenshot = resolve(__dirname, '../test-results/dashboard.png');
let browser: Browser | undefined;
let demo: DemoProcess | undefined;

afterAll(async () => {
  await browser?.close();
  demo?.child.kill('SIGKILL');
});

describe('the dashboard in a real browser', () => {
  it('loads without console errors, shows the schedules, and shows a new run live without a reload', async () => {
    demo = startDemo({ BELFRY_NODE_ID: 'browser-test' });
    const url = await demo.url;
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    let navigations = 0;
    page.on('framenavigated', () => (navigations += 1));

    await page.goto(url);
    await page.locator('#live', { hasText: 'live' }).waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('#schedules tbody').innerText(), { timeout: 10_000 }).toContain('heartbeat / beat');
    expect(await page.locator('#node').innerText()).toContain('node browser-test · memory locks');

    const heartbeatRows = () => page.locator('#runs tbody tr', { hasText: 'heartbeat / beat' }).count();
    const before = await heartbeatRows();
    await expect.poll(heartbeatRows, { timeout: 15_000, interval: 250 }).toBeGreaterThan(before);
    expect(navigations).toBe(1);
    expect(await page.locator('#chart rect').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('#pollers tbody').innerText(), { timeout: 15_000 }).toMatch(/demo_rss \/ rss[\s\S]*"last":\d+/);

    mkdirSync(resolve(screenshot, '..'), { recursive: true });
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(problems).toEqual([]);
  });
});
