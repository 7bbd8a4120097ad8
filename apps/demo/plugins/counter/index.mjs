import { UnsupportedVersionError } from '@belfry/plugin-api';

// State format version 1: the count as a decimal string.
let count = 0;

export default {
  run() {
    count += 1;
  },
  snapshot() {
    return { version: 1, bytes: new TextEncoder().encode(String(count)) };
  },
  restoreSnapshot(snapshot) {
    if (snapshot.version !== 1) throw new UnsupportedVersionError({ plugin: 'counter', version: snapshot.version, expected: [1] });
    count = Number(new TextDecoder().decode(snapshot.bytes)) || 0;
  },
  get count() {
    return count;
  },
};
