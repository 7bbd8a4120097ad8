export { encodeEnvelope } from './encode-envelope.js';
export { decodeEnvelope } from './decode-envelope.js';
export type { DecodedEnvelope } from './decode-envelope.js';
export { ENVELOPE } from './envelope.js';
