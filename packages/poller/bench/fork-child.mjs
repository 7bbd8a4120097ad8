// What a hand-made `child_process.fork` sandbox runs: the echo tick over Node's IPC channel.
const echo = (tick) => ({ cursor: { n: (tick.cursor?.n ?? 0) + 1 }, metrics: { n: 1 } });

process.on('message', ({ id, tick }) => process.send({ id, result: echo(tick) }));
// Tells the parent it is listening, as a sandbox's ready message would.
process.send({ ready: true });
