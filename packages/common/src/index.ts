export { ApogeeError, InvariantError, InvalidArgumentError, assert } from './errors.js';
export { KiB, MiB, GiB } from './units.js';
export { createLogger, type Logger } from './logger.js';
