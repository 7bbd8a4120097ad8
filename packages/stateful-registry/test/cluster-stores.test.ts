import { controlSuite, historySuite, presenceSuite } from '@belfry/conformance';
import { ManualClock } from '@belfry/scheduler-core';
import { describe, test } from 'vitest';
import { MemoryControl, MemoryPresence, MemoryRunHistory } from '../src/index.js';

const START = Date.UTC(2026, 10, 27, 12);
// Each store's clock, so the suites can let time pass for it (peers share their first instance's clock).
const clocks = new WeakMap<object, ManualClock>();

function clocked<T extends object>(make: (clock: ManualClock) => T): T {
  const clock = new ManualClock(START);
  const store = make(clock);
  clocks.set(store, clock);
  return store;
}

function clockOf(store: object): ManualClock {
  const clock = clocks.get(store);
  if (clock === undefined) throw new Error('a store the factory did not create');
  return clock;
}

function withClock<T extends object>(peer: (store: T) => T): (store: T) => T {
  return (store) => {
    const other = peer(store);
    clocks.set(other, clockOf(store));
    return other;
  };
}

const time = {
  now: (store: object) => clockOf(store).now(),
  elapse: (store: object, ms: number) => clockOf(store).advance(ms),
};

historySuite(
  { test, describe },
  {
    name: 'MemoryRunHistory',
    factory: {
      create: (retention) => clocked((clock) => new MemoryRunHistory({ ...retention, clock })),
      peer: withClock((store) => (store as MemoryRunHistory).peer()),
      ...time,
    },
  },
);

presenceSuite(
  { test, describe },
  {
    name: 'MemoryPresence',
    factory: {
      create: () => clocked((clock) => new MemoryPresence({ clock })),
      peer: withClock((store) => (store as MemoryPresence).peer()),
      ...time,
    },
  },
);

controlSuite(
  { test, describe },
  {
    name: 'MemoryControl',
    factory: {
      create: () => clocked((clock) => new MemoryControl({ clock })),
      peer: withClock((store) => (store as MemoryControl).peer()),
      ...time,
    },
  },
);
