// What a hand-made `worker_threads` sandbox runs: the echo tick over postMessage.
import { parentPort } from 'node:worker_threads';

const echo = (tick) => ({ cursor: { n: (tick.cursor?.n ?? 0) + 1 }, metrics: { n: 1 } });

parentPort.on('message', ({ id, tick }) => parentPort.postMessage({ id, result: echo(tick) }));
parentPort.postMessage({ ready: true });
