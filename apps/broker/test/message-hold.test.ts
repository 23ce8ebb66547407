// PullRequestHoldService on its own, with a manual clock: which held pulls an arrival or a check
// wakes, when they expire, the bound on held pulls, and shutdown. The wire-level behaviour is in
// message-pull.test.ts.

import { ManualClock } from '@apogee/common';
import { type Channel, type RemotingCommand, RequestCode, ResponseCode, createRequestCommand, createResponseCommand } from '@apogee/remoting';
import { quietLogger } from '@apogee/remoting/testing';
import type { MessageFilter } from '@apogee/store';
import { describe, expect, it } from 'vitest';
import { type HeldPull, PullRequestHoldService } from '../src/pull/pull-request-hold-service.js';

const TOPIC = 'T';

/** A connection as the hold service sees it: its address and whether it is still open. */
function channel(id: number): Channel & { isActive: boolean } {
  return { id, remoteAddress: `127.0.0.1:${40_000 + id}`, localAddress: '127.0.0.1:10911', isActive: true, close() {} };
}

const MATCH_ALL: MessageFilter = { isMatchedByConsumeQueue: () => true };
const TAG_A: MessageFilter = { isMatchedByConsumeQueue: (code) => code === 2598919 };

interface Harness {
  readonly clock: ManualClock;
  readonly service: PullRequestHoldService;
  /** the pull each held request was run again for, by request opaque */
  readonly reruns: number[];
  /** answers delivered to clients, by request opaque (null: dropped) */
  readonly answers: Map<number, RemotingCommand | null>;
  setMaxOffset(offset: number): void;
  hold(opaque: number, opts?: { offset?: number; timeoutMs?: number; filter?: MessageFilter; ch?: Channel; queueId?: number }): boolean;
}

function harness(heldMax?: number): Harness {
  const clock = new ManualClock(1_700_000_000_000);
  let max = 0;
  const reruns: number[] = [];
  const answers = new Map<number, RemotingCommand | null>();
  const service = new PullRequestHoldService({
    maxOffset: () => max,
    rerun: (held) => {
      reruns.push(held.request.opaque);
      return Promise.resolve(createResponseCommand(held.request, ResponseCode.PULL_NOT_FOUND, 'rerun'));
    },
    clock,
    log: quietLogger('hold-test'),
    ...(heldMax === undefined ? {} : { heldMax }),
  });
  return {
    clock, service, reruns, answers,
    setMaxOffset: (offset) => { max = offset; },
    hold: (opaque, opts = {}) => {
      const request = createRequestCommand(RequestCode.PULL_MESSAGE);
      request.opaque = opaque;
      const held: HeldPull = {
        channel: opts.ch ?? channel(opaque), request, pullFromOffset: opts.offset ?? 0, filter: opts.filter ?? MATCH_ALL,
        suspendedAtMs: clock.monotonicMs(), timeoutMs: opts.timeoutMs ?? 15_000, resolve: (answer) => answers.set(opaque, answer),
      };
      return service.suspend(TOPIC, opts.queueId ?? 0, held);
    },
  };
}

function arrival(queueId: number, logicOffset: number, tagsCode = 0): Parameters<PullRequestHoldService['onMessageArriving']>[0] {
  return { topic: TOPIC, queueId, logicOffset, tagsCode, storeTimestamp: 0, properties: '' };
}

async function settled(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('PullRequestHoldService', () => {
  it('wakes only the pulls of the arriving queue whose offset the message passes and whose filter it matches', async () => {
    const h = harness();
    expect(h.hold(1, { offset: 5 })).toBe(true);
    expect(h.hold(2, { offset: 7 })).toBe(true);
    expect(h.hold(3, { offset: 5, filter: TAG_A })).toBe(true);
    expect(h.hold(4, { offset: 5, queueId: 1 })).toBe(true);
    h.service.onMessageArriving(arrival(0, 6, 2598920)); // offset 5 arrived, TagB
    await settled();
    expect(h.reruns).toEqual([1]);
    expect(h.service.size).toBe(3);
    h.service.onMessageArriving(arrival(0, 8, 2598919)); // offset 7 arrived, TagA
    await settled();
    expect(h.reruns.sort()).toEqual([1, 2, 3]);
    expect(h.answers.get(2)?.remark).toBe('rerun');
    expect(h.service.size).toBe(1);
  });

  it('a check wakes pulls whose queue grew, answers expired ones, drops closed connections', async () => {
    const h = harness();
    const closed = channel(3);
    h.hold(1, { offset: 4, timeoutMs: 15_000 });
    h.hold(2, { offset: 9, timeoutMs: 1_000 });
    h.hold(3, { offset: 9, ch: closed });
    h.hold(4, { offset: 9, timeoutMs: 15_000 });
    h.setMaxOffset(5);
    closed.isActive = false;
    h.clock.advanceMs(999);
    h.service.checkHoldRequests();
    await settled();
    expect(h.reruns).toEqual([1]);
    expect(h.answers.get(3)).toBeNull();
    h.clock.advanceMs(1);
    h.service.checkHoldRequests();
    await settled();
    expect(h.reruns).toEqual([1, 2]);
    expect(h.service.size).toBe(1);
  });

  it('holds at most heldMax pulls and refuses more', () => {
    const h = harness(2);
    expect(h.hold(1)).toBe(true);
    expect(h.hold(2)).toBe(true);
    expect(h.hold(3)).toBe(false);
    expect(h.service.size).toBe(2);
  });

  it('answers every held pull at shutdown and holds none after', async () => {
    const h = harness();
    h.hold(1);
    h.hold(2, { queueId: 3 });
    await h.service.shutdown();
    expect(h.reruns.sort()).toEqual([1, 2]);
    expect([...h.answers.keys()].sort()).toEqual([1, 2]);
    expect(h.hold(3)).toBe(false);
    await h.service.shutdown();
  });
});
