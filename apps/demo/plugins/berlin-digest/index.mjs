export default {
  async run(ctx) {
    const local = new Date(ctx.scheduledAt).toLocaleString('en-GB', { timeZone: 'Europe/Berlin' });
    if (ctx.isCatchup) console.log(`berlin_digest: catching up ${ctx.scheduleId} for ${local}`);
  },
};
