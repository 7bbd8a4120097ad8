import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { pollerHarness } from '../poller/poller-harness.js';
import { controlHarness, historyHarness, presenceHarness } from '../cluster-store/cluster-store-suites.js';
import { cursorStoreHarness } from '../cursor-store/cursor-store-harness.js';
import { lockingHarness } from '../locking/locking-harness.js';
import { scheduledHarness } from '../scheduled/scheduled-harness.js';
import { snapshotStoreHarness } from '../snapshot-store/snapshot-store-harness.js';
import { statefulHarness } from '../stateful/stateful-harness.js';
import type { ConformanceTarget } from '../target.js';

const SECTIONS = ['locking', 'stateful', 'snapshotStore', 'scheduledPlugin', 'cursorStore', 'runHistory', 'presence', 'control', 'poller'] as const;
/** Sections whose suites take no capabilities: every rule applies. */
const WITHOUT_CAPABILITIES = new Set<string>(['locking', 'runHistory', 'presence', 'control']);

/** Imports a conformance module and checks that its default export is a target or a list of them. */
export async function loadTargets(modulePath: string, cwd: string): Promise<ConformanceTarget[]> {
  const absolute = resolve(cwd, modulePath);
  if (!existsSync(absolute)) throw new Error(`${modulePath}: no such file`);
  const loaded = (await import(pathToFileURL(absolute).href)) as { default?: unknown };
  const exported = loaded.default;
  const targets = Array.isArray(exported) ? exported : [exported];
  if (exported === undefined || targets.length === 0) {
    throw new Error(`${modulePath}: the module has no default export; export a conformance target (see the @belfry/conformance README)`);
  }
  return targets.map((target: unknown, index) => {
    const where = Array.isArray(exported) ? `${modulePath} [${index}]` : modulePath;
    if (typeof target !== 'object' || target === null || typeof (target as { name?: unknown }).name !== 'string') {
      throw new Error(`${where}: a target must be an object with a "name" string`);
    }
    let checked = target as ConformanceTarget;
    if (SECTIONS.every((section) => checked[section] === undefined)) {
      throw new Error(`${where}: target "${checked.name}" has no suite section (one of ${SECTIONS.map((section) => `"${section}"`).join(', ')})`);
    }
    if (checked.poller !== undefined) {
      const folder = (checked.poller as { folder?: unknown } | null)?.folder;
      if (typeof folder !== 'string' || folder === '') throw new Error(`${where}: poller.folder must be the plugin folder's path`);
      // A relative folder is taken from where the CLI runs, like the module paths.
      checked = { ...checked, poller: { ...checked.poller, folder: resolve(cwd, folder) } };
    }
    for (const section of SECTIONS) {
      if (section === 'poller') continue;
      const value = checked[section] as { factory?: { create?: unknown; change?: unknown }; capabilities?: unknown } | undefined;
      if (value === undefined) continue;
      if (typeof value !== 'object' || value === null) throw new Error(`${where}: ${section} must be an object { factory, capabilities }`);
      if (typeof value.factory?.create !== 'function') throw new Error(`${where}: ${section}.factory.create must be a function`);
      if (section === 'stateful' && typeof value.factory.change !== 'function') {
        throw new Error(`${where}: stateful.factory.change must be a function that changes the plugin's state`);
      }
      if (!WITHOUT_CAPABILITIES.has(section) && (typeof value.capabilities !== 'object' || value.capabilities === null)) {
        const examples: Record<string, string> = { locking: '{ fences: true }', stateful: '{ restore: true }', snapshotStore: '{ persistent: true }', scheduledPlugin: '{ runs: true }', cursorStore: '{ persistent: true }' };
        const example = examples[section];
        throw new Error(`${where}: ${section}.capabilities must be an object, e.g. ${example}`);
      }
    }
    try {
      checkDeclarations(checked);
    } catch (error) {
      throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return checked;
  });
}

/** Builds each suite's harness, which checks the declarations (unknown capabilities, missing factory functions) without creating anything. */
function checkDeclarations(target: ConformanceTarget): void {
  const { name } = target;
  if (target.locking !== undefined) lockingHarness({ ...target.locking, name });
  if (target.stateful !== undefined) statefulHarness({ ...target.stateful, name });
  if (target.snapshotStore !== undefined) snapshotStoreHarness({ ...target.snapshotStore, name });
  if (target.scheduledPlugin !== undefined) scheduledHarness({ ...target.scheduledPlugin, name });
  if (target.cursorStore !== undefined) cursorStoreHarness({ ...target.cursorStore, name });
  if (target.runHistory !== undefined) historyHarness({ ...target.runHistory, name });
  if (target.presence !== undefined) presenceHarness({ ...target.presence, name });
  if (target.control !== undefined) controlHarness({ ...target.control, name });
  if (target.poller !== undefined) pollerHarness({ ...target.poller, name });
}
