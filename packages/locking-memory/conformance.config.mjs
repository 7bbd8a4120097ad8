// `pnpm conformance` at the repository root runs the suites against this target.
import { MemoryLocking } from './dist/index.js';

/** @type {import('@belfry/conformance').ConformanceTarget} */
export default {
  name: 'memory',
  locking: {
    // What it supports (fences, key length, call bound) comes from MemoryLocking.supports.
    factory: { create: () => new MemoryLocking() },
  },
};
