import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { loadHostConfig } from '../src/load-host-config.js';

/** Bytes this process has read through read(2) so far. */
const bytesRead = (): number => Number(/rchar: (\d+)/.exec(readFileSync('/proc/self/io', 'utf8'))![1]);

const messageOf = (load: () => unknown): string => {
  try {
    load();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected loadHostConfig to throw');
};

function settings(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'belfry-config-'));
  const file = join(dir, 'belfry.config.toml');
  writeFileSync(file, text);
  return file;
}

describe('loadHostConfig', () => {
  it('applies defaults when no settings file exists, resolving folders against cwd', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'belfry-cwd-'));
    const config = loadHostConfig({ cwd, env: {} });
    expect(config).toMatchObject({
      file: null,
      pluginsDir: join(cwd, 'plugins'),
      stateDir: join(cwd, '.belfry-state'),
      locking: { backend: 'memory', pgMode: 'lease', keyPrefix: 'belfry:' },
      snapshotIntervalMs: 30_000,
    });
    expect(config.nodeId).toMatch(/:\d+$/);
  });

  it('reads the file, resolving its folders against the file', () => {
    const file = settings('[host]\nnode_id = "n1"\nplugins_dir = "p"\n[plugins.counter]\nstep = 2\n');
    const config = loadHostConfig({ file, env: {} });
    expect(config).toMatchObject({ file, nodeId: 'n1', pluginsDir: join(file, '..', 'p'), plugins: { counter: { step: 2 } }, extra: {} });
  });

  it('lets the environment override the file', () => {
    const file = settings('[locking]\nbackend = "memory"\n');
    const config = loadHostConfig({
      file,
      env: { BELFRY_LOCKING: 'redis', REDIS_URL: 'redis://127.0.0.1:6390', BELFRY_NODE_ID: 'env-node', BELFRY_STATE_DIR: '/tmp/s' },
    });
    expect(config).toMatchObject({ nodeId: 'env-node', stateDir: '/tmp/s', locking: { backend: 'redis', redisUrl: 'redis://127.0.0.1:6390' } });
  });

  it('refuses a [dashboard] table unless the caller owns it through extraTables', () => {
    const file = settings('[dashboard]\nport = 0\n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow(`${file}: invalid settings:\n  - unknown key "dashboard"; known keys: host, locking, scheduler, plugins, pollers`);
  });

  it('parses the tables the caller owns with their schemas, with located errors and did-you-mean', () => {
    const dashboard = z.strictObject({ port: z.number().int().min(0).max(65535).optional(), host: z.string().optional() });
    const good = settings('[dashboard]\nport = 0\n');
    expect(loadHostConfig({ file: good, env: {}, extraTables: { dashboard } }).extra).toEqual({ dashboard: { port: 0 } });
    expect(loadHostConfig({ file: settings(''), env: {}, extraTables: { dashboard } }).extra).toEqual({});
    const bad = settings('[dashbord]\n[dashboard]\nprot = 1\nport = "x"\n');
    const message = messageOf(() => loadHostConfig({ file: bad, env: {}, extraTables: { dashboard } }));
    expect(message).toContain('unknown key "dashbord"; did you mean "dashboard"?');
    expect(message).toContain('unknown key "prot" in [dashboard]; did you mean "port"?');
    expect(message).toMatch(/\[dashboard\] port: .*\(got "x"\)/);
    expect(() => loadHostConfig({ file: good, env: {}, extraTables: { locking: dashboard } })).toThrow("extraTables locking are the host's own tables");
  });

  it('names the file, the key and a likely fix for an unknown key', () => {
    const file = settings('[locking]\nbackend = "memory"\nredis_ulr = "redis://x"\n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow(`${file}: invalid settings:\n  - unknown key "redis_ulr" in [locking]; did you mean "redis_url"?`);
  });

  it('leaves a well-formed backend name for the plugins to provide, with its [locking.options]', () => {
    const file = settings('[locking]\nbackend = "etcd"\n[locking.options]\nendpoints = ["a:2379"]\n');
    expect(loadHostConfig({ file, env: {} }).locking).toMatchObject({ backend: 'etcd', backendFrom: `${file}: [locking] backend`, options: { endpoints: ['a:2379'] } });
  });

  it('rejects a malformed backend name from the environment, naming the variable', () => {
    expect(() => loadHostConfig({ cwd: tmpdir(), env: { BELFRY_LOCKING: 'Zoo Keeper' } })).toThrow(
      'BELFRY_LOCKING (environment): not a lock backend name (got "Zoo Keeper"). Fix: set it to memory, redis, pg or the backend a plugin provides (^[a-z][a-z0-9_-]{0,62}$)',
    );
  });

  it('reports the line and column of a TOML syntax error', () => {
    const file = settings('[host]\nnode_id = \n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:\\d+: not valid TOML`));
  });

  it('asks for a URL when the redis backend has none', () => {
    const file = settings('[locking]\nbackend = "redis"\n');
    expect(() => loadHostConfig({ file, env: {} })).toThrow(
      `${file}: [locking] backend: lock backend is "redis" but no URL is set. Fix: set [locking] redis_url in belfry.config.toml or the REDIS_URL environment variable`,
    );
  });

  it('never shows the password of a bad URL', () => {
    let message = '';
    try {
      loadHostConfig({ cwd: tmpdir(), env: { BELFRY_LOCKING: 'pg', DATABASE_URL: 'mysql://admin:s3cret@db:3306/x' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'DATABASE_URL (environment) must be a postgres:// or postgresql:// URL such as postgres://user@127.0.0.1:5432/db, but its scheme is "mysql:". Fix: correct it; a password with reserved characters must be percent-encoded',
    );
  });

  it('says when an explicitly named file is missing', () => {
    expect(() => loadHostConfig({ file: '/nonexistent/belfry.config.toml', env: {} })).toThrow('/nonexistent/belfry.config.toml: settings file not found');
  });

  it('accepts a list of Redis URLs for a quorum', () => {
    const file = settings('[locking]\nbackend = "redis"\nredis_url = ["redis://127.0.0.1:6391", "redis://127.0.0.1:6392"]\n');
    expect(loadHostConfig({ file, env: {} }).locking.redisUrl).toEqual(['redis://127.0.0.1:6391', 'redis://127.0.0.1:6392']);
  });

  it('names the file, the key and the list position of a malformed Redis URL', () => {
    const file = settings('[locking]\nbackend = "redis"\nredis_url = ["redis://127.0.0.1:6391", "redis:/:pw@127.0.0.1:6392"]\n');
    expect(messageOf(() => loadHostConfig({ file, env: {} }))).toBe(
      `${file}: [locking] redis_url[1] must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379, but "redis:" is not followed by "//". Fix: correct it; a password with reserved characters must be percent-encoded`,
    );
  });

  it('checks a URL written in the file even when another backend is chosen', () => {
    const file = settings('[locking]\nbackend = "memory"\ndatabase_url = "postgres:u:pw@127.0.0.1/test"\n');
    expect(messageOf(() => loadHostConfig({ file, env: {} }))).toMatch(new RegExp(`^${escape(file)}: \\[locking\\] database_url must be a postgres:// or postgresql:// URL`));
  });

  it('refuses a list of PostgreSQL URLs, saying one server is used', () => {
    const file = settings('[locking]\nbackend = "pg"\ndatabase_url = ["postgres://a/x", "postgres://b/x"]\n');
    expect(messageOf(() => loadHostConfig({ file, env: {} }))).toContain('[locking] database_url: must be one postgres:// URL (PostgreSQL locks use one server) (got a list of 2)');
  });

  it('blames a bad URL from the environment on the variable, not on the settings file', () => {
    const file = settings('[locking]\nbackend = "redis"\nredis_url = "redis://127.0.0.1:6379"\n');
    const message = messageOf(() => loadHostConfig({ file, env: { REDIS_URL: ':pw@127.0.0.1:6379' } }));
    expect(message).toBe(
      'REDIS_URL (environment) must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379, but it has no scheme. Fix: correct it; a password with reserved characters must be percent-encoded',
    );
  });

  it('names BELFRY_LOCKING when the backend it chose has no URL', () => {
    const file = settings('[host]\nnode_id = "n"\n');
    expect(messageOf(() => loadHostConfig({ file, env: { BELFRY_LOCKING: 'pg' } }))).toBe(
      'BELFRY_LOCKING (environment): lock backend is "pg" but no URL is set. Fix: set [locking] database_url in belfry.config.toml or the DATABASE_URL environment variable',
    );
  });

  it('describes rather than shows a URL pasted where a word belongs', () => {
    const file = settings('[locking]\nbackend = "redis://:pw@127.0.0.1:6379"\n');
    expect(messageOf(() => loadHostConfig({ file, env: {} }))).toMatch(/\[locking\] backend: not a lock backend name \(got a string of 26 characters, not shown as it may hold a password\)\. Fix:/);
  });

  it('reads the log level from [host] log_level, overridden by BELFRY_LOG_LEVEL, default info', () => {
    const file = settings('[host]\nlog_level = "warn"\n');
    expect(loadHostConfig({ cwd: tmpdir(), env: {} }).logLevel).toBe('info');
    expect(loadHostConfig({ file, env: {} }).logLevel).toBe('warn');
    expect(loadHostConfig({ file, env: { BELFRY_LOG_LEVEL: 'DEBUG' } }).logLevel).toBe('debug');
  });

  it('names the key or the variable of an unknown log level', () => {
    const file = settings('[host]\nlog_level = "loud"\n');
    expect(messageOf(() => loadHostConfig({ file, env: {} }))).toBe(`${file}: [host] log_level: unknown log level "loud". Fix: set it to one of debug, info, warn, error, silent`);
    expect(messageOf(() => loadHostConfig({ cwd: tmpdir(), env: { BELFRY_LOG_LEVEL: 'verbose' } }))).toBe(
      'BELFRY_LOG_LEVEL (environment): unknown log level "verbose". Fix: set it to one of debug, info, warn, error, silent',
    );
  });
});

describe('loadHostConfig reading the settings file', () => {
  it('reports invalid UTF-8 with its line and column instead of substituting U+FFFD', () => {
    const dir = mkdtempSync(join(tmpdir(), 'belfry-config-'));
    const file = join(dir, 'belfry.config.toml');
    writeFileSync(file, Buffer.concat([Buffer.from('[host]\nnode_id = "café-'), Buffer.from([0xe9, 0x41]), Buffer.from('"\n')]));
    expect(messageOf(() => loadHostConfig({ file, env: {} }))).toBe(`${file}:2:17: not valid UTF-8 (byte 0xe9 at offset 24). Fix: save the file as UTF-8`);
  });

  it('reports a multi-byte character cut off at the end of the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'belfry-config-'));
    const file = join(dir, 'belfry.config.toml');
    writeFileSync(file, Buffer.concat([Buffer.from('# é\n#'), Buffer.from([0xe2, 0x82])]));
    expect(messageOf(() => loadHostConfig({ file, env: {} }))).toBe(`${file}:2:2: not valid UTF-8 (byte 0xe2 at offset 6). Fix: save the file as UTF-8`);
  });

  it('refuses /dev/zero without reading it', () => {
    const before = bytesRead();
    expect(messageOf(() => loadHostConfig({ file: '/dev/zero', env: {} }))).toBe('/dev/zero: is a character device, not a settings file. Fix: point at a belfry.config.toml file');
    expect(bytesRead() - before).toBeLessThan(64 * 1024);
  });

  it('refuses a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'belfry-config-'));
    expect(messageOf(() => loadHostConfig({ file: dir, env: {} }))).toBe(`${dir}: is a folder, not a settings file. Fix: point at a belfry.config.toml file`);
  });

  it('stops reading a huge file at 1 MiB', () => {
    const dir = mkdtempSync(join(tmpdir(), 'belfry-config-'));
    const file = join(dir, 'belfry.config.toml');
    writeFileSync(file, `# ${'x'.repeat(8 * 1024 * 1024)}\n`);
    const before = bytesRead();
    expect(messageOf(() => loadHostConfig({ file, env: {} }))).toBe(`${file}: larger than 1 MiB, far more than any settings file. Fix: point at a belfry.config.toml file`);
    expect(bytesRead() - before).toBeLessThan(1024 * 1024 + 64 * 1024);
  });

  it('refuses a named pipe at once rather than waiting for a writer', () => {
    // In a child process: were the pipe opened and read, this test process would block with it.
    const dir = mkdtempSync(join(tmpdir(), 'belfry-config-'));
    const fifo = join(dir, 'belfry.config.toml');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const script = `import(${JSON.stringify(resolve(__dirname, '../dist/index.js'))}).then((m) => { try { m.loadHostConfig({ file: ${JSON.stringify(fifo)}, env: {} }); } catch (e) { console.log(e.message); } });`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    expect(child.signal).toBeNull();
    expect(child.stdout.trim()).toBe(`${fifo}: is a named pipe, not a settings file. Fix: point at a belfry.config.toml file`);
  });
});

describe('loadHostConfig [[pollers]]', () => {
  const job = (fields: string) => `[[pollers]]\n${fields}\n`;
  const problems = (text: string): string => {
    const file = settings(text);
    const message = messageOf(() => loadHostConfig({ file, env: {} }));
    expect(message.startsWith(`${file}: invalid settings:\n`)).toBe(true);
    return message;
  };

  it('reads each job with its defaults and where it is declared', () => {
    const file = settings(
      job('id = "team.calendar-1"\nkind = "rss"\ncron = "5m"\nconfig = { url = "http://127.0.0.1/feed", tags = ["a"] }') +
        job('id = "launch"\nkind = "http_json"\nat = "2026-12-01T09:00:00Z"\ntimezone = "Europe/Berlin"\nlocking = "node_local"\nmissed_run_policy = "skip"\nmax_old_space_mb = 64'),
    );
    expect(loadHostConfig({ file, env: {} }).pollers).toEqual([
      { id: 'team.calendar-1', kind: 'rss', cron: '5m', locking: 'require_global', missedRunPolicy: 'run_once', config: { url: 'http://127.0.0.1/feed', tags: ['a'] }, where: `${file}: pollers[0]` },
      { id: 'launch', kind: 'http_json', at: '2026-12-01T09:00:00Z', timezone: 'Europe/Berlin', locking: 'node_local', missedRunPolicy: 'skip', config: null, maxOldSpaceMb: 64, where: `${file}: pollers[1]` },
    ]);
    expect(loadHostConfig({ file: settings(''), env: {} }).pollers).toEqual([]);
  });

  it('names the job and key of a malformed id', () => {
    expect(problems(job('id = "Team Calendar"\nkind = "rss"\ncron = "5m"'))).toContain('  - pollers[0].id: must match ^[a-z0-9][a-z0-9_.-]{0,127}$ (got "Team Calendar")');
  });

  it('refuses a job id used twice, naming both jobs', () => {
    const text = job('id = "feed"\nkind = "rss"\ncron = "5m"') + job('id = "other"\nkind = "rss"\ncron = "5m"') + job('id = "feed"\nkind = "rss"\ncron = "1m"');
    expect(problems(text)).toContain('  - pollers[2].id: job id "feed" is already used by pollers[0]; each job needs its own id');
  });

  it('asks for exactly one of cron and at', () => {
    expect(problems(job('id = "a"\nkind = "rss"'))).toContain('  - pollers[0]: give exactly one of cron (a repeating expression such as "5m") or at (a one-shot instant such as "2026-12-01T09:00:00Z"); it gives neither');
    expect(problems(job('id = "a"\nkind = "rss"\ncron = "5m"\nat = "2026-12-01T09:00:00Z"'))).toMatch(/pollers\[0\]: give exactly one of cron .*; it gives both/);
  });

  it('reports a bad schedule expression, time zone or instant at its key, with the parser\'s reason', () => {
    expect(problems(job('id = "a"\nkind = "rss"\ncron = "every day"'))).toMatch(/ {2}- pollers\[0\]\.cron: .*"every day".*cron needs 5 fields/);
    expect(problems(job('id = "a"\nkind = "rss"\ncron = "0 9 * * *"\ntimezone = "Mars/Olympus"'))).toMatch(/pollers\[0\]\.cron: .*Mars\/Olympus/);
    expect(problems(job('id = "a"\nkind = "rss"\nat = "2026-12-01T09:00:00"'))).toMatch(/pollers\[0\]\.at: .*no offset/);
    // An unquoted TOML date is not the string an instant must be.
    expect(problems(job('id = "a"\nkind = "rss"\nat = 2026-12-01T09:00:00Z'))).toContain('pollers[0].at: must be a quoted ISO 8601 instant such as "2026-12-01T09:00:00Z"');
  });

  it('suggests the nearest key for an unknown one inside a job', () => {
    expect(problems(job('id = "a"\nknd = "rss"\ncron = "5m"'))).toContain('unknown key "knd" in pollers[0]; did you mean "kind"?');
    expect(problems(`[[poller]]\nid = "a"\n`)).toContain('unknown key "poller"; did you mean "pollers"?');
  });

  it('refuses a config that is not plain JSON, naming the part', () => {
    expect(problems(job('id = "a"\nkind = "rss"\ncron = "5m"\nconfig = { since = 2026-01-01T00:00:00Z }'))).toMatch(
      /pollers\[0\]\.config: must be plain JSON .*config\.since is an instance of TomlDate/,
    );
  });

  it('checks the locking hint, the missed-run policy and the memory limit', () => {
    const message = problems(job('id = "a"\nkind = "rss"\ncron = "5m"\nlocking = "global"\nmissed_run_policy = "all"\nmax_old_space_mb = 8'));
    expect(message).toMatch(/pollers\[0\]\.locking: .*"node_local".*"require_global".*"prefer_global".*\(got "global"\)/);
    expect(message).toMatch(/pollers\[0\]\.missed_run_policy: .*"run_once".*\(got "all"\)/);
    expect(message).toMatch(/pollers\[0\]\.max_old_space_mb: .*16.*\(got 8\)/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
