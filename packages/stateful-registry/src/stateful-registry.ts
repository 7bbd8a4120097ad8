import { InvalidArgumentError, type StatefulPlugin } from '@belfry/plugin-api';
import { describeValue } from '@belfry/internal';
import { assertPluginId } from './assert-plugin-id.js';

/** Options of {@link StatefulRegistry.register}. */
export interface RegisterOptions {
  /**
   * Where this registration comes from, e.g. a manifest path or package name;
   * named in the error when another registration claims the same id.
   * Default: `"<constructor name> (registration #<n>)"`.
   */
  source?: string;
}

interface Registration {
  plugin: StatefulPlugin;
  source: string;
}

/**
 * The host's stateful plugins, by id, in registration order. Ids must match
 * `PLUGIN_ID_PATTERN` and be unique: a second plugin with a taken id is
 * refused, naming both registrations.
 */
export class StatefulRegistry {
  readonly #plugins = new Map<string, Registration>();
  #registrations = 0;

  /** Adds `plugin`. Throws `invalid_argument` for a malformed plugin or a taken id. */
  register(plugin: StatefulPlugin, options: RegisterOptions = {}): void {
    if (typeof plugin !== 'object' || plugin === null) {
      throw new InvalidArgumentError(`StatefulRegistry.register: plugin must be an object with id and snapshot(), got ${describeValue(plugin)}`);
    }
    assertPluginId(plugin.id, 'StatefulRegistry.register');
    if (typeof plugin.snapshot !== 'function') {
      throw new InvalidArgumentError(`StatefulRegistry.register: plugin ${JSON.stringify(plugin.id)} has no snapshot() method (got ${describeValue(plugin.snapshot)})`);
    }
    if (plugin.restoreSnapshot !== undefined && typeof plugin.restoreSnapshot !== 'function') {
      throw new InvalidArgumentError(
        `StatefulRegistry.register: plugin ${JSON.stringify(plugin.id)} restoreSnapshot must be a function or absent (got ${describeValue(plugin.restoreSnapshot)})`,
      );
    }
    if (typeof options !== 'object' || options === null) {
      throw new InvalidArgumentError(`StatefulRegistry.register: options must be an object { source? }, got ${describeValue(options)}`);
    }
    if (options.source !== undefined && (typeof options.source !== 'string' || options.source.length === 0)) {
      throw new InvalidArgumentError(`StatefulRegistry.register: options.source must be a non-empty string, got ${describeValue(options.source)}`);
    }
    this.#registrations += 1;
    const source = options.source ?? `${plugin.constructor?.name || 'Object'} (registration #${this.#registrations})`;
    const existing = this.#plugins.get(plugin.id);
    if (existing !== undefined) {
      throw new InvalidArgumentError(
        `StatefulRegistry.register: plugin id ${JSON.stringify(plugin.id)} is already registered by ${existing.source}; refusing ${source}. Give each stateful plugin its own id.`,
      );
    }
    this.#plugins.set(plugin.id, { plugin, source });
  }

  /** Removes the plugin with `id`; true when one was registered. */
  unregister(id: string): boolean {
    if (typeof id !== 'string') throw new InvalidArgumentError(`StatefulRegistry.unregister: id must be a string, got ${describeValue(id)}`);
    return this.#plugins.delete(id);
  }

  /** The plugin registered under `id`, if any. */
  get(id: string): StatefulPlugin | undefined {
    return this.#plugins.get(id)?.plugin;
  }

  /** True when a plugin is registered under `id`. */
  has(id: string): boolean {
    return this.#plugins.has(id);
  }

  /** Every registered plugin, in registration order. */
  list(): StatefulPlugin[] {
    return [...this.#plugins.values()].map((registration) => registration.plugin);
  }

  /** Every registered id, in registration order. */
  ids(): string[] {
    return [...this.#plugins.keys()];
  }
}
