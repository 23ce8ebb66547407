// Public API of @apogee/standalone.
export { Standalone, type StandaloneConfig, type StandaloneOptions, STANDALONE_DEFAULTS, standaloneConfigFromEnv, startStandalone } from './standalone.js';
