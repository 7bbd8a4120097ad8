// `pnpm conformance` at the repository root runs the suites against this target.
import { MemoryLocking } from './dist/index.js';

/** @type {import('@belfry/conformance').ConformanceTarget} */
export default {
  name: 'memory',
  locking: {
    factory: { create: () => new MemoryLocking() },
    capabilities: { fences: true, maxKeyLength: 4096 },
  },
};
