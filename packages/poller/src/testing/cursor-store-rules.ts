// The cursor store rules live in @belfry/conformance; this file keeps older imports by path working.
import { cursorStoreRules, cursorStoreSuite as conformanceCursorStoreSuite, type CursorStoreConformance, type TestApi } from '@belfry/conformance';
import type { CursorStore } from '@belfry/plugin-api';

export { cursorStoreRules };

/** The target shape this file took before the suite moved: `{ name, create, reopen?, destroy? }`. */
export interface CursorStoreTarget {
  name: string;
  create(): CursorStore | Promise<CursorStore>;
  reopen?(store: CursorStore): CursorStore | Promise<CursorStore>;
  destroy?(store: CursorStore): void | Promise<void>;
}

/** `cursorStoreSuite` of @belfry/conformance, also taking the older target shape (persistent when it has `reopen`). */
export function cursorStoreSuite(api: TestApi, target: CursorStoreTarget | CursorStoreConformance): void {
  if ('factory' in target) {
    conformanceCursorStoreSuite(api, target);
    return;
  }
  const { name, create, reopen, destroy } = target;
  const factory = { create, ...(reopen === undefined ? {} : { reopen }), ...(destroy === undefined ? {} : { destroy }) };
  conformanceCursorStoreSuite(api, { name, factory, capabilities: { persistent: reopen !== undefined } });
}
