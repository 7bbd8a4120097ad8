import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BelfryHost } from '@belfry/host';
import { createDashboard, serveDashboard, type ServedDashboard } from '../src/index.js';
import { startTestHost } from './real-host.js';

let host: BelfryHost;
let served: ServedDashboard;
let port: number;

beforeAll(async () => {
  ({ host } = await startTestHost('host-header-test'));
  served = await serveDashboard({ host, port: 0 });
  port = served.port;
});
afterAll(async () => {
  await served.close();
  await host.stop({ graceMs: 0 });
});

/** One real HTTP request with `host` as its Host header; for SSE, the body up to the first event. */
function get(path: string, hostHeader: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: hostHeader }, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
        if (res.headers['content-type']?.includes('text/event-stream') && body.includes('\n\n')) {
          req.destroy();
          resolve({ status: res.statusCode!, type: res.headers['content-type'], body });
        }
      });
      res.on('end', () => resolve({ status: res.statusCode!, type: res.headers['content-type'] ?? '', body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveDashboard on a loopback bind', () => {
  it('listens on 127.0.0.1 by default and says where', () => {
    expect(served.url).toBe(`http://127.0.0.1:${port}/`);
    expect(served.server.address()).toMatchObject({ address: '127.0.0.1', port });
  });

  it.each([
    { label: 'a foreign name without a port', host: () => 'evil.example' },
    { label: 'a foreign name with the port', host: () => `evil.example:${port}` },
    { label: 'a name that starts like 127.0.0.1', host: () => `127.0.0.1.nip.io:${port}` },
    { label: 'localhost with another port', host: () => `localhost:${port + 1}` },
    { label: '127.0.0.1 without the port', host: () => '127.0.0.1' },
    { label: 'another IPv6 address', host: () => `[::2]:${port}` },
  ])('refuses every route to a request whose Host is $label', async ({ host: forged }) => {
    for (const path of ['/', '/api/status', '/api/runs', '/api/history', '/api/events', '/app.js', '/metrics', '/api/actions/run']) {
      const response = await get(path, forged());
      expect({ path, status: response.status }).toEqual({ path, status: 403 });
      expect(response.body).not.toContain('host-header-test');
    }
  });

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]'])('serves the page, its files, JSON, metrics and live events to Host %s with the port', async (name) => {
    const hostHeader = `${name}:${port}`;
    const page = await get('/', hostHeader);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>Belfry dashboard</title>');
    for (const file of ['/app.js', '/charts.js', '/style.css']) expect((await get(file, hostHeader)).status).toBe(200);
    expect(JSON.parse((await get('/api/status', hostHeader)).body)).toMatchObject({ nodeId: 'host-header-test' });
    expect((await get('/metrics', hostHeader)).body).toContain('# TYPE belfry_runs_total counter');
    const events = await get('/api/events', hostHeader);
    expect(events.type).toContain('text/event-stream');
    expect(events.body).toMatch(/^event: status\ndata: \{"status":\{"nodeId":"host-header-test"/);
  });
});

describe('allowed hosts of a mounted dashboard', () => {
  it('answers loopback names on any port by default, and only the names given otherwise', async () => {
    const fetchWith = async (dashboard: ReturnType<typeof createDashboard>, hostHeader: string) =>
      (await dashboard.fetch(new Request('http://x/api/status', { headers: { host: hostHeader } }))).status;
    const byDefault = createDashboard({ host, metrics: false });
    expect(await fetchWith(byDefault, 'localhost:8080')).toBe(200);
    expect(await fetchWith(byDefault, 'dash.example.com')).toBe(403);
    const named = createDashboard({ host, metrics: false, allowedHosts: ['dash.example.com', 'ops.example.com:8443'] });
    expect(await fetchWith(named, 'dash.example.com:443')).toBe(200);
    expect(await fetchWith(named, 'ops.example.com:8443')).toBe(200);
    expect(await fetchWith(named, 'ops.example.com:9000')).toBe(403);
    expect(await fetchWith(named, 'localhost')).toBe(403);
    byDefault.close();
    named.close();
  });

  it('refuses a bad port or bind with a message naming the option', async () => {
    await expect(serveDashboard({ host, port: 70_000 })).rejects.toThrow('serveDashboard: options.port must be an integer from 0 to 65535, got 70000');
    await expect(serveDashboard({ host, hostname: 'a b' })).rejects.toThrow('serveDashboard: options.hostname must be an interface name or address');
  });
});
