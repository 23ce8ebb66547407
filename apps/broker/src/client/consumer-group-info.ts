// One online consumer group (RocketMQ's ConsumerGroupInfo): its channels and the group-wide
// subscription table. Update rules (reference §3.3.2):
//   - channels: a channel not yet in the group is added (a change); a known channel only has its
//     last-update time refreshed (its client id is replaced if it differs, not a change);
//   - subscriptions, per group not per client: a new topic is added (a change), a known topic is
//     replaced only by a higher subVersion (not a change), topics absent from the heartbeat are
//     removed (a change).

import type { ConsumeFromWhere, ConsumeType, MessageModel, SubscriptionData } from '@apogee/remoting';
import { CHANNELS_PER_GROUP_MAX } from '../limits.js';
import type { ClientChannelInfo } from './client-channel-info.js';

export type UpdateChannelResult = 'added' | 'refreshed' | 'full';

export class ConsumerGroupInfo {
  private readonly subscriptions = new Map<string, SubscriptionData>();
  private readonly channels = new Map<number, ClientChannelInfo>();
  lastUpdateMs: number;

  constructor(
    readonly groupName: string,
    public consumeType: ConsumeType,
    public messageModel: MessageModel,
    public consumeFromWhere: ConsumeFromWhere,
    nowMs: number,
  ) {
    this.lastUpdateMs = nowMs;
  }

  get isBroadcasting(): boolean {
    return this.messageModel === 'BROADCASTING';
  }

  get channelCount(): number {
    return this.channels.size;
  }

  /** Channel id → info, read-only. */
  get channelInfoTable(): ReadonlyMap<number, ClientChannelInfo> {
    return this.channels;
  }

  /** Topic → subscription, read-only. */
  get subscriptionTable(): ReadonlyMap<string, SubscriptionData> {
    return this.subscriptions;
  }

  findChannelById(channelId: number): ClientChannelInfo | undefined {
    return this.channels.get(channelId);
  }

  findChannelByClientId(clientId: string): ClientChannelInfo | undefined {
    for (const info of this.channels.values()) if (info.clientId === clientId) return info;
    return undefined;
  }

  allClientIds(): string[] {
    return [...this.channels.values()].map((info) => info.clientId);
  }

  allChannels(): ClientChannelInfo[] {
    return [...this.channels.values()];
  }

  findSubscriptionData(topic: string): SubscriptionData | undefined {
    return this.subscriptions.get(topic);
  }

  updateChannel(info: ClientChannelInfo, consumeType: ConsumeType, messageModel: MessageModel, consumeFromWhere: ConsumeFromWhere, nowMs: number): UpdateChannelResult {
    this.consumeType = consumeType;
    this.messageModel = messageModel;
    this.consumeFromWhere = consumeFromWhere;
    this.lastUpdateMs = nowMs;
    const old = this.channels.get(info.channel.id);
    if (old === undefined) {
      if (this.channels.size >= CHANNELS_PER_GROUP_MAX) return 'full';
      info.lastUpdateMs = nowMs;
      this.channels.set(info.channel.id, info);
      return 'added';
    }
    if (old.clientId !== info.clientId) {
      info.lastUpdateMs = nowMs;
      this.channels.set(info.channel.id, info);
    } else {
      old.lastUpdateMs = nowMs;
    }
    return 'refreshed';
  }

  /** True when the topic set changed (added or removed topics). */
  updateSubscription(subList: readonly SubscriptionData[], nowMs: number): boolean {
    let changed = false;
    const topics = new Set<string>();
    for (const sub of subList) {
      const old = this.subscriptions.get(sub.topic);
      if (old === undefined) {
        this.subscriptions.set(sub.topic, sub);
        changed = true;
      } else if (sub.subVersion > old.subVersion) {
        this.subscriptions.set(sub.topic, sub);
      }
      topics.add(sub.topic);
    }
    for (const topic of [...this.subscriptions.keys()]) {
      if (!topics.has(topic)) {
        this.subscriptions.delete(topic);
        changed = true;
      }
    }
    this.lastUpdateMs = nowMs;
    return changed;
  }

  /** Removes a channel; its info, or undefined when it was not in the group. */
  removeChannel(channelId: number): ClientChannelInfo | undefined {
    const info = this.channels.get(channelId);
    if (info !== undefined) this.channels.delete(channelId);
    return info;
  }
}
