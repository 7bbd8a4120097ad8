import { BelfryError, type Clock } from '@belfry/plugin-api';
import type { TickParams } from '../protocol/messages.js';

/** A tick whose deadline came while it waited for a slot or a process is never sent: the poller could not finish it anyway. */
export function assertTimeLeft(params: TickParams, clock: Clock, waitedFor: string): void {
  if (clock.now() >= params.deadline) {
    throw new BelfryError('poller_timeout', `the tick waited for ${waitedFor} until its deadline and was not sent`);
  }
}
