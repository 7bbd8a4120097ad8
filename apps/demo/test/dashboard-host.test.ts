import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type DemoProcess } from './demo-process.js';

let demo: DemoProcess;
let port: number;

beforeAll(async () => {
  demo = startDemo({ BELFRY_NODE_ID: 'host-header-test' });
  port = Number(new URL(await demo.url).port);
});
afterAll(() => demo.child.kill('SIGKILL'));

/** One real HTTP request to the demo with `host` as its Host header; for SSE, the body up to the first event. */
function get(path: string, host: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
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

describe('the dashboard on a loopback bind', () => {
  it.each([
    { label: 'a foreign name without a port', host: () => 'evil.example' },
    { label: 'a foreign name with the port', host: () => `evil.example:${port}` },
    { label: 'a name that starts like 127.0.0.1', host: () => `127.0.0.1.nip.io:${port}` },
    { label: 'localhost with another port', host: () => `localhost:${port + 1}` },
    { label: '127.0.0.1 without the port', host: () => '127.0.0.1' },
    { label: 'another IPv6 address', host: () => `[::2]:${port}` },
  ])(
    'refuses a request whose Host is $label',
    async ({ host: forged }) => {
      const host = forged();
      for (const path of ['/', '/api/status', '/api/runs', '/api/events', '/app.js']) {
        const response = await get(path, host);
        expect({ path, status: response.status }).toEqual({ path, status: 403 });
        expect(response.body).not.toContain('host-header-test');
      }
    },
  );

  it.each(['127.0.0.1', 'localhost', 'LOCALHOST', '[::1]'])('serves the page, JSON and live events to Host %s with the port', async (name) => {
    const host = `${name}:${port}`;
    const page = await get('/', host);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Belfry dashboard</title>');
    const status = await get('/api/status', host);
    expect(JSON.parse(status.body)).toMatchObject({ nodeId: 'host-header-test' });
    const events = await get('/api/events', host);
    expect(events.type).toContain('text/event-stream');
    expect(events.body).toMatch(/^event: status\ndata: \{"status":\{"nodeId":"host-header-test"/);
  });
});
