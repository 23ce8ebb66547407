// `pnpm start` / `apogee-standalone`: a NameServer and one master broker in this process with
// the embedded defaults (see standalone.ts for the APOGEE_* overrides). Ctrl-C (SIGINT) or
// SIGTERM stops both cleanly: the broker unregisters and persists, then the NameServer stops.

import { ConfigError, createLogger } from '@apogee/common';
import { standaloneConfigFromEnv, startStandalone } from './standalone.js';

const log = createLogger('standalone');

async function main(): Promise<void> {
  const config = standaloneConfigFromEnv(process.env);
  const standalone = await startStandalone(config, { logger: log });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    standalone.shutdown().then(() => {
      process.stdout.write('Apogee standalone stopped\n');
      process.exit(0);
    }, (err: unknown) => {
      log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.stdout.write(
    `Apogee standalone is running\n` +
    `  NameServer  ${standalone.namesrvAddr}\n` +
    `  broker      ${config.brokerName} at ${standalone.brokerAddr} (cluster ${config.clusterName})\n` +
    `  data        ${config.dataDir}\n` +
    `Clients: namesrvAddr=${standalone.namesrvAddr}. Press Ctrl-C to stop.\n`,
  );
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) process.stderr.write(`apogee-standalone: invalid setting: ${err.message}\n`);
  else process.stderr.write(`apogee-standalone: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
