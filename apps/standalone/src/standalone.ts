// A NameServer and one master broker in one process, for trying Apogee out and for local
// development. Embedded defaults: NameServer 127.0.0.1:9876, broker "broker-a" on
// 127.0.0.1:10911, data under ./data (NameServer KV config in <data>/namesrv, broker store and
// config files in <data>/broker-a). Environment overrides:
//   APOGEE_DATA_DIR      data directory
//   APOGEE_HOST          address both servers bind and advertise (loopback by default)
//   APOGEE_NAMESRV_PORT  NameServer port (0 = ephemeral)
//   APOGEE_BROKER_PORT   broker port (0 = ephemeral); the HA port is the next one

import { join, resolve } from 'node:path';
import { ConfigError, type Logger, createLogger } from '@apogee/common';
import { type BrokerController, createBrokerController } from '@apogee/broker';
import { type NamesrvController, createNamesrvController } from '@apogee/namesrv';

export const STANDALONE_DEFAULTS = {
  dataDir: './data',
  host: '127.0.0.1',
  namesrvPort: 9876,
  brokerPort: 10911,
  brokerName: 'broker-a',
  clusterName: 'DefaultCluster',
} as const;

export interface StandaloneConfig {
  readonly dataDir: string;
  readonly host: string;
  readonly namesrvPort: number;
  readonly brokerPort: number;
  readonly brokerName: string;
  readonly clusterName: string;
}

/** The defaults overlaid with APOGEE_* variables. Throws ConfigError naming a bad variable. */
export function standaloneConfigFromEnv(env: Readonly<Record<string, string | undefined>>): StandaloneConfig {
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  return {
    // Relative to where the user typed the command: pnpm runs scripts in the package folder but
    // passes the caller's folder as INIT_CWD, so `pnpm start` at the root uses <root>/data.
    dataDir: resolve(text('INIT_CWD') ?? '.', text('APOGEE_DATA_DIR') ?? STANDALONE_DEFAULTS.dataDir),
    host: text('APOGEE_HOST') ?? STANDALONE_DEFAULTS.host,
    namesrvPort: portFromEnv('APOGEE_NAMESRV_PORT', text('APOGEE_NAMESRV_PORT'), STANDALONE_DEFAULTS.namesrvPort),
    brokerPort: portFromEnv('APOGEE_BROKER_PORT', text('APOGEE_BROKER_PORT'), STANDALONE_DEFAULTS.brokerPort),
    brokerName: STANDALONE_DEFAULTS.brokerName,
    clusterName: STANDALONE_DEFAULTS.clusterName,
  };
}

function portFromEnv(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) throw new ConfigError(name, `${name}: "${value}" is not a port (0..65535)`);
  return Number(value);
}

export interface StandaloneOptions {
  readonly logger?: Logger;
}

/** A running NameServer + broker pair; shutdown() stops the broker first, then the NameServer. */
export class Standalone {
  private shutdownPromise: Promise<void> | undefined;

  constructor(
    readonly config: StandaloneConfig,
    readonly namesrv: NamesrvController,
    readonly broker: BrokerController,
  ) {}

  get namesrvAddr(): string {
    return this.namesrv.address;
  }

  get brokerAddr(): string {
    return this.broker.brokerAddr;
  }

  /** Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      await this.broker.shutdown();
      await this.namesrv.shutdown();
    })();
    return this.shutdownPromise;
  }
}

export async function startStandalone(config: StandaloneConfig, options: StandaloneOptions = {}): Promise<Standalone> {
  const log = options.logger ?? createLogger('standalone');
  const namesrv = createNamesrvController(
    new Map(),
    { listenPort: config.namesrvPort, listenAddress: config.host, kvConfigPath: join(config.dataDir, 'namesrv', 'kvConfig.json') },
    { logger: log.child({ server: 'namesrv' }) },
  );
  await namesrv.start();
  let broker: BrokerController | undefined;
  try {
    broker = createBrokerController(new Map(), {
      brokerClusterName: config.clusterName,
      brokerName: config.brokerName,
      brokerIP1: config.host,
      brokerIP2: config.host,
      listenPort: config.brokerPort,
      namesrvAddr: namesrv.address,
      storePathRootDir: join(config.dataDir, config.brokerName),
    }, { logger: log.child({ server: 'broker' }), env: {} });
    await broker.start();
  } catch (err) {
    await broker?.shutdown();
    await namesrv.shutdown();
    throw err;
  }
  return new Standalone(config, namesrv, broker);
}
