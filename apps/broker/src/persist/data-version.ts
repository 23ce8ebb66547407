// DataVersion of a config table (topics, subscription groups, offsets): equal iff counter,
// stateVersion and timestamp are equal; every change moves to counter + 1 with the current time
// (RocketMQ's DataVersion.nextVersion). The NameServer compares it to skip unchanged topic data.

import type { Clock } from '@apogee/common';
import { type DataVersion, nextDataVersion } from '@apogee/store';

export class DataVersionCounter {
  private version: DataVersion;

  constructor(private readonly clock: Clock) {
    this.version = { counter: 0, stateVersion: 0, timestamp: clock.nowMs() };
  }

  /** A copy of the current version. */
  get current(): DataVersion {
    return { ...this.version };
  }

  next(): DataVersion {
    this.version = nextDataVersion(this.version, this.clock);
    return this.current;
  }

  /** Adopt a version read from disk (or from a master). */
  assign(version: DataVersion): void {
    this.version = { ...version };
  }
}
