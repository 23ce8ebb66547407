// `mqnamesrv [-c file] [-p]`: start a NameServer from a RocketMQ-style .properties file.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { ConfigError, configToProperties, createLogger, describeSchema, loadConfig, parseJavaProperties } from '@apogee/common';
import { NAMESRV_CONFIG_SCHEMA } from './config/namesrv-config.js';
import { NamesrvController } from './namesrv-controller.js';

const log = createLogger('mqnamesrv');

async function main(argv: string[]): Promise<void> {
  const program = new Command('mqnamesrv')
    .description('Apogee NameServer (RocketMQ remoting protocol)')
    .option('-c, --configFile <file>', 'NameServer config properties file')
    .option('-p, --printConfigItem', 'print all config items and exit')
    .addHelpText('after', `\nConfig keys:\n${describeSchema(NAMESRV_CONFIG_SCHEMA)}`);
  program.parse(argv);
  const opts = program.opts<{ configFile?: string; printConfigItem?: boolean }>();

  const values = opts.configFile === undefined ? new Map<string, string>() : parseJavaProperties(readFileSync(opts.configFile, 'utf8'));
  const { config, unknownKeys } = loadConfig(NAMESRV_CONFIG_SCHEMA, values);
  if (unknownKeys.length > 0) log.warn({ unknownKeys }, 'unknown config keys ignored');
  if (opts.printConfigItem === true) {
    process.stdout.write(configToProperties(NAMESRV_CONFIG_SCHEMA, config));
    return;
  }
  const controller = new NamesrvController(config, { logger: log });
  await controller.start();
  process.stdout.write(`The Name Server boot success. serializeType=JSON address=${controller.address}\n`);
  const stop = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    controller.shutdown().then(() => process.exit(0), (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main(process.argv).catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`mqnamesrv: invalid config: ${err.message}\n`);
  else process.stderr.write(`mqnamesrv: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
