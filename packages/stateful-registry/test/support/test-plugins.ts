import { UnsupportedVersionError, type StatefulPlugin, type StatefulSnapshot } from '@belfry/plugin-api';
import { MemorySnapshotStore } from '../../src/index.js';

/** A plugin whose snapshot() does whatever the test says. */
export function pluginWith(id: string, snapshot: () => unknown, restoreSnapshot?: (s: StatefulSnapshot) => unknown): StatefulPlugin {
  return {
    id,
    snapshot: snapshot as StatefulPlugin['snapshot'],
    ...(restoreSnapshot === undefined ? {} : { restoreSnapshot: restoreSnapshot as StatefulPlugin['restoreSnapshot'] }),
  };
}

/** A plugin that keeps text as its state and reads only version 1. */
export class TextPlugin implements StatefulPlugin {
  text = '';
  restored: StatefulSnapshot[] = [];

  constructor(readonly id: string) {}

  snapshot(): StatefulSnapshot {
    return { id: this.id, version: 1, bytes: new TextEncoder().encode(this.text) };
  }

  restoreSnapshot(snapshot: StatefulSnapshot): void {
    if (snapshot.version !== 1) throw new UnsupportedVersionError({ plugin: this.id, version: snapshot.version, expected: [1] });
    this.restored.push(snapshot);
    this.text = new TextDecoder().decode(snapshot.bytes);
  }
}

/** A real memory store whose save or load fails for chosen ids, as a broken disk would. */
export class FailingStore extends MemorySnapshotStore {
  constructor(private readonly failing: { save?: string[]; load?: string[]; delete?: string[] }) {
    super();
  }

  override async save(snapshot: StatefulSnapshot): Promise<void> {
    if (this.failing.save?.includes(snapshot.id)) throw new Error(`disk full while saving ${snapshot.id}`);
    return super.save(snapshot);
  }

  override async load(id: string): Promise<StatefulSnapshot | null> {
    if (this.failing.load?.includes(id)) throw new Error(`I/O error reading ${id}`);
    return super.load(id);
  }

  override async delete(id: string): Promise<void> {
    if (this.failing.delete?.includes(id)) throw new Error(`read-only file system deleting ${id}`);
    return super.delete(id);
  }
}

/** A logger that keeps what it was told. */
export function recordingLogger(): { lines: { level: string; message: string; fields?: Record<string, unknown> }[] } & Record<
  'info' | 'warn' | 'error' | 'debug',
  (message: string, fields?: Record<string, unknown>) => void
> {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug') };
}
