export { servePoller, type ServePollerOptions, type PollerServer } from './serve-poller.js';
export type { PollerHandler, PollerTickContext } from './poller-handler.js';
export type { TickAck, TickParams } from '../protocol/messages.js';
