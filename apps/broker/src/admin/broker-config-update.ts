// UPDATE_BROKER_CONFIG (25): which keys may change while the broker runs, and turning a
// properties body into the next BrokerConfig. RocketMQ sets any field by reflection and refuses
// only its black list (brokerConfigPath, rocketmqHome, configBlackList) with NO_PERMISSION. Apogee
// wires most settings into its components at start-up, so only keys that are read again on
// every request are accepted; every other key is refused with NO_PERMISSION and a remark that
// says why, and nothing is applied unless every key of the body is acceptable.

import { ConfigError, loadConfig, parseJavaProperties } from '@apogee/common';
import { ResponseCode } from '@apogee/remoting';
import { BROKER_CONFIG_SCHEMA, IGNORED_ROCKETMQ_KEYS, type BrokerConfig } from '../config/broker-config.js';
import { BROKER_CONFIG_BODY_BYTES_MAX } from './admin-limits.js';

/**
 * Keys the send, pull, client-manage and registration paths read from the live config on every
 * request (through `brokerConfig`), so a new value takes effect at once.
 */
export const RUNTIME_CHANGEABLE_KEYS: ReadonlySet<string> = new Set<keyof BrokerConfig>([
  'brokerPermission', 'regionId', 'traceOn', 'defaultTopicQueueNums', 'notifyConsumerIdsChangedEnable',
  'longPollingEnable', 'shortPollingTimeMills', 'useServerSideResetOffset', 'slaveReadEnable', 'enablePropertyFilter',
  'rejectTransactionMessage',
]);

/** RocketMQ's configBlackList defaults: never changed remotely. */
const BLACK_LIST: ReadonlySet<string> = new Set(['brokerConfigPath', 'rocketmqHome', 'configBlackList']);

const BROKER_KEYS: ReadonlySet<string> = new Set(BROKER_CONFIG_SCHEMA.map((entry) => entry.key));

export type BrokerConfigUpdate =
  | { ok: true; config: BrokerConfig; changed: ReadonlyMap<string, string> }
  | { ok: false; code: number; remark: string };

/** The config after applying the `key=value` body to `current`, or why nothing was applied. */
export function applyBrokerConfigUpdate(current: BrokerConfig, body: Buffer | undefined): BrokerConfigUpdate {
  if (body === undefined || body.length === 0) return { ok: true, config: current, changed: new Map() };
  if (body.length > BROKER_CONFIG_BODY_BYTES_MAX) {
    return { ok: false, code: ResponseCode.SYSTEM_ERROR, remark: `config body of ${body.length} bytes exceeds ${BROKER_CONFIG_BODY_BYTES_MAX}` };
  }
  let values: Map<string, string>;
  try {
    values = parseJavaProperties(body.toString('utf8'));
  } catch (err) {
    return { ok: false, code: ResponseCode.SYSTEM_ERROR, remark: `config body is not properties text: ${(err as Error).message}` };
  }
  for (const key of values.keys()) {
    const refusal = refusalOf(key);
    if (refusal !== undefined) return { ok: false, code: ResponseCode.NO_PERMISSION, remark: refusal };
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = loadConfig(BROKER_CONFIG_SCHEMA, values).config as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, code: ResponseCode.INVALID_PARAMETER, remark: `broker config not updated: ${err.message}` };
    throw err;
  }
  const next: Record<string, unknown> = { ...current };
  for (const key of values.keys()) next[key] = parsed[key];
  return { ok: true, config: Object.freeze(next) as BrokerConfig, changed: values };
}

/** Why `key` may not be changed remotely, or undefined when it may. */
export function refusalOf(key: string): string | undefined {
  if (RUNTIME_CHANGEABLE_KEYS.has(key)) return undefined;
  if (BLACK_LIST.has(key)) return `Can not update config in black list: ${key}`;
  if (BROKER_KEYS.has(key)) return `${key} is read once at start-up in Apogee; change it in the broker config file and restart`;
  if (IGNORED_ROCKETMQ_KEYS.has(key)) return `${key} has no effect in Apogee`;
  return `${key} is not a broker config key Apogee can change at runtime (store keys and unknown keys are refused)`;
}
