// Turns one broker .properties file into the broker config (BROKER_CONFIG_SCHEMA) and the store
// config (the store package's MESSAGE_STORE_CONFIG_SCHEMA), the way RocketMQ's BrokerStartup
// feeds one file to BrokerConfig, NettyServerConfig and MessageStoreConfig. A key both schemas
// know goes to both. Then BrokerStartup's cross-checks: namesrvAddr entries must be host:port,
// masters get brokerId 0, a SLAVE needs brokerId >= 1, haListenPort 0 becomes listenPort + 1.

import {
  type ConfigKey, ConfigError, InvalidArgumentError, configToProperties, loadConfig, parseDelayLevels,
} from '@apogee/common';
import {
  MESSAGE_STORE_CONFIG_SCHEMA, createMessageStoreConfig, messageStoreConfigForTest, type MessageStoreConfig,
} from '@apogee/store';
import { BROKER_CONFIG_SCHEMA, IGNORED_ROCKETMQ_KEYS, type BrokerConfig, type BrokerConfigOverrides } from './broker-config.js';
import { parseNamesrvAddr } from './namesrv-addr.js';

export interface LoadedBrokerConfig {
  readonly broker: BrokerConfig;
  readonly store: MessageStoreConfig;
  /** Keys neither schema knows: warn about them. */
  readonly unknownKeys: readonly string[];
  /** RocketMQ keys without effect in Apogee (thread pools, Netty tuning). */
  readonly ignoredKeys: readonly string[];
}

export interface LoadBrokerConfigOptions {
  /** Where NAMESRV_ADDR is read when namesrvAddr is not given; default process.env. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

type StoreRow = (typeof MESSAGE_STORE_CONFIG_SCHEMA)[number];

/** The store rows in the common ConfigKey shape, so one parser handles both files' syntax. */
const STORE_CONFIG_KEYS: readonly ConfigKey[] = MESSAGE_STORE_CONFIG_SCHEMA.map(storeRowToConfigKey);
const BROKER_KEYS: ReadonlySet<string> = new Set(BROKER_CONFIG_SCHEMA.map((entry) => entry.key));
const STORE_KEYS: ReadonlySet<string> = new Set(STORE_CONFIG_KEYS.map((entry) => entry.key));

/**
 * Parses broker .properties values plus code overrides. Throws ConfigError naming the key for an
 * invalid value or an unknown override key; unknown file keys are returned, not thrown.
 */
export function loadBrokerConfig(
  values: ReadonlyMap<string, string>,
  overrides: BrokerConfigOverrides = {},
  options: LoadBrokerConfigOptions = {},
): LoadedBrokerConfig {
  const brokerValues = new Map<string, string>();
  const storeValues = new Map<string, string>();
  const unknownKeys: string[] = [];
  const ignoredKeys: string[] = [];
  for (const [key, value] of values) {
    const known = route(key, value, brokerValues, storeValues);
    if (!known) (IGNORED_ROCKETMQ_KEYS.has(key) ? ignoredKeys : unknownKeys).push(key);
  }
  const brokerOverrides: BrokerConfigOverrides = {};
  const storeOverrides: BrokerConfigOverrides = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!BROKER_KEYS.has(key) && !STORE_KEYS.has(key)) throw new ConfigError(key, `unknown broker config key ${key}`);
    if (BROKER_KEYS.has(key)) brokerOverrides[key] = value;
    if (STORE_KEYS.has(key)) storeOverrides[key] = value;
  }
  const envNamesrv = (options.env ?? process.env)['NAMESRV_ADDR'];
  if (!brokerValues.has('namesrvAddr') && brokerOverrides['namesrvAddr'] === undefined && envNamesrv !== undefined) {
    brokerValues.set('namesrvAddr', envNamesrv);
  }
  const store = loadStoreConfig(storeValues, storeOverrides);
  const broker = checkBrokerConfig(loadConfig(BROKER_CONFIG_SCHEMA, brokerValues, brokerOverrides).config, store);
  return Object.freeze({ broker, store, unknownKeys, ignoredKeys });
}

/**
 * A small profile for tests: ephemeral port, no NameServer unless given, the store package's test
 * sizes (64 KiB commit-log segments, ...) under `dir`. `overrides` may name broker or store keys.
 */
export function brokerConfigForTest(dir: string, overrides: BrokerConfigOverrides = {}): LoadedBrokerConfig {
  const storeProfile: BrokerConfigOverrides = { ...messageStoreConfigForTest(dir) };
  return loadBrokerConfig(new Map(), {
    ...storeProfile,
    listenPort: 0,
    brokerName: 'broker-test',
    namesrvAddr: '',
    ...overrides,
  }, { env: {} });
}

/** `key=value` lines of the effective config, broker keys then store keys (for `mqbroker -p`). */
export function brokerConfigToProperties(loaded: LoadedBrokerConfig): string {
  const storeValues = loaded.store as unknown as Record<string, unknown>;
  const storeLines = STORE_CONFIG_KEYS.filter((entry) => !BROKER_KEYS.has(entry.key)).map((entry) => `${entry.key}=${String(storeValues[entry.key])}`);
  return configToProperties(BROKER_CONFIG_SCHEMA, loaded.broker) + storeLines.join('\n') + '\n';
}

/** The effective HA port: haListenPort, or listenPort + 1 when it is 0 (BrokerStartup's rule). */
export function effectiveHaListenPort(broker: BrokerConfig, boundListenPort: number): number {
  if (broker.haListenPort > 0) return broker.haListenPort;
  return Math.min(boundListenPort + 1, 65_535);
}

function route(key: string, value: string, brokerValues: Map<string, string>, storeValues: Map<string, string>): boolean {
  const isBroker = BROKER_KEYS.has(key);
  const isStore = STORE_KEYS.has(key);
  if (isBroker) brokerValues.set(key, value);
  if (isStore) storeValues.set(key, value);
  return isBroker || isStore;
}

function loadStoreConfig(values: ReadonlyMap<string, string>, overrides: BrokerConfigOverrides): MessageStoreConfig {
  const parsed = loadConfig(STORE_CONFIG_KEYS, values, overrides).config as Record<string, unknown>;
  try {
    return createMessageStoreConfig(parsed as Partial<MessageStoreConfig>);
  } catch (err) {
    if (err instanceof InvalidArgumentError) throw new ConfigError(err.argumentName, err.message);
    throw err;
  }
}

function checkBrokerConfig(loaded: BrokerConfig, store: MessageStoreConfig): BrokerConfig {
  const broker: { -readonly [K in keyof BrokerConfig]: BrokerConfig[K] } = { ...loaded };
  for (const key of ['brokerClusterName', 'brokerName', 'brokerIP1', 'brokerIP2'] as const) {
    if (broker[key].trim() === '') throw new ConfigError(key, `${key} must not be empty`);
  }
  const namesrv = parseNamesrvAddr(broker.namesrvAddr);
  if (!namesrv.ok) throw new ConfigError('namesrvAddr', namesrv.reason);
  if (store.brokerRole === 'SLAVE') {
    if (broker.brokerId < 1) throw new ConfigError('brokerId', `brokerId must be >= 1 for brokerRole SLAVE (got ${broker.brokerId})`);
  } else {
    broker.brokerId = 0;
  }
  if (broker.haListenPort === 0 && broker.listenPort > 0) broker.haListenPort = effectiveHaListenPort(broker, broker.listenPort);
  try {
    parseDelayLevels(broker.messageDelayLevel);
  } catch (err) {
    throw new ConfigError('messageDelayLevel', (err as Error).message);
  }
  return Object.freeze(broker);
}

function storeRowToConfigKey(row: StoreRow): ConfigKey {
  const doc = 'store (MessageStoreConfig)';
  switch (row.type) {
    case 'int':
      return row.max === undefined
        ? { key: row.key, type: 'int', default: row.default, min: row.min, doc }
        : { key: row.key, type: 'int', default: row.default, min: row.min, max: row.max, doc };
    case 'bool':
      return { key: row.key, type: 'bool', default: row.default, doc };
    case 'string':
      return { key: row.key, type: 'string', default: row.default, doc };
    case 'enum':
      return { key: row.key, type: 'enum', values: row.values, default: row.default, doc };
  }
}
