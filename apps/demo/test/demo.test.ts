import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startDemo, type DemoProcess } from './demo-process.js';

const running: DemoProcess[] = [];
afterEach(() => {
  for (const demo of running.splice(0)) demo.child.kill('SIGKILL');
});

describe('the demo host', () => {
  it('serves the dashboard and its JSON, runs the global heartbeat, and shuts down cleanly on SIGTERM', async () => {
    const demo = startDemo({ BELFRY_NODE_ID: 'demo-test' });
    running.push(demo);
    const url = await demo.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    const status = (await (await fetch(`${url}api/status`)).json()) as { nodeId: string; schedules: unknown[] };
    expect(status).toMatchObject({ nodeId: 'demo-test', backend: 'memory', warnings: [] });
    expect(status.schedules).toContainEqual(expect.objectContaining({ plugin: 'heartbeat', scheduleId: 'beat', locking: 'require_global' }));
    expect(status.schedules).toContainEqual(expect.objectContaining({ plugin: 'node_stats', scheduleId: 'sample', locking: 'node_local' }));

    const beat = await eventually(
      async () => {
        const runs = (await (await fetch(`${url}api/runs`)).json()) as { plugin: string; outcome: string }[];
        return runs.find((r) => r.plugin === 'heartbeat' && r.outcome === 'success');
      },
      15_000,
      'a heartbeat run',
    );
    expect(beat).toMatchObject({ scheduleId: 'beat', nodeId: 'demo-test', locking: 'require_global' });
    expect(beat).toEqual(expect.objectContaining({ scheduledAt: expect.any(Number), startedAt: expect.any(Number), durationMs: expect.any(Number) }));

    const page = await fetch(url);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<title>Belfry dashboard</title>');

    demo.child.kill('SIGTERM');
    expect(await demo.exited).toBe(0);
    expect(readdirSync(demo.stateDir).length).toBeGreaterThan(0);
    expect(demo.output()).toContain('audit_log: Belfry demo is up');
  });
});
