import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BelfryHost } from '@belfry/host';
import { ManualClock } from '@belfry/scheduler-core';
import { MemoryControl } from '@belfry/stateful-registry';
import { serveDashboard, type ServedDashboard } from '../src/index.js';
import { START, startTestHost } from './real-host.js';

/** Screenshots land here (test-results/ is not committed). */
const SHOTS = resolve(__dirname, '../test-results/screenshots');
/** Hang guard for page waits: far beyond what a busy machine needs. */
const PAGE_WAIT_MS = 30_000;
const TOKEN = 'browser-operator-token-42';

let browser: Browser;
let host: BelfryHost;
let clock: ManualClock;
let served: ServedDashboard;
let readOnly: ServedDashboard;
let clustered: ServedDashboard;

/** The cluster's pauses, in memory: what the page asks for, every node would honour. */
const control = new MemoryControl();

beforeAll(async () => {
  ({ host, clock } = await startTestHost('browser-node'));
  // A poller job in the shape @belfry/host reports, its schedule stood in by ticker/tick.
  const pollers = {
    cursorStore: 'file',
    jobs: [
      {
        id: 'tick',
        kind: 'google_calendar',
        plugin: 'calendar',
        schedulePlugin: 'ticker',
        expression: '10s',
        lastTick: { scheduledAt: START, startedAt: START, isCatchup: false, fence: 3, outcome: 'ok', durationMs: 40, error: null },
        lastCursor: { text: '{"syncToken":"abc"}', truncated: false, fence: 3 },
        lastMetrics: { events: 12 },
        ticks: { ok: 5, failed: 1, stale: 0, skipped: 2 },
        process: { lifecycle: 'long_lived', state: 'running', pid: 4242 },
      },
    ],
  };
  const withPollers = { runs: host.runs, scheduler: host.scheduler, status: () => ({ ...host.status(), pollers }) };
  served = await serveDashboard({ host: withPollers, port: 0, operatorToken: TOKEN, version: '1.4.0', clock: new ManualClock(START) });
  readOnly = await serveDashboard({ host, port: 0, clock: new ManualClock(START) });
  clustered = await serveDashboard({ host, port: 0, operatorToken: TOKEN, control, metrics: false, clock: new ManualClock(START) });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
  await readOnly?.close();
  await clustered?.close();
  await host?.stop({ graceMs: 0 });
});

/** Opens the page, failing the test on any console error or page error (a CSP violation included). */
async function openPage(url: string): Promise<{ page: Page; problems: string[]; navigations: () => number }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  let navigations = 0;
  page.on('framenavigated', () => (navigations += 1));
  await page.goto(url);
  await page.locator('#live', { hasText: 'live' }).waitFor({ timeout: PAGE_WAIT_MS });
  return { page, problems, navigations: () => navigations };
}

async function runsFor(seconds: number): Promise<void> {
  await clock.advance(seconds * 1000);
  await served.dashboard.refresh();
  await readOnly.dashboard.refresh();
}

describe('the dashboard in headless Chromium', () => {
  it('shows nodes, plugins, schedules and poller jobs, and new runs live without a reload', async () => {
    const { page, problems, navigations } = await openPage(served.url);
    const poll = { timeout: PAGE_WAIT_MS };
    await expect.poll(() => page.locator('#schedules tbody').innerText(), poll).toContain('ticker / tick');
    expect(await page.locator('#node').innerText()).toContain('node browser-node · memory locks');
    expect(await page.locator('#nodes tbody').innerText()).toMatch(/browser-node \(this node\)\s+1\.4\.0\s+memory/);
    expect(await page.locator('#plugins tbody').innerText()).toContain('stateful, lifecycle');
    const pollerRow = await page.locator('#pollers tbody').innerText();
    expect(pollerRow).toMatch(/tick \/ google_calendar\s+calendar · running \(pid 4242\)\s+10s/);
    expect(pollerRow).toContain('fence 3 · 40 ms');
    expect(pollerRow).toContain('{"syncToken":"abc"}');
    expect(pollerRow).toContain('events=12');
    expect(pollerRow).toContain('5 / 1 / 0 / 2');
    expect(await page.locator('#pollers-store').innerText()).toBe('cursors in file');

    await runsFor(40);
    await expect.poll(() => page.locator('#runs tbody tr', { hasText: 'ticker / tick' }).count(), poll).toBe(4);
    expect(await page.locator('#runs tbody tr', { hasText: 'flaky / fail' }).count()).toBe(2);
    await expect.poll(() => page.locator('#chart-duration rect').count(), poll).toBe(6);
    expect(await page.locator('#chart-duration .y-title').textContent()).toBe('duration (ms)');
    expect(await page.locator('#chart-lateness .y-title').textContent()).toBe('lateness (ms)');
    expect(await page.locator('#chart-duration .y-tick').allTextContents()).toContain('0 ms');
    expect(await page.locator('#chart-duration .x-tick').count()).toBeGreaterThan(0);
    expect(navigations()).toBe(1);
    await page.screenshot({ path: resolve(SHOTS, 'dashboard-live.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a run’s detail, filters the history and pages through it', async () => {
    await runsFor(300);
    const { page, problems } = await openPage(served.url);
    const poll = { timeout: PAGE_WAIT_MS };
    await expect.poll(() => page.locator('#runs tbody tr').count(), poll).toBe(25);

    await page.locator('#runs tbody tr', { hasText: 'ticker / tick' }).first().click();
    const detail = page.locator('#detail');
    await expect.poll(() => detail.innerText(), poll).toMatch(/fence\s+\d+/);
    expect(await detail.innerText()).toMatch(/node\s+browser-node/);
    expect(await detail.innerText()).toMatch(/catch-up\s+no/);
    await page.locator('#runs tbody tr', { hasText: 'flaky / fail' }).first().click();
    await expect.poll(() => detail.innerText(), poll).toMatch(/error\s+upstream said no/);
    await page.screenshot({ path: resolve(SHOTS, 'dashboard-detail.png'), fullPage: true });

    await page.locator('#f-outcome').selectOption('error');
    await expect.poll(async () => (await page.locator('#runs tbody tr').allInnerTexts()).every((row) => row.includes('flaky / fail') && row.includes('error')), poll).toBe(true);
    await page.locator('#f-outcome').selectOption('');
    await page.locator('#f-plugin').selectOption('ticker');
    await expect.poll(async () => (await page.locator('#runs tbody tr').allInnerTexts()).every((row) => row.includes('ticker / tick')), poll).toBe(true);
    const firstPage = await page.locator('#runs tbody').innerText();
    await page.locator('#older').click();
    await expect.poll(() => page.locator('#page-info').innerText(), poll).toContain('page 2');
    expect(await page.locator('#runs tbody').innerText()).not.toBe(firstPage);
    await page.locator('#newest').click();
    await expect.poll(() => page.locator('#page-info').innerText(), poll).toContain('page 1');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('offers actions only with the operator token, and pauses a schedule with it', async () => {
    const { page, problems } = await openPage(served.url);
    const poll = { timeout: PAGE_WAIT_MS };
    const tickerRow = page.locator('#schedules tbody tr', { hasText: 'ticker / tick' });
    await expect.poll(() => tickerRow.locator('button[data-action="pause"]').isVisible(), poll).toBe(true);
    await tickerRow.locator('button[data-action="pause"]').click();
    await expect.poll(() => page.locator('#action-result').innerText(), poll).toContain('Enter the operator token first');
    await page.locator('#token').fill(TOKEN);
    await page.locator('#token-box button').click();
    await tickerRow.locator('button[data-action="pause"]').click();
    await expect.poll(() => page.locator('#action-result').innerText(), poll).toBe('pause ticker / tick: node');
    expect(host.status().scheduler.schedules.find((s) => s.plugin === 'ticker')!.paused).toBe(true);
    await served.dashboard.refresh();
    await expect.poll(() => tickerRow.innerText(), poll).toContain('paused');
    await tickerRow.locator('button[data-action="resume"]').click();
    await expect.poll(() => page.locator('#action-result').innerText(), poll).toBe('resume ticker / tick: node');
    expect(host.status().scheduler.schedules.find((s) => s.plugin === 'ticker')!.paused).toBe(false);
    await page.screenshot({ path: resolve(SHOTS, 'dashboard-operator.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();

    const plain = await openPage(readOnly.url);
    await expect.poll(() => plain.page.locator('#schedules tbody').innerText(), poll).toContain('ticker / tick');
    expect(await plain.page.locator('#schedules button').first().isVisible()).toBe(false);
    expect(await plain.page.locator('#token-box').isVisible()).toBe(false);
    expect(await plain.page.locator('#pollers-section').isVisible()).toBe(false);
    await plain.page.screenshot({ path: resolve(SHOTS, 'dashboard-read-only.png'), fullPage: true });
    expect(plain.problems).toEqual([]);
    await plain.page.close();
  });

  it('pauses cluster-wide through the control store and shows the pause on every schedule it covers', async () => {
    const { page, problems } = await openPage(clustered.url);
    const poll = { timeout: PAGE_WAIT_MS };
    await page.locator('#token').fill(TOKEN);
    await page.locator('#token-box button').click();
    const tickerRow = page.locator('#schedules tbody tr', { hasText: 'ticker / tick' });
    await expect.poll(() => tickerRow.locator('button[data-action="pause"]').isVisible(), poll).toBe(true);
    await tickerRow.locator('button[data-action="pause"]').click();
    await expect.poll(() => page.locator('#action-result').innerText(), poll).toBe('pause ticker / tick: cluster');
    expect((await control.paused()).map((p) => p.target)).toEqual([{ kind: 'schedule', plugin: 'ticker', scheduleId: 'tick' }]);
    await clustered.dashboard.refresh();
    await expect.poll(() => page.locator('#cluster-paused').innerText(), poll).toBe('paused cluster-wide: ticker/tick (by dashboard on browser-node)');
    await expect.poll(() => tickerRow.innerText(), poll).toContain('paused');
    expect(await page.locator('#schedules tbody tr', { hasText: 'flaky / fail' }).innerText()).not.toContain('paused');
    await page.screenshot({ path: resolve(SHOTS, 'dashboard-cluster-pause.png'), fullPage: true });
    await tickerRow.locator('button[data-action="resume"]').click();
    await expect.poll(() => page.locator('#action-result').innerText(), poll).toBe('resume ticker / tick: cluster');
    expect(await control.paused()).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });
});
