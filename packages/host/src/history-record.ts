import { createHash } from 'node:crypto';
import { RUN_RECORD_SKIP_REASONS, type RunRecord, type RunRecordSkipReason } from '@belfry/plugin-api';
import { MAX_NAME_LENGTH, MAX_RUN_ERROR_LENGTH, MAX_RUN_METRICS, redactSecrets } from '@belfry/internal';
import type { RunRecord as LoggedRun } from './run-log.js';

/**
 * The id of one firing's record: the same node, occurrence and start always
 * give the same id, so a record appended twice (a retry after a lost reply)
 * is stored once, while runs of one occurrence on different nodes, a
 * catch-up and a manual run of the same instant stay apart. The nominal time
 * comes first so ids read in occurrence order.
 */
function historyRunId(run: Pick<LoggedRun, 'nodeId' | 'plugin' | 'scheduleId' | 'scheduledAt' | 'isCatchup' | 'startedAt'> & { manual: boolean }): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([run.nodeId, run.plugin, run.scheduleId, run.scheduledAt, run.isCatchup, run.manual, run.startedAt]))
    .digest('hex')
    .slice(0, 32);
  return `${run.scheduledAt}-${digest}`;
}

const isSkipReason = (reason: string | undefined): reason is RunRecordSkipReason => (RUN_RECORD_SKIP_REASONS as readonly (string | undefined)[]).includes(reason);

/** Whole, non-negative milliseconds: a store keeps integers. */
const wholeMs = (ms: number): number => (Number.isFinite(ms) ? Math.max(0, Math.round(ms)) : 0);

/** At most {@link MAX_RUN_METRICS} finite metrics with usable names, in the order the tick gave them. */
function keptMetrics(metrics: Record<string, number> | undefined): Record<string, number> | undefined {
  if (metrics === undefined) return undefined;
  const kept = Object.entries(metrics)
    // A name a store would refuse (control characters, too long) would lose the whole record.
    .filter(([name, value]) => name.length > 0 && name.length <= MAX_NAME_LENGTH && !/[\u0000-\u001f\u007f]/.test(name) && typeof value === 'number' && Number.isFinite(value))
    .slice(0, MAX_RUN_METRICS);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}

/**
 * A run as this node's run log has it, turned into the cluster's
 * {@link RunRecord}: passwords redacted from the error text (which may quote
 * a connection URL), the text cut to what a store keeps, durations whole,
 * and tick metrics kept when the run carries them.
 */
export function historyRecord(run: LoggedRun, secrets: readonly string[] = []): RunRecord {
  const manual = run.manual === true;
  const record: RunRecord = {
    id: historyRunId({ ...run, manual }),
    plugin: run.plugin,
    scheduleId: run.scheduleId,
    scheduledAt: wholeMs(run.scheduledAt),
    nodeId: run.nodeId,
    locking: run.locking,
    outcome: run.outcome,
    startedAt: wholeMs(run.startedAt),
    durationMs: run.outcome === 'skipped' ? 0 : wholeMs(run.durationMs),
    isCatchup: run.isCatchup,
    manual,
  };
  // A reason outside the history's vocabulary is left out: the recorder's check then refuses the record by name.
  if (run.outcome === 'skipped' && isSkipReason(run.reason)) record.skipReason = run.reason;
  if (run.fence !== undefined && Number.isSafeInteger(run.fence) && run.fence >= 0) record.fence = run.fence;
  if (run.error !== undefined && run.outcome !== 'success') record.error = redactSecrets(run.error, secrets).slice(0, MAX_RUN_ERROR_LENGTH);
  const metrics = keptMetrics((run as { metrics?: Record<string, number> }).metrics);
  if (metrics !== undefined) record.metrics = metrics;
  return record;
}
