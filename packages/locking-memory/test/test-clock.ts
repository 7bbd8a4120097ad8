import type { Clock } from '@belfry/plugin-api';

/** A clock that moves only when told to; enough for TTL tests. */
export class TestClock implements Clock {
  constructor(private current = 1_700_000_000_000) {}
  now(): number {
    return this.current;
  }
  setTimer(): () => void {
    return () => {};
  }
  advance(ms: number): void {
    this.current += ms;
  }
}
