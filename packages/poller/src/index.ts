export { PollerRuntime, type PollerRuntimeOptions } from './poller-runtime.js';
export type { PollerPluginConfig, PollerSection, PollerLifecycle } from './poller-plugin.js';
export { POLLER_LIFECYCLES } from './poller-plugin.js';
export type { TickRequest, TickResult, TickOutcome } from './tick-request.js';
export type { CursorStore, StoredCursor, CursorSaveResult } from '@belfry/plugin-api';
export { MemoryCursorStore } from './cursor/memory-cursor-store.js';
export { FileCursorStore, type FileCursorStoreOptions } from './cursor/file-cursor-store.js';
export type { TickAck, TickParams, InitializeParams, InitializeResult } from './protocol/messages.js';
