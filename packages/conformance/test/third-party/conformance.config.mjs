import { MapLocking } from './map-locking.mjs';

export default {
  name: 'map (third party)',
  locking: {
    factory: { create: () => new MapLocking() },
    capabilities: { fences: true, maxKeyLength: 10_000 },
  },
};
