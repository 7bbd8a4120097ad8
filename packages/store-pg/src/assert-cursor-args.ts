// The memory and file stores' argument checks, shared so every cursor store
// words its errors the same way; to move to @belfry/internal.
export { assertCursor, assertFence, assertJobId } from '../../poller/src/cursor/assert-cursor-args.js';
