import { InvalidArgumentError, RestoreFailedError, UnsupportedVersionError, type StatefulPlugin, type StatefulSnapshot } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { assertPluginId } from './assert-plugin-id.js';

/** Options of {@link CounterPlugin}. */
export interface CounterPluginOptions {
  /** Plugin id. Default: `'counter'`. */
  id?: string;
}

/**
 * A minimal stateful plugin: a counter that survives restarts. Its snapshot
 * (version 2) is the count as an unsigned 64-bit big-endian integer; it still
 * reads version 1 (a 32-bit count). Useful as a template and in tests.
 */
export class CounterPlugin implements StatefulPlugin {
  /** The snapshot format this plugin writes. */
  static readonly VERSION = 2;
  /** Every snapshot format this plugin reads. */
  static readonly READS: readonly number[] = [1, 2];
  readonly id: string;
  #count = 0;

  constructor(options: CounterPluginOptions = {}) {
    const id = options.id ?? 'counter';
    assertPluginId(id, 'CounterPlugin');
    this.id = id;
  }

  /** The current count. */
  get count(): number {
    return this.#count;
  }

  /** Adds `by` (a non-negative safe integer, default 1) to the count. */
  increment(by = 1): number {
    if (!Number.isSafeInteger(by) || by < 0 || !Number.isSafeInteger(this.#count + by)) {
      throw new InvalidArgumentError(`CounterPlugin.increment: by must be a non-negative integer keeping the count safe, got ${describeValue(by)}`);
    }
    this.#count += by;
    return this.#count;
  }

  snapshot(): StatefulSnapshot {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(this.#count));
    return { id: this.id, version: CounterPlugin.VERSION, bytes };
  }

  restoreSnapshot(snapshot: StatefulSnapshot): void {
    if (!CounterPlugin.READS.includes(snapshot.version)) {
      throw new UnsupportedVersionError({ plugin: this.id, version: snapshot.version, expected: [...CounterPlugin.READS] });
    }
    const width = snapshot.version === 1 ? 4 : 8;
    if (snapshot.bytes.length !== width) {
      throw new RestoreFailedError(this.id, `version ${snapshot.version} holds ${width} bytes, got ${snapshot.bytes.length}`);
    }
    const view = new DataView(snapshot.bytes.buffer, snapshot.bytes.byteOffset, width);
    const count = width === 4 ? view.getUint32(0) : Number(view.getBigUint64(0));
    if (!Number.isSafeInteger(count)) throw new RestoreFailedError(this.id, `count ${count} is beyond the safe integer range`);
    this.#count = count;
  }
}
