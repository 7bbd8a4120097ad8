/** Sends `signal` to every process of the group led by `pid`; a group that is gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EPERM') return true;
    return false;
  }
}
