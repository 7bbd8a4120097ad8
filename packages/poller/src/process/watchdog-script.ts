/**
 * The program every poller is started through (`node -e <this> <command> <args…>`).
 * It runs the poller as its child with the same stdin/stdout/stderr, and
 * watches fd 3, a pipe whose other end only the host holds: when the host
 * dies, even by SIGKILL, the pipe closes and the watchdog SIGKILLs its whole
 * process group (the poller and anything the poller started). It exits as
 * its child does, ignores SIGTERM itself (the group signal reaches the child)
 * and holds no state, so it works for a poller in any language.
 */
export const WATCHDOG_SCRIPT = `
const { spawn } = require('node:child_process');
const net = require('node:net');
const [command, ...args] = process.argv.slice(1);
const killGroup = () => { try { process.kill(-process.pid, 'SIGKILL'); } catch {} process.exit(137); };
const host = new net.Socket({ fd: 3, readable: true, writable: false });
host.on('data', () => {});
host.on('end', killGroup);
host.on('close', killGroup);
host.on('error', killGroup);
process.on('SIGTERM', () => {});
process.on('SIGINT', () => {});
const child = spawn(command, args, { stdio: 'inherit' });
child.on('error', (error) => {
  process.stderr.write('cannot start ' + command + ': ' + error.message + '\\n');
  process.exit(127);
});
child.on('exit', (code, signal) => {
  host.removeAllListeners('close'); host.removeAllListeners('end'); host.destroy();
  process.exit(code ?? (signal === null ? 1 : 128 + (require('node:os').constants.signals[signal] ?? 0)));
});
`;
