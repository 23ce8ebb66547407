// A controller from .properties values plus overrides, for tests, benchmarks and the standalone
// entry. Unknown keys are logged as warnings, RocketMQ keys without effect at info level; an
// invalid value throws ConfigError naming the key.

import { createLogger } from '@apogee/common';
import type { MessageStore } from '@apogee/store';
import { BrokerController, type BrokerControllerOptions } from './broker-controller.js';
import type { BrokerConfigOverrides } from './config/broker-config.js';
import { type LoadBrokerConfigOptions, loadBrokerConfig } from './config/load-broker-config.js';

export function createBrokerController(
  values: ReadonlyMap<string, string>,
  overrides: BrokerConfigOverrides = {},
  options: BrokerControllerOptions<MessageStore> & LoadBrokerConfigOptions = {},
): BrokerController<MessageStore> {
  const loaded = loadBrokerConfig(values, overrides, options);
  const log = options.logger ?? createLogger('broker');
  if (loaded.unknownKeys.length > 0) log.warn({ unknownKeys: loaded.unknownKeys }, 'unknown broker config keys ignored');
  if (loaded.ignoredKeys.length > 0) log.info({ ignoredKeys: loaded.ignoredKeys }, 'RocketMQ config keys without effect in Apogee');
  return new BrokerController(loaded, { ...options, logger: log });
}
