import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@belfry/plugin-api';
import type { PollerPluginConfig, PollerSection } from '../../src/index.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

/** Plugins the tests run: the same behaviours in Node (servePoller) and in Python. */
export const LANGUAGES = [
  { language: 'Node (servePoller)', folder: join(FIXTURES, 'node-poller'), entry: 'poller.mjs' },
  { language: 'Python (stdlib only)', folder: join(FIXTURES, 'python-poller'), entry: 'poller.py' },
] as const;

export function plugin(
  id: string,
  at: { folder: string; entry: string },
  poller: Partial<PollerSection> = {},
  extra: Partial<PollerPluginConfig> = {},
): PollerPluginConfig {
  return { id, folder: at.folder, entry: at.entry, poller: { kinds: ['feed', 'other'], brokerTopicPrefix: 'poller', ...poller }, ...extra };
}

/** The misbehaving hand-written poller, in one of its modes. */
export function rawPlugin(id: string, mode: string, poller: Partial<PollerSection> = {}): PollerPluginConfig {
  return plugin(id, { folder: join(FIXTURES, 'raw-poller'), entry: 'poller.mjs' }, { kinds: ['feed'], ...poller }, { env: { MODE: mode } });
}

export interface LogLine {
  level: string;
  message: string;
}

export function recordingLogger(): Logger & { lines: LogLine[]; text(): string } {
  const lines: LogLine[] = [];
  const record = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error'), text: () => lines.map((line) => `${line.level}: ${line.message}`).join('\n') };
}

/** Generous bound for anything that waits on a real process: a hang guard, not a speed check. */
export const HANG_GUARD_MS = 20_000;

/** Polls `check` until it returns true; fails after the hang guard, saying what it waited for. */
export async function waitFor(check: () => boolean, what: string | (() => string), timeoutMs = HANG_GUARD_MS): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** True while `pid` runs; a zombie (exited, not yet reaped by whoever adopted it) counts as gone. */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return !existsSync('/proc/self/stat');
  }
}
