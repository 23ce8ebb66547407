// Long polling (RocketMQ's PullRequestHoldService, reference §3.3.1): a pull that finds nothing
// new and carries the SUSPEND flag is held, keyed by topic@queueId, for up to its timeout
// (suspendTimeoutMillis, or shortPollingTimeMills when long polling is off). A held pull is
// answered by running it again (without suspending and without committing an offset) when
//   - a message arrives in its queue past its offset and passes its filter (the store's arrival
//     listener), or
//   - a check finds the queue grew past its offset (every checkIntervalMs: 5 s, or the short
//     polling time), or
//   - its timeout passed (answered as soon as it passes, not at the next 5 s check), or
//   - the service shuts down.
// A pull whose connection closed is dropped at the next check. At most heldMax pulls are held;
// beyond that suspend() refuses and the caller answers at once. Times are the Clock's monotonic ms.

import type { Clock, Logger } from '@apogee/common';
import type { Channel, RemotingCommand } from '@apogee/remoting';
import type { MessageFilter, QueueArrival } from '@apogee/store';

/** RocketMQ checks held pulls every 5 s when long polling is on. */
export const HOLD_CHECK_INTERVAL_MS = 5_000;
/** Held pulls across all queues; below the transport's REQUESTS_IN_FLIGHT_MAX (65536). */
export const PULL_REQUESTS_HELD_MAX = 32_768;

export interface HeldPull {
  readonly channel: Channel;
  readonly request: RemotingCommand;
  /** the offset the pull asked for: any message at or after it wakes it */
  readonly pullFromOffset: number;
  readonly filter: MessageFilter;
  /** monotonic ms when it was held */
  readonly suspendedAtMs: number;
  readonly timeoutMs: number;
  /** answers the original request (null: send nothing, the connection is gone) */
  readonly resolve: (response: RemotingCommand | null) => void;
}

export interface PullRequestHoldServiceOptions {
  /** the queue's next offset to be written */
  readonly maxOffset: (topic: string, queueId: number) => number;
  /** runs a held pull again without suspending; its answer goes to the client */
  readonly rerun: (held: HeldPull) => Promise<RemotingCommand>;
  readonly clock: Clock;
  readonly log: Logger;
  readonly checkIntervalMs?: number;
  readonly heldMax?: number;
}

export class PullRequestHoldService {
  private readonly table = new Map<string, HeldPull[]>();
  private readonly rerunning = new Set<Promise<void>>();
  private readonly checkIntervalMs: number;
  private readonly heldMax: number;
  private heldCount = 0;
  private timer: NodeJS.Timeout | undefined;
  private timerAtMs = Number.POSITIVE_INFINITY;
  private isStopped = false;
  private shutdownPromise: Promise<void> | undefined;

  constructor(private readonly options: PullRequestHoldServiceOptions) {
    this.checkIntervalMs = options.checkIntervalMs ?? HOLD_CHECK_INTERVAL_MS;
    this.heldMax = options.heldMax ?? PULL_REQUESTS_HELD_MAX;
  }

  /** Pulls held right now. */
  get size(): number {
    return this.heldCount;
  }

  /** Holds a pull; false when the table is full or the service stopped (answer it now instead). */
  suspend(topic: string, queueId: number, held: HeldPull): boolean {
    if (this.isStopped || this.heldCount >= this.heldMax) return false;
    const key = keyOf(topic, queueId);
    let list = this.table.get(key);
    if (list === undefined) {
      list = [];
      this.table.set(key, list);
    }
    list.push(held);
    this.heldCount++;
    this.armTimer(Math.min(held.suspendedAtMs + held.timeoutMs, this.options.clock.monotonicMs() + this.checkIntervalMs));
    return true;
  }

  /** The store's arrival listener: wakes the held pulls of that queue the message matches. */
  onMessageArriving(arrival: QueueArrival): void {
    if (this.heldCount === 0) return;
    const key = keyOf(arrival.topic, arrival.queueId);
    const list = this.table.get(key);
    if (list === undefined) return;
    this.sweep(key, list, (held) => arrival.logicOffset > held.pullFromOffset && held.filter.isMatchedByConsumeQueue(arrival.tagsCode));
  }

  /** RocketMQ's checkHoldRequest: wake pulls whose queue grew, answer expired ones, drop dead ones. */
  checkHoldRequests(): void {
    const nowMs = this.options.clock.monotonicMs();
    for (const [key, list] of [...this.table]) {
      const [topic, queueId] = splitKey(key);
      let maxOffset: number;
      try {
        maxOffset = this.options.maxOffset(topic, queueId);
      } catch (err) {
        this.options.log.error({ err, topic, queueId }, 'held pulls not checked: max offset unavailable');
        continue;
      }
      this.sweep(key, list, (held) => maxOffset > held.pullFromOffset || nowMs >= held.suspendedAtMs + held.timeoutMs);
    }
  }

  /** Answers every held pull (run again) and refuses new ones. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.isStopped = true;
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      for (const [key, list] of [...this.table]) this.sweep(key, list, () => true);
      await Promise.allSettled([...this.rerunning]);
    })();
    return this.shutdownPromise;
  }

  /** Wakes the pulls of one key for which `shouldWake` holds; drops those whose connection closed. */
  private sweep(key: string, list: HeldPull[], shouldWake: (held: HeldPull) => boolean): void {
    const kept: HeldPull[] = [];
    for (const held of list) {
      if (!held.channel.isActive) {
        this.heldCount--;
        held.resolve(null);
      } else if (shouldWake(held)) {
        this.heldCount--;
        this.wake(held);
      } else {
        kept.push(held);
      }
    }
    if (kept.length === 0) this.table.delete(key);
    else if (kept.length !== list.length) this.table.set(key, kept);
  }

  private wake(held: HeldPull): void {
    const run = this.options
      .rerun(held)
      .then(
        (response) => held.resolve(response),
        (err: unknown) => {
          this.options.log.error({ err, peer: held.channel.remoteAddress }, 'held pull failed when run again');
          held.resolve(null);
        },
      )
      .finally(() => this.rerunning.delete(run));
    this.rerunning.add(run);
  }

  private armTimer(atMs: number): void {
    if (this.isStopped || (this.timer !== undefined && this.timerAtMs <= atMs)) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAtMs = atMs;
    this.timer = setTimeout(() => this.onTimer(), Math.max(0, atMs - this.options.clock.monotonicMs()));
    this.timer.unref();
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAtMs = Number.POSITIVE_INFINITY;
    this.checkHoldRequests();
    if (this.heldCount === 0) return;
    const nowMs = this.options.clock.monotonicMs();
    let nextMs = nowMs + this.checkIntervalMs;
    for (const list of this.table.values()) for (const held of list) nextMs = Math.min(nextMs, held.suspendedAtMs + held.timeoutMs);
    this.armTimer(Math.max(nextMs, nowMs + 1));
  }
}

function keyOf(topic: string, queueId: number): string {
  return `${topic}@${queueId}`;
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('@');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
