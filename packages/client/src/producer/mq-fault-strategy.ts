// Latency fault avoidance (MQFaultStrategy + LatencyFaultToleranceImpl, reference §7.1 step 4).
// With sendLatencyFaultEnable on, every send reports its latency: a broker whose last send took
// at least LATENCY_MAX_MS[i] is skipped for NOT_AVAILABLE_DURATION_MS[i]; a failed send counts
// as a 10 s send, which isolates the broker for 10 s. Selection prefers available brokers, then
// reachable ones, then anything. Independently of the switch, a retry avoids the broker that just failed.

import type { Clock, MessageQueue } from '@apogee/common';
import type { QueueFilter, TopicPublishInfo } from './topic-publish-info.js';

/** Latency thresholds (ms) and the matching isolation periods (ms), Java's defaults. */
export const LATENCY_MAX_MS: readonly number[] = [50, 100, 550, 1800, 3000, 5000, 15000];
export const NOT_AVAILABLE_DURATION_MS: readonly number[] = [0, 0, 2000, 5000, 6000, 10000, 30000];
/** Latency charged to a broker that failed a send ("isolation"). */
export const ISOLATION_LATENCY_MS = 10_000;
/** Brokers tracked at most; the oldest entries go first. */
export const FAULT_ITEMS_MAX = 1024;

interface FaultItem {
  currentLatencyMs: number;
  /** Monotonic ms from which the broker is available again. */
  startMs: number;
  reachable: boolean;
}

export class MQFaultStrategy {
  sendLatencyFaultEnable: boolean;
  private readonly items = new Map<string, FaultItem>();

  constructor(
    private readonly clock: Clock,
    sendLatencyFaultEnable = false,
  ) {
    this.sendLatencyFaultEnable = sendLatencyFaultEnable;
  }

  /** A queue for the next attempt; `lastBrokerName` (the one that just failed) is avoided when possible. */
  selectOneMessageQueue(info: TopicPublishInfo, lastBrokerName: string | undefined, resetIndex: boolean): MessageQueue | undefined {
    const notLast: QueueFilter = (mq) => lastBrokerName === undefined || mq.brokerName !== lastBrokerName;
    if (this.sendLatencyFaultEnable) {
      if (resetIndex) info.resetIndex();
      return (
        info.selectOneMessageQueue((mq) => this.isAvailable(mq.brokerName), notLast) ??
        info.selectOneMessageQueue((mq) => this.isReachable(mq.brokerName), notLast) ??
        info.selectOneMessageQueue()
      );
    }
    return info.selectOneMessageQueue(notLast) ?? info.selectOneMessageQueue();
  }

  /** Records a send's latency; `isolation` charges ISOLATION_LATENCY_MS instead. No-op when the switch is off. */
  updateFaultItem(brokerName: string, latencyMs: number, isolation: boolean, reachable: boolean): void {
    if (!this.sendLatencyFaultEnable) return;
    const durationMs = computeNotAvailableDuration(isolation ? ISOLATION_LATENCY_MS : latencyMs);
    const nowMs = this.clock.monotonicMs();
    const item = this.items.get(brokerName);
    if (item === undefined) {
      if (this.items.size >= FAULT_ITEMS_MAX) this.items.delete(this.items.keys().next().value as string);
      this.items.set(brokerName, { currentLatencyMs: latencyMs, startMs: nowMs + durationMs, reachable });
      return;
    }
    item.currentLatencyMs = latencyMs;
    item.startMs = nowMs + durationMs;
    item.reachable = reachable;
  }

  isAvailable(brokerName: string): boolean {
    const item = this.items.get(brokerName);
    return item === undefined || this.clock.monotonicMs() >= item.startMs;
  }

  isReachable(brokerName: string): boolean {
    const item = this.items.get(brokerName);
    return item === undefined || item.reachable;
  }

  remove(brokerName: string): void {
    this.items.delete(brokerName);
  }
}

export function computeNotAvailableDuration(latencyMs: number): number {
  for (let i = LATENCY_MAX_MS.length - 1; i >= 0; i--) {
    if (latencyMs >= (LATENCY_MAX_MS[i] as number)) return NOT_AVAILABLE_DURATION_MS[i] as number;
  }
  return 0;
}
