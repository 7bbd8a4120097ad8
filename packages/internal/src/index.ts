export { describeValue } from './describe-value.js';
export { assertLockKey, assertTtlMs, assertLockHandle } from './validate-lock-args.js';
export { redactSecrets } from './redact-secrets.js';
export { errorDetails, errorText, type ErrorDetails } from './error-text.js';
export { parseServerUrl, showUrl, type ServerUrlRules } from './server-url.js';
export { consoleLogger, parseLogLevel, resolveLogLevel, LOG_LEVELS, type LogLevel } from './console-logger.js';
export { settleWithin, type SettleWithinOptions } from './settle-within.js';
export { urlSecrets } from './url-secrets.js';
export { scrubbedCause } from './scrubbed-cause.js';
