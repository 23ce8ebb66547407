import { createLogger } from '@apogee/common';

// The narrow logging surface the store uses; a pino Logger satisfies it. Components receive it
// through options so tests can capture what recovery says it dropped.
export interface StoreLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export function defaultStoreLogger(): StoreLogger {
  return createLogger('store');
}
