// Node-local: every node samples itself.
export const samples = [];

export default {
  run() {
    samples.push({ at: Date.now(), rss: process.memoryUsage().rss });
    if (samples.length > 100) samples.shift();
  },
};
