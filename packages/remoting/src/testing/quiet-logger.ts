// A component logger for tests: silent unless APOGEE_LOG_LEVEL asks for output, so that expected
// warnings (bad frames, idle closes) do not bury real failures.

import { createLogger, type Logger } from '@apogee/common';

export function quietLogger(component: string): Logger {
  const logger = createLogger(component);
  logger.level = process.env.APOGEE_LOG_LEVEL ?? 'silent';
  return logger;
}
