// Delivers delayed messages when they are due (RocketMQ's ScheduleMessageService, reference
// rocketmq-store-ha.md §18). One loop per level, master only:
//   read the level's SCHEDULE_TOPIC_XXXX queue from its delay offset; a unit is due when its tags
//   code (the delivery time, see schedule-message-hook.ts) is <= now, or lies more than the
//   level's delay in the future (clock-skew guard); due messages are put to their real topic and
//   queue one by one, the delay offset advancing past each stored one; the first unit not due
//   stops the pass.
// Unlike RocketMQ's 100 ms polling, a level sleeps until its next unit is due (at most
// LEVEL_IDLE_CHECK_MS) and wakes at once when a message lands in its queue. Delay offsets are
// written every flushIntervalMs (RocketMQ: flushDelayOffsetInterval 10 s) and at shutdown.
// Time is the injected Clock's; timers are unref'd.

import { type Clock, type Logger, MessageConst, SCHEDULE_CONSUMER_GROUP, TopicValidator, decodeMessageRecord } from '@apogee/common';
import { type GetMessageResult, GetMessageStatus, type MessageFilter, PutMessageStatus, type QueueArrival, isPutStored } from '@apogee/store';
import type { MessageReader } from '../pull/message-reader.js';
import type { MessageWriter } from '../send/message-writer.js';
import { type DelayLevelTable, delayLevelOfQueueId, queueIdOfDelayLevel } from './delay-level-table.js';
import type { DelayOffsetTable } from './delay-offset-table.js';
import { deliveredMessageOf } from './delivered-message.js';

const SCHEDULE_TOPIC = TopicValidator.RMQ_SYS_SCHEDULE_TOPIC;

/** Messages read per getMessage call of a pass. */
export const DELIVER_BATCH_MESSAGES_MAX = 32;
/** Bytes read per getMessage call of a pass. */
export const DELIVER_BATCH_BYTES_MAX = 1024 * 1024;
/** Longest a level sleeps without looking at its queue (covers missed wake-ups and clock jumps). */
export const LEVEL_IDLE_CHECK_MS = 1_000;
/** Retry delay after a failed put or an unreadable store (RocketMQ's DELAY_FOR_A_WHILE). */
export const DELIVER_RETRY_MS = 100;
/** RocketMQ's flushDelayOffsetInterval. */
export const DELAY_OFFSET_FLUSH_INTERVAL_MS = 10_000;

export interface ScheduleMessageServiceOptions {
  readonly levels: DelayLevelTable;
  readonly offsets: DelayOffsetTable;
  readonly reader: MessageReader;
  readonly writer: MessageWriter;
  /** false on a slave: only a master delivers */
  readonly isMaster: () => boolean;
  readonly clock: Clock;
  readonly log: Logger;
  readonly flushIntervalMs?: number;
}

interface LevelState {
  readonly level: number;
  timer: NodeJS.Timeout | undefined;
  /** clock.nowMs() at which the timer fires */
  fireAtMs: number;
  running: Promise<void> | undefined;
  isRerunWanted: boolean;
}

type State = 'new' | 'running' | 'stopped';

export class ScheduleMessageService {
  private readonly states = new Map<number, LevelState>();
  private readonly flushIntervalMs: number;
  private flushTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private state: State = 'new';
  private shutdownPromise: Promise<void> | undefined;
  /** Delivery passes finished since start (diagnostics, tests). */
  completedPasses = 0;
  /** Messages delivered to their real topic since start. */
  deliveredCount = 0;

  constructor(private readonly options: ScheduleMessageServiceOptions) {
    this.flushIntervalMs = options.flushIntervalMs ?? DELAY_OFFSET_FLUSH_INTERVAL_MS;
    for (const level of options.levels.levels()) {
      this.states.set(level, { level, timer: undefined, fireAtMs: Number.POSITIVE_INFINITY, running: undefined, isRerunWanted: false });
    }
  }

  /** Loads the delay offsets (the store must be running) and starts every level. */
  async start(): Promise<void> {
    if (this.state !== 'new') return;
    const { reader, offsets, levels } = this.options;
    await offsets.load(levels.levels(), (level) => ({
      min: reader.getMinOffsetInQueue(SCHEDULE_TOPIC, queueIdOfDelayLevel(level)),
      max: reader.getMaxOffsetInQueue(SCHEDULE_TOPIC, queueIdOfDelayLevel(level)),
    }));
    if (this.shutdownPromise !== undefined) return;
    this.state = 'running';
    this.unsubscribe = reader.addMessageArrivingListener((arrival) => this.onArrival(arrival));
    this.flushTimer = setInterval(() => void this.flushOffsets(), this.flushIntervalMs);
    this.flushTimer.unref();
    for (const state of this.states.values()) this.scheduleAt(state, this.options.clock.nowMs());
  }

  /** Stops the levels, waits for running passes, writes the delay offsets. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  /** level -> next offset to deliver. */
  delayOffsets(): Map<number, number> {
    return this.options.offsets.snapshot();
  }

  /** The delay offset table as delayOffset.json holds it (GET_ALL_DELAY_OFFSET answers with it). */
  encodeDelayOffsets(): string {
    return this.options.offsets.encode();
  }

  /** Runs a pass of every level now and waits for them (tests with a manual clock, admin). */
  async deliverDueNow(): Promise<void> {
    if (this.state !== 'running') return;
    await Promise.all([...this.states.values()].map((s) => this.runLevel(s)));
  }

  private async doShutdown(): Promise<void> {
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    this.unsubscribe?.();
    if (this.flushTimer !== undefined) clearInterval(this.flushTimer);
    for (const state of this.states.values()) {
      if (state.timer !== undefined) clearTimeout(state.timer);
      state.timer = undefined;
    }
    await Promise.allSettled([...this.states.values()].map((s) => s.running));
    if (wasRunning) await this.options.offsets.persist().catch((err: unknown) => this.options.log.error({ err }, 'delay offsets not written at shutdown'));
  }

  private onArrival(arrival: QueueArrival): void {
    if (arrival.topic !== SCHEDULE_TOPIC) return;
    const state = this.states.get(delayLevelOfQueueId(arrival.queueId));
    if (state !== undefined) this.scheduleAt(state, arrival.tagsCode);
  }

  /** Makes the level run at `atMs` (clock time) unless it already runs earlier. */
  private scheduleAt(state: LevelState, atMs: number): void {
    if (this.state === 'stopped') return;
    const nowMs = this.options.clock.nowMs();
    const fireAtMs = Math.min(Math.max(atMs, nowMs), nowMs + LEVEL_IDLE_CHECK_MS);
    if (state.timer !== undefined && state.fireAtMs <= fireAtMs) return;
    if (state.timer !== undefined) clearTimeout(state.timer);
    state.fireAtMs = fireAtMs;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      state.fireAtMs = Number.POSITIVE_INFINITY;
      void this.runLevel(state);
    }, fireAtMs - nowMs);
    state.timer.unref();
  }

  private runLevel(state: LevelState): Promise<void> {
    if (state.running !== undefined) {
      state.isRerunWanted = true;
      return state.running;
    }
    const pass = this.deliverLevel(state)
      .catch((err: unknown) => {
        this.options.log.error({ err, level: state.level }, 'delayed delivery pass failed');
        return this.options.clock.nowMs() + DELIVER_RETRY_MS;
      })
      .then((nextAtMs) => {
        state.running = undefined;
        this.completedPasses++;
        if (state.isRerunWanted) {
          state.isRerunWanted = false;
          this.scheduleAt(state, this.options.clock.nowMs());
        } else {
          this.scheduleAt(state, nextAtMs);
        }
      });
    state.running = pass;
    return pass;
  }

  /** One pass over a level; resolves with when to look again (clock ms). */
  private async deliverLevel(state: LevelState): Promise<number> {
    const { clock, reader, offsets, levels } = this.options;
    const level = state.level;
    if (!this.options.isMaster()) return clock.nowMs() + LEVEL_IDLE_CHECK_MS;
    const delayMs = levels.delayMsOf(level) ?? 0;
    for (;;) {
      if (this.state !== 'running') return Number.POSITIVE_INFINITY;
      const offset = offsets.get(level);
      const nowMs = clock.nowMs();
      const gate = new DueGate(nowMs, delayMs);
      const result = await reader.getMessage(SCHEDULE_CONSUMER_GROUP, SCHEDULE_TOPIC, queueIdOfDelayLevel(level), offset, DELIVER_BATCH_MESSAGES_MAX, DELIVER_BATCH_BYTES_MAX, gate);
      if (result === undefined) return nowMs + DELIVER_RETRY_MS;
      const next = await this.handleBatch(level, offset, result, gate);
      if (next !== 'again') return next;
    }
  }

  /** Delivers what a read returned; 'again' when the next batch may be due too. */
  private async handleBatch(level: number, offset: number, result: GetMessageResult, gate: DueGate): Promise<number | 'again'> {
    const { clock, offsets } = this.options;
    const idleAtMs = gate.firstNotDueMs ?? clock.nowMs() + LEVEL_IDLE_CHECK_MS;
    switch (result.status) {
      case GetMessageStatus.FOUND: {
        for (let i = 0; i < result.buffers.length; i++) {
          const delivered = await this.deliverOne(result.buffers[i]!);
          if (!delivered) return clock.nowMs() + DELIVER_RETRY_MS;
          offsets.set(level, result.queueOffsets[i]! + 1);
        }
        if (!gate.isBlocked) offsets.set(level, result.nextBeginOffset);
        return gate.isBlocked ? idleAtMs : 'again';
      }
      case GetMessageStatus.OFFSET_TOO_SMALL:
      case GetMessageStatus.OFFSET_OVERFLOW_BADLY:
      case GetMessageStatus.OFFSET_FOUND_NULL:
        this.options.log.warn({ level, offset, corrected: result.nextBeginOffset, status: result.status }, 'delay offset corrected');
        offsets.set(level, result.nextBeginOffset);
        return result.nextBeginOffset === offset ? idleAtMs : 'again';
      case GetMessageStatus.MESSAGE_WAS_REMOVING:
        if (gate.isBlocked || result.nextBeginOffset === offset) return idleAtMs;
        offsets.set(level, result.nextBeginOffset);
        return 'again';
      default:
        // NO_MESSAGE_IN_QUEUE, NO_MATCHED_LOGIC_QUEUE, OFFSET_OVERFLOW_ONE: nothing stored yet;
        // NO_MATCHED_MESSAGE: the first unit is not due.
        return idleAtMs;
    }
  }

  /** Puts one due record to its real topic. False when it should be retried later. */
  private async deliverOne(record: Buffer): Promise<boolean> {
    const decoded = decodeMessageRecord(record, 0);
    if (decoded.kind !== 'message') {
      this.options.log.error({ reason: decoded.kind === 'invalid' ? decoded.reason : 'blank' }, 'delayed record unreadable; skipped');
      return true;
    }
    const built = deliveredMessageOf(decoded.message);
    if (!built.ok) {
      this.options.log.error({ reason: built.reason, offset: decoded.message.commitLogOffset }, 'delayed message skipped');
      return true;
    }
    const put = await this.options.writer.putMessage(built.msg);
    if (isPutStored(put.status)) {
      this.deliveredCount++;
      return true;
    }
    if (put.status === PutMessageStatus.MESSAGE_ILLEGAL || put.status === PutMessageStatus.PROPERTIES_SIZE_EXCEEDED) {
      this.options.log.error({ topic: built.msg.topic, status: put.status, remark: put.remark, uniqKey: built.msg.properties.get(MessageConst.PROPERTY_UNIQ_CLIENT_MESSAGE_ID_KEYIDX) }, 'delayed message refused by the store; skipped');
      return true;
    }
    this.options.log.warn({ topic: built.msg.topic, status: put.status, remark: put.remark }, 'delayed message not delivered; retrying');
    return false;
  }

  private async flushOffsets(): Promise<void> {
    await this.options.offsets.persistIfDirty().catch((err: unknown) => this.options.log.error({ err }, 'delay offsets not written'));
  }
}

/**
 * The store filter of a pass: passes units that are due and blocks every unit from the first
 * one that is not (units of one level are in delivery order), remembering when that one is due.
 */
class DueGate implements MessageFilter {
  firstNotDueMs: number | undefined;

  constructor(
    private readonly nowMs: number,
    private readonly delayMs: number,
  ) {}

  get isBlocked(): boolean {
    return this.firstNotDueMs !== undefined;
  }

  isMatchedByConsumeQueue(deliverMs: number): boolean {
    if (this.firstNotDueMs !== undefined) return false;
    // A delivery time further away than the level's delay comes from a clock that moved back.
    const dueMs = deliverMs > this.nowMs + this.delayMs ? this.nowMs : deliverMs;
    if (dueMs <= this.nowMs) return true;
    this.firstNotDueMs = dueMs;
    return false;
  }
}
