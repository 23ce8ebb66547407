// NameServer configuration schema: RocketMQ's NamesrvConfig / NettyServerConfig key names.

import { type ConfigKey, type ConfigOf } from '@apogee/common';

export const NAMESRV_CONFIG_SCHEMA = [
  { key: 'listenPort', type: 'int', default: 9876, min: 0, max: 65535, doc: 'remoting port' },
  { key: 'listenAddress', type: 'string', default: '127.0.0.1', doc: 'address to bind (Apogee-only; loopback by default)' },
  { key: 'rocketmqHome', type: 'string', default: '', doc: 'RocketMQ home; kvConfigPath defaults under the user home when empty' },
  { key: 'kvConfigPath', type: 'string', default: '', doc: 'KV config file; empty = <home>/namesrv/kvConfig.json' },
  { key: 'orderMessageEnable', type: 'bool', default: false, doc: 'put ORDER_TOPIC_CONFIG into routes' },
  { key: 'scanNotActiveBrokerInterval', type: 'int', default: 5_000, min: 100, unit: 'ms', doc: 'how often silent brokers are expired' },
  { key: 'enableAllTopicList', type: 'bool', default: true, doc: 'answer GET_ALL_TOPIC_LIST_FROM_NAMESERVER' },
  { key: 'enableTopicList', type: 'bool', default: true, doc: 'answer topic-list requests by cluster / unit' },
  { key: 'returnOrderTopicConfigToBroker', type: 'bool', default: true, doc: 'send ORDER_TOPIC_CONFIG back in the register response' },
  { key: 'deleteTopicWithBrokerRegistration', type: 'bool', default: false, doc: 'drop topics a master no longer lists' },
  { key: 'serverChannelMaxIdleTimeSeconds', type: 'int', default: 120, min: 1, unit: 's', doc: 'idle connections are closed after this' },
] as const satisfies readonly ConfigKey[];

export type NamesrvConfig = ConfigOf<typeof NAMESRV_CONFIG_SCHEMA>;
