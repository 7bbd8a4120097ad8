import { check } from '../../core/check.js';
import type { TickParams } from '@belfry/plugin-api';
import type { PollerContext } from '../poller-context.js';
import type { PollerSession, RpcReply } from '../poller-session.js';
import { tickAckProblem } from '../tick-ack-problem.js';

/** Sends a tick and fails the rule unless it is answered with a TickAck; returns the TickAck's cursor. */
export async function mustAck(context: PollerContext, session: PollerSession, params: TickParams, step: string): Promise<unknown> {
  const reply = await context.tick(session, params);
  check('result' in reply, `${step}: the ${params.kind} tick was answered with JSON-RPC error ${errorOf(reply)}${session.stderrHint()}`);
  const problem = tickAckProblem(reply.result);
  check(problem === null, `${step}: the ${params.kind} tick's reply is not a TickAck: ${problem}`);
  return (reply.result as { cursor: unknown }).cursor;
}

/** An error reply as it reads in a failure reason. */
export function errorOf(reply: RpcReply): string {
  return 'error' in reply ? `${reply.error.code} ${JSON.stringify(reply.error.message.slice(0, 200))}` : 'none';
}

/** Runs `step`, ignoring its failure: for rules that watch one property of a whole session. */
export async function attempt(step: () => Promise<unknown>): Promise<void> {
  try {
    await step();
  } catch {
    // Another rule reports it.
  }
}
