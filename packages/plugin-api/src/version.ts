/**
 * The version of the plugin contract this package describes. Manifests
 * declare a semver range in `api_version`; hosts check it against this.
 */
export const PLUGIN_API_VERSION = '1.0.0';
