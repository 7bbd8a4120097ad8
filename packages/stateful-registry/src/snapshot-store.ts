// The interfaces live in @belfry/plugin-api beside the other cluster stores; re-exported here, where they always were.
export type { SnapshotStore, FencedSnapshotStore, FencedSnapshot, SnapshotSaveResult } from '@belfry/plugin-api';
