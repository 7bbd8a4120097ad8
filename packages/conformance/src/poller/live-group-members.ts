import { readdirSync, readFileSync } from 'node:fs';

/**
 * The running processes of process group `pgid`. On Linux it reads /proc,
 * so a zombie nobody reaped yet does not count; elsewhere it can only tell
 * whether the group still has a member, and answers `[pgid]` for any.
 */
export function liveGroupMembers(pgid: number): number[] {
  if (pgid <= 0) return [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const members: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after "(comm)": state, ppid, pgrp, …
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') members.push(Number(entry));
    } catch {
      // The process left while we looked.
    }
  }
  return members;
}
