import { afterEach, describe, expect, it } from 'vitest';
import { startDemo, type DemoProcess } from './demo-process.js';

const running: DemoProcess[] = [];
afterEach(() => {
  for (const demo of running.splice(0)) demo.child.kill('SIGKILL');
});

async function outputUntilServing(env: Record<string, string>): Promise<string> {
  const demo = startDemo(env);
  running.push(demo);
  await demo.url;
  demo.child.kill('SIGTERM');
  expect(await demo.exited).toBe(0);
  return demo.output();
}

describe('the demo host log level', () => {
  it('prints info lines but no debug lines by default', async () => {
    const output = await outputUntilServing({ BELFRY_LOG_LEVEL: '' });
    expect(output).toContain('audit_log: Belfry demo is up');
    expect(output).not.toContain('belfry host: plugin');
  });

  it('prints debug lines with BELFRY_LOG_LEVEL=debug', async () => {
    const output = await outputUntilServing({ BELFRY_LOG_LEVEL: 'debug' });
    expect(output).toMatch(/^belfry host: plugin "heartbeat" 1\.0\.0 loaded from .*plugins\/heartbeat \(scheduled\)$/m);
  });

  it('prints only warnings and errors with BELFRY_LOG_LEVEL=warn', async () => {
    const output = await outputUntilServing({ BELFRY_LOG_LEVEL: 'warn' });
    expect(output).not.toContain('audit_log: Belfry demo is up');
    expect(output).toContain('Belfry dashboard: http://');
  });

  it('refuses an unknown BELFRY_LOG_LEVEL, naming the variable', async () => {
    const demo = startDemo({ BELFRY_LOG_LEVEL: 'chatty' });
    running.push(demo);
    expect(await demo.exited).toBe(1);
    expect(demo.output()).toContain('belfry: cannot start: BELFRY_LOG_LEVEL (environment): unknown log level "chatty". Fix: set it to one of debug, info, warn, error, silent');
  });
});
