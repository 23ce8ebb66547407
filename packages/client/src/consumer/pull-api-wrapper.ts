// PullAPIWrapper: sends a pull for a queue to the right broker address and remembers the broker
// id the answer suggests for that queue's next pull (suggestWhichBrokerId; 0 = master). A pull
// sent to a slave never asks the broker to commit an offset. A broker that does not know
// LITE_PULL_MESSAGE (361; RocketMQ 4.9) gets PULL_MESSAGE (11) with the same header from then on.

import { MASTER_ID, type MessageQueue } from '@apogee/common';
import { PullSysFlag, ResponseCode } from '@apogee/remoting';
import { type PullRequestSpec, type PullResult, pullMessage } from '../api/pull-api.js';
import { ClientErrorCode, MQBrokerError, MQClientError } from '../errors.js';
import type { MQClientInstance } from '../factory/mq-client-instance.js';
import { mqKey } from '../message-queue.js';

/** Queues whose suggested broker id is remembered at most. */
export const PULL_FROM_WHICH_NODE_MAX = 65_536;

export class PullAPIWrapper {
  private readonly pullFromWhichNodeTable = new Map<string, number>();
  private readonly brokersWithoutLitePull = new Set<string>();

  constructor(
    private readonly instance: MQClientInstance,
    readonly consumerGroup: string,
  ) {}

  /** One pull of `spec.mq`; `timeoutMs` must exceed spec.suspendTimeoutMs for long polling. */
  async pullKernelImpl(spec: PullRequestSpec, timeoutMs: number): Promise<PullResult> {
    const mq = spec.mq;
    let found = this.instance.findBrokerAddressInSubscribe(mq.brokerName, this.recalculatePullFromWhichNode(mq), false);
    if (found === undefined) {
      await this.instance.updateTopicRouteInfoFromNameServer(mq.topic).catch(() => false);
      found = this.instance.findBrokerAddressInSubscribe(mq.brokerName, this.recalculatePullFromWhichNode(mq), false);
    }
    if (found === undefined) throw new MQClientError(`The broker[${mq.brokerName}] not exist`, ClientErrorCode.BROKER_NOT_EXIST_EXCEPTION);
    let sysFlag = found.isSlave ? spec.sysFlag & ~PullSysFlag.COMMIT_OFFSET : spec.sysFlag;
    if (this.brokersWithoutLitePull.has(found.brokerAddr)) sysFlag &= ~PullSysFlag.LITE_PULL;
    let result: PullResult;
    try {
      result = await pullMessage(this.instance.remoting, found.brokerAddr, { ...spec, sysFlag }, timeoutMs);
    } catch (err) {
      if (!(err instanceof MQBrokerError && err.responseCode === ResponseCode.REQUEST_CODE_NOT_SUPPORTED && (sysFlag & PullSysFlag.LITE_PULL) !== 0)) throw err;
      this.brokersWithoutLitePull.add(found.brokerAddr);
      this.instance.log.info({ brokerAddr: found.brokerAddr }, 'broker does not support LITE_PULL_MESSAGE; using PULL_MESSAGE');
      result = await pullMessage(this.instance.remoting, found.brokerAddr, { ...spec, sysFlag: sysFlag & ~PullSysFlag.LITE_PULL }, timeoutMs);
    }
    this.updatePullFromWhichNode(mq, result.suggestWhichBrokerId);
    return result;
  }

  private updatePullFromWhichNode(mq: MessageQueue, brokerId: number): void {
    const key = mqKey(mq);
    if (!this.pullFromWhichNodeTable.has(key) && this.pullFromWhichNodeTable.size >= PULL_FROM_WHICH_NODE_MAX) this.pullFromWhichNodeTable.clear();
    this.pullFromWhichNodeTable.set(key, brokerId);
  }

  private recalculatePullFromWhichNode(mq: MessageQueue): number {
    return this.pullFromWhichNodeTable.get(mqKey(mq)) ?? MASTER_ID;
  }
}
