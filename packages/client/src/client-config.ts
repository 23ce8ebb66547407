// Options every client (producer, consumer, admin) shares, RocketMQ's ClientConfig. Clients with
// the same client id (`clientIP@instanceName`) share one MQClientInstance, and the first one to
// start fixes the instance's settings (NameServers, timers, credentials), as in Java.

import { networkInterfaces } from 'node:os';
import { type Clock, InvalidArgumentError, type Logger, createLogger, systemClock } from '@apogee/common';
import { AclClientRPCHook, DEFAULT_CLIENT_SERIALIZE_TYPE, type RPCHook, type SerializeType, type SessionCredentials } from '@apogee/remoting';

/** The instance name that stands for "make one up": `<pid>#<ns since some start>` (5.x). */
export const DEFAULT_INSTANCE_NAME = 'DEFAULT';

export interface ClientConfigOptions {
  /** NameServer addresses, `host:port;host:port`. Default: env NAMESRV_ADDR. */
  readonly namesrvAddr?: string;
  /** This client's IP in its client id. Default: the first non-loopback IPv4 (else 127.0.0.1). */
  readonly clientIP?: string;
  /** Default 'DEFAULT', replaced by `<pid>#<hrtime ns>` so that each client gets its own instance. */
  readonly instanceName?: string;
  /** Appended to the client id (`ip@instance@unitName`) when set. */
  readonly unitName?: string;
  /** Topics and groups travel as `namespace%name`. Default none. */
  readonly namespace?: string;
  /** ACL 1.0 credentials: requests are signed with an AclClientRPCHook. */
  readonly credentials?: SessionCredentials;
  /** Any other hook run before each request and after each response (overrides credentials). */
  readonly rpcHook?: RPCHook;
  /** Header encoding of requests. Default ROCKETMQ (binary; accepted by RocketMQ 4.9 and 5.x brokers, faster than JSON). */
  readonly serializeType?: SerializeType;
  /** Route refresh period (pollNameServerInterval), ms. Default 30_000. */
  readonly pollNameServerIntervalMs?: number;
  /** Heartbeat period (heartbeatBrokerInterval), ms. Default 30_000. */
  readonly heartbeatBrokerIntervalMs?: number;
  /** Consumer offset persist period (persistConsumerOffsetInterval), ms. Default 5_000. */
  readonly persistConsumerOffsetIntervalMs?: number;
  /** Timeout of NameServer and admin-style broker calls (mqClientApiTimeout), ms. Default 3_000. */
  readonly mqClientApiTimeoutMs?: number;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

/** ClientConfigOptions with every default applied. */
export interface ResolvedClientConfig {
  readonly namesrvAddrs: readonly string[];
  readonly clientIP: string;
  readonly instanceName: string;
  readonly unitName: string | undefined;
  readonly namespace: string | undefined;
  readonly rpcHook: RPCHook | undefined;
  readonly serializeType: SerializeType;
  readonly pollNameServerIntervalMs: number;
  readonly heartbeatBrokerIntervalMs: number;
  readonly persistConsumerOffsetIntervalMs: number;
  readonly mqClientApiTimeoutMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export const POLL_NAME_SERVER_INTERVAL_MS_DEFAULT = 30_000;
export const HEARTBEAT_BROKER_INTERVAL_MS_DEFAULT = 30_000;
export const PERSIST_CONSUMER_OFFSET_INTERVAL_MS_DEFAULT = 5_000;
export const MQ_CLIENT_API_TIMEOUT_MS_DEFAULT = 3_000;
/** More NameServers than this in one address string is a configuration mistake. */
export const NAMESRV_ADDRS_MAX = 64;

let instanceCounter = 0;

export function resolveClientConfig(options: ClientConfigOptions): ResolvedClientConfig {
  const instanceName = options.instanceName ?? process.env['ROCKETMQ_CLIENT_NAME'] ?? DEFAULT_INSTANCE_NAME;
  return {
    namesrvAddrs: parseNamesrvAddr(options.namesrvAddr ?? process.env['NAMESRV_ADDR'] ?? ''),
    clientIP: options.clientIP ?? localIPv4(),
    instanceName: instanceName === DEFAULT_INSTANCE_NAME ? uniqueInstanceName() : instanceName,
    unitName: options.unitName,
    namespace: options.namespace === '' ? undefined : options.namespace,
    rpcHook: options.rpcHook ?? (options.credentials === undefined ? undefined : new AclClientRPCHook(options.credentials)),
    serializeType: options.serializeType ?? DEFAULT_CLIENT_SERIALIZE_TYPE,
    pollNameServerIntervalMs: positiveMs('pollNameServerIntervalMs', options.pollNameServerIntervalMs ?? POLL_NAME_SERVER_INTERVAL_MS_DEFAULT),
    heartbeatBrokerIntervalMs: positiveMs('heartbeatBrokerIntervalMs', options.heartbeatBrokerIntervalMs ?? HEARTBEAT_BROKER_INTERVAL_MS_DEFAULT),
    persistConsumerOffsetIntervalMs: positiveMs('persistConsumerOffsetIntervalMs', options.persistConsumerOffsetIntervalMs ?? PERSIST_CONSUMER_OFFSET_INTERVAL_MS_DEFAULT),
    mqClientApiTimeoutMs: positiveMs('mqClientApiTimeoutMs', options.mqClientApiTimeoutMs ?? MQ_CLIENT_API_TIMEOUT_MS_DEFAULT),
    clock: options.clock ?? systemClock,
    logger: options.logger ?? createLogger('client'),
  };
}

/** `clientIP@instanceName[@unitName]` (ClientConfig.buildMQClientId). */
export function buildClientId(config: ResolvedClientConfig): string {
  const id = `${config.clientIP}@${config.instanceName}`;
  return config.unitName === undefined || config.unitName === '' ? id : `${id}@${config.unitName}`;
}

/** `host:port;host:port` into a list; blanks dropped. Throws InvalidArgumentError for a malformed entry. */
export function parseNamesrvAddr(text: string): string[] {
  const addrs = text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
  if (addrs.length > NAMESRV_ADDRS_MAX) throw new InvalidArgumentError('namesrvAddr', `${addrs.length} NameServer addresses, more than ${NAMESRV_ADDRS_MAX}`);
  for (const addr of addrs) {
    const colon = addr.lastIndexOf(':');
    const port = Number(addr.slice(colon + 1));
    if (colon <= 0 || !Number.isInteger(port) || port < 1 || port > 65_535) {
      throw new InvalidArgumentError('namesrvAddr', `NameServer address ${JSON.stringify(addr)} is not host:port`);
    }
  }
  return addrs;
}

function positiveMs(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(name, `${name} ${value} must be a positive integer (ms)`);
  return value;
}

function uniqueInstanceName(): string {
  // Java uses System.nanoTime(); a counter keeps two clients made in one tick apart.
  instanceCounter = (instanceCounter + 1) % 1_000_000;
  return `${process.pid}#${process.hrtime.bigint()}${instanceCounter}`;
}

function localIPv4(): string {
  for (const infos of Object.values(networkInterfaces())) {
    for (const info of infos ?? []) if (info.family === 'IPv4' && !info.internal) return info.address;
  }
  return '127.0.0.1';
}
