// Time as a dependency: logic that expires, retries or schedules takes a Clock so tests can
// move time forward instead of sleeping.

export interface Clock {
  /** wall-clock milliseconds since the epoch (timestamps written to disk or the wire) */
  nowMs(): number;
  /** monotonic milliseconds for measuring intervals */
  monotonicMs(): number;
}

export const systemClock: Clock = {
  nowMs: () => Date.now(),
  monotonicMs: () => performance.now(),
};

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  private wallMs: number;
  private monoMs = 0;

  constructor(startMs = Date.now()) {
    this.wallMs = startMs;
  }

  nowMs(): number {
    return this.wallMs;
  }

  monotonicMs(): number {
    return this.monoMs;
  }

  advanceMs(deltaMs: number): void {
    if (deltaMs < 0) throw new RangeError(`advanceMs: negative delta ${deltaMs}`);
    this.wallMs += deltaMs;
    this.monoMs += deltaMs;
  }
}
