// A factory export: the host calls it with the plugin's id, settings and logger.
export default ({ config, logger }) => ({
  priority: 10,
  onServerStart() {
    logger.info(`audit_log: ${config.greeting ?? 'host started'}`);
  },
  onServerStop() {
    logger.info('audit_log: host stopping');
  },
});
