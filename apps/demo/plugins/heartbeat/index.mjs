// Runs once per occurrence across the cluster; the fence proves which holder ran it.
export default {
  async run(ctx) {
    await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 300));
    if (ctx.signal.aborted) throw new Error('aborted');
  },
};
