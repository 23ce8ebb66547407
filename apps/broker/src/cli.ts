// `mqbroker -c broker.properties [-n 'addr;addr'] [-p]`: start a broker from a RocketMQ-style
// broker.conf. -n overrides namesrvAddr; -p prints the effective config and exits. SIGTERM and
// SIGINT shut the broker down cleanly (unregister, persist, close).

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, createLogger, describeSchema, parseJavaProperties } from '@apogee/common';
import { BrokerController } from './broker-controller.js';
import { BROKER_CONFIG_SCHEMA } from './config/broker-config.js';
import { brokerConfigToProperties, loadBrokerConfig } from './config/load-broker-config.js';

const log = createLogger('mqbroker');

interface CliOptions {
  configFile?: string;
  namesrvAddr?: string;
  printConfigItem?: boolean;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('mqbroker')
    .description('Apogee broker (RocketMQ remoting protocol)')
    .option('-c, --configFile <file>', 'broker config properties file (RocketMQ broker.conf keys)')
    .option('-n, --namesrvAddr <addrs>', "NameServer addresses, e.g. '192.168.0.1:9876;192.168.0.2:9876'")
    .option('-p, --printConfigItem', 'print the effective config and exit')
    .addHelpText('after', `\nBroker config keys (store keys such as storePathRootDir, flushDiskType, brokerRole are accepted too):\n${describeSchema(BROKER_CONFIG_SCHEMA)}`);
  program.parse(argv);
  const opts = program.opts<CliOptions>();

  const values = opts.configFile === undefined ? new Map<string, string>() : parseJavaProperties(readFileSync(opts.configFile, 'utf8'));
  const loaded = loadBrokerConfig(values, opts.namesrvAddr === undefined ? {} : { namesrvAddr: opts.namesrvAddr });
  if (loaded.unknownKeys.length > 0) log.warn({ unknownKeys: loaded.unknownKeys }, 'unknown config keys ignored');
  if (loaded.ignoredKeys.length > 0) log.info({ ignoredKeys: loaded.ignoredKeys }, 'RocketMQ config keys without effect in Apogee');
  if (opts.printConfigItem === true) {
    process.stdout.write(brokerConfigToProperties(loaded));
    return;
  }
  const controller = new BrokerController(loaded, { logger: log });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    controller.shutdown().then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  await controller.start();
  const namesrv = controller.namesrvAddrList.length === 0 ? 'not set' : controller.namesrvAddrList.join(';');
  process.stdout.write(`The broker[${loaded.broker.brokerName}, ${controller.brokerAddr}] boot success. serializeType=JSON and name server is ${namesrv}\n`);
}

main(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`mqbroker: invalid config: ${err.message}\n`);
  else process.stderr.write(`mqbroker: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
