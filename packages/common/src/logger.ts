import { pino, type Logger } from 'pino';

export type { Logger };

// One root logger per process; components take a child named after themselves.
// APOGEE_LOG_LEVEL overrides the level (default info; tests usually set warn or silent).
let root: Logger | undefined;

function rootLogger(): Logger {
  root ??= pino({ level: process.env.APOGEE_LOG_LEVEL ?? 'info', base: { pid: process.pid } });
  return root;
}

export function createLogger(component: string): Logger {
  return rootLogger().child({ component });
}
