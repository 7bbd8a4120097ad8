import { afterEach, describe, expect, it, vi } from 'vitest';
import { consoleLogger, resolveLogLevel } from '../src/console-logger.js';

afterEach(() => vi.restoreAllMocks());

function capture() {
  const lines: string[] = [];
  for (const method of ['debug', 'info', 'warn', 'error'] as const) {
    vi.spyOn(console, method).mockImplementation((message: string) => void lines.push(`${method}: ${message}`));
  }
  return lines;
}

describe('consoleLogger', () => {
  it('prints info and above by default, never debug', () => {
    const lines = capture();
    const logger = consoleLogger('info');
    logger.debug?.('lost a lock race');
    logger.info('started');
    logger.error('failed');
    expect(lines).toEqual(['info: started', 'error: failed']);
  });

  it('prints debug lines when asked', () => {
    const lines = capture();
    consoleLogger('debug').debug?.('lost a lock race', { key: 'k' });
    expect(lines).toEqual(['debug: lost a lock race']);
  });

  it('prints nothing when silent', () => {
    const lines = capture();
    const logger = consoleLogger('silent');
    logger.error('failed');
    expect(lines).toEqual([]);
  });
});

describe('resolveLogLevel', () => {
  it('prefers the option, then BELFRY_LOG_LEVEL, then info', () => {
    expect(resolveLogLevel('warn', { BELFRY_LOG_LEVEL: 'debug' })).toBe('warn');
    expect(resolveLogLevel(undefined, { BELFRY_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(resolveLogLevel(undefined, {})).toBe('info');
  });

  it('names the variable and the accepted levels when the value is wrong', () => {
    expect(() => resolveLogLevel(undefined, { BELFRY_LOG_LEVEL: 'verbose' })).toThrow(
      'BELFRY_LOG_LEVEL must be one of debug, info, warn, error, silent (got "verbose")',
    );
  });
});
