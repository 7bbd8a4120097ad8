import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOSTILE_PASSWORD, hostilePgUrls, hostileRedisUrls } from '@belfry/internal/testing';
import { createLocking, loadHostConfig, runHost, type HostConfig, type HostProcess } from '../src/index.js';

const SECRET = HOSTILE_PASSWORD.slice(0, 6);
const toml = (value: string | string[]) => JSON.stringify(value);

/** A settings file (dashboard off, no plugins) whose text is `settings`. */
function settingsFile(settings: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-secrets-'));
  mkdirSync(join(dir, 'plugins'));
  const file = join(dir, 'belfry.config.toml');
  writeFileSync(file, `${settings}\n`);
  return file;
}

/** Every place a URL can be written: the keys that hold one, pasted where it does not belong, and in the environment. */
function placesFor(url: string, kind: 'redis' | 'pg'): { name: string; settings: string; env: Record<string, string> }[] {
  const key = kind === 'redis' ? 'redis_url' : 'database_url';
  const variable = kind === 'redis' ? 'REDIS_URL' : 'DATABASE_URL';
  return [
    { name: `[locking] ${key}`, settings: `[locking]\nbackend = "${kind}"\n${key} = ${toml(url)}`, env: {} },
    { name: `[locking] ${key} as a list`, settings: `[locking]\nbackend = "${kind}"\n${key} = ${toml([url, `${kind === 'redis' ? 'redis' : 'postgres'}://127.0.0.1:1`])}`, env: {} },
    { name: '[locking] backend', settings: `[locking]\nbackend = ${toml(url)}`, env: {} },
    { name: '[locking] pg_mode', settings: `[locking]\npg_mode = ${toml(url)}`, env: {} },
    { name: 'locking', settings: `locking = ${toml(url)}`, env: {} },
    { name: '[host] log_level', settings: `[host]\nlog_level = ${toml(url)}`, env: {} },
    { name: variable, settings: '', env: { BELFRY_LOCKING: kind, [variable]: url } },
    { name: 'BELFRY_LOCKING', settings: '', env: { BELFRY_LOCKING: url } },
    { name: 'BELFRY_LOG_LEVEL', settings: '', env: { BELFRY_LOG_LEVEL: url } },
  ];
}

/** Starts a host through `runHost` and returns everything it printed or logged. */
async function everythingPrinted(settings: string, env: Record<string, string>): Promise<{ text: string; exits: number[] }> {
  let text = '';
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void (text += `${level} ${message} ${JSON.stringify(fields ?? {})}\n`);
  const exits: number[] = [];
  const proc: HostProcess = { on: () => undefined, exit: (code) => void exits.push(code), stderr: { write: (chunk: string) => (text += chunk) } };
  const host = await runHost({ file: settingsFile(settings), env, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } }, proc);
  if (host !== undefined) await host.stop({ graceMs: 0 });
  return { text, exits };
}

describe('no password reaches a message or log line', () => {
  const cases = [
    ...hostileRedisUrls.flatMap((url) => placesFor(url, 'redis').map((place) => ({ url, ...place }))),
    ...hostilePgUrls.flatMap((url) => placesFor(url, 'pg').map((place) => ({ url, ...place }))),
  ];

  it.each(cases)('$url in $name', async ({ settings, env }) => {
    const { text, exits } = await everythingPrinted(settings, env);
    expect(text).not.toContain(SECRET);
    expect(exits).toEqual([1]);
  });
});

describe('a settings file that is not valid TOML', () => {
  it.each([
    `[locking]\nredis_url = redis://:${HOSTILE_PASSWORD}@127.0.0.1:6379`,
    `[locking]\nredis_url = "redis://:${HOSTILE_PASSWORD}@127.0.0.1:6379`,
    `[locking]\ndatabase_url = '''postgres://u:${HOSTILE_PASSWORD}@127.0.0.1/test`,
    `[locking]\nbackend = ${HOSTILE_PASSWORD}`,
  ])('%s is reported without the password', async (settings) => {
    const { text, exits } = await everythingPrinted(settings, {});
    expect(text).toMatch(/not valid TOML/);
    expect(text).not.toContain(SECRET);
    expect(exits).toEqual([1]);
  });
});

describe('createLocking given settings directly, not through loadHostConfig', () => {
  const base = loadHostConfig({ cwd: tmpdir(), env: {} });
  const configs: { url: string; config: HostConfig }[] = [
    ...hostileRedisUrls.flatMap((url) => [
      { url, config: { ...base, locking: { ...base.locking, backend: 'redis' as const, redisUrl: url } } },
      { url, config: { ...base, locking: { ...base.locking, backend: 'redis' as const, redisUrl: ['redis://127.0.0.1:2', url] } } },
    ]),
    ...hostilePgUrls.map((url) => ({ url, config: { ...base, locking: { ...base.locking, backend: 'pg' as const, databaseUrl: url } } })),
  ];

  it.each(configs)('refuses $url without showing its password', async ({ config }) => {
    const error = await createLocking(config).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect(`${error!.message} ${String(error!.stack)}`).not.toContain(SECRET);
  });

  it('names the setting of a malformed URL', async () => {
    const config = { ...base, locking: { ...base.locking, backend: 'redis' as const, redisUrl: 'redis:/:pw@127.0.0.1:6379' } };
    await expect(createLocking(config)).rejects.toThrow('config.locking.redisUrl must be a redis:// or rediss:// URL');
  });
});

describe('createLocking names the fix the backend found', () => {
  const base = loadHostConfig({ cwd: tmpdir(), env: {} });

  it('blames the credentials, not the server, when PostgreSQL refuses the login', async () => {
    const databaseUrl = 'postgres://nobody:s3cret-PW@127.0.0.1:5432/test';
    const config = { ...base, locking: { ...base.locking, backend: 'pg' as const, databaseUrl } };
    const error = await createLocking(config).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/role "nobody" does not exist/);
    expect(error?.message.match(/Fix:/g)).toHaveLength(1);
    expect(error?.message).not.toContain('start the server or correct the URL');
    expect(error?.message).not.toContain(SECRET);
  });
});
