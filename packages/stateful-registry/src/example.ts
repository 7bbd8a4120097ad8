export { CounterPlugin } from './counter-plugin.js';
export type { CounterPluginOptions } from './counter-plugin.js';
