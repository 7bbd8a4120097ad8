// Saves snapshots of one id in a tight loop until killed, printing each step
// once its save has resolved. Resumes from whatever the folder holds.
import { FileSnapshotStore } from '../../dist/index.js';
import { payloadFor, stepOf } from './crash-payload.mjs';

const silent = { info() {}, warn() {}, error() {} };
const store = new FileSnapshotStore({ dir: process.argv[2], logger: silent });
const loaded = await store.load('crash');
let seq = loaded === null ? 0 : stepOf(loaded).seq;
if (seq === undefined) throw new Error('the crash writer found a broken snapshot');
process.stdout.write(`ready ${seq}\n`);
for (;;) {
  seq += 1;
  await store.save(payloadFor(seq));
  process.stdout.write(`saved ${seq}\n`);
}
