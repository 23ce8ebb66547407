import { ApogeeError } from '@apogee/common';

/** Store files are in a state the store refuses to start from (wrong sizes, unreadable dirs). */
export class StoreLoadError extends ApogeeError {
  constructor(
    readonly filePath: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Another live process holds the store directory's lock file. */
export class StoreLockedError extends ApogeeError {
  constructor(
    readonly lockPath: string,
    readonly ownerPid: number,
  ) {
    super(`store at ${lockPath} is in use by process ${ownerPid}`);
  }
}

/** An operation was called on a store that is not started (or already shut down). */
export class StoreNotRunningError extends ApogeeError {}
