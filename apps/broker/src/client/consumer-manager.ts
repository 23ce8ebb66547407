// Online consumer groups fed by heartbeats (RocketMQ's ConsumerManager). A group lives while it
// has channels: closing a channel removes it at once, a channel silent for channelExpiredTimeout
// is removed by scanNotActiveChannel() (driven by ClientHousekeeping and the injected Clock).
// Membership or topic changes of a clustering group raise a 'change' event carrying the group's
// remaining channels; the broker turns it into NOTIFY_CONSUMER_IDS_CHANGED to each of them.

import type { Clock, Logger } from '@apogee/common';
import type { Channel, ConsumeFromWhere, ConsumeType, MessageModel, SubscriptionData } from '@apogee/remoting';
import { CONSUMER_GROUPS_MAX } from '../limits.js';
import type { ClientChannelInfo } from './client-channel-info.js';
import { ConsumerGroupInfo } from './consumer-group-info.js';

export type ConsumerGroupEvent =
  /** membership or topics changed; notify these channels */
  | { kind: 'change'; group: string; channels: readonly Channel[] }
  | { kind: 'register'; group: string; subscriptions: readonly SubscriptionData[] }
  /** the group's last channel left */
  | { kind: 'unregister'; group: string }
  | { kind: 'clientRegister'; group: string; client: ClientChannelInfo }
  | { kind: 'clientUnregister'; group: string; client: ClientChannelInfo };

export type ConsumerGroupListener = (event: ConsumerGroupEvent) => void;

export interface RegisterConsumerRequest {
  readonly group: string;
  readonly client: ClientChannelInfo;
  readonly consumeType: ConsumeType;
  readonly messageModel: MessageModel;
  readonly consumeFromWhere: ConsumeFromWhere;
  readonly subscriptions: readonly SubscriptionData[];
  /** the group's notifyConsumerIdsChangedEnable */
  readonly isNotifyEnabled: boolean;
  /** false for heartbeat v2 without subscriptions: keep the group's table */
  readonly updateSubscription?: boolean;
}

export interface ConsumerManagerOptions {
  /** channelExpiredTimeout */
  readonly channelExpiredTimeoutMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

export class ConsumerManager {
  private readonly groups = new Map<string, ConsumerGroupInfo>();
  private readonly listeners: ConsumerGroupListener[] = [];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly channelExpiredTimeoutMs: number;

  constructor(options: ConsumerManagerOptions) {
    this.clock = options.clock;
    this.log = options.log;
    this.channelExpiredTimeoutMs = options.channelExpiredTimeoutMs;
  }

  onEvent(listener: ConsumerGroupListener): void {
    this.listeners.push(listener);
  }

  get groupCount(): number {
    return this.groups.size;
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  getConsumerGroupInfo(group: string): ConsumerGroupInfo | undefined {
    return this.groups.get(group);
  }

  findChannel(group: string, clientId: string): ClientChannelInfo | undefined {
    return this.groups.get(group)?.findChannelByClientId(clientId);
  }

  findSubscriptionData(group: string, topic: string): SubscriptionData | undefined {
    return this.groups.get(group)?.findSubscriptionData(topic);
  }

  /** Online groups subscribing to `topic`. */
  queryTopicConsumeByWho(topic: string): Set<string> {
    const groups = new Set<string>();
    for (const [name, info] of this.groups) if (info.subscriptionTable.has(topic)) groups.add(name);
    return groups;
  }

  /** Registers (or refreshes) a client of a group. True when the channel set or the topics changed. */
  registerConsumer(request: RegisterConsumerRequest): boolean {
    const nowMs = this.clock.monotonicMs();
    let info = this.groups.get(request.group);
    if (info === undefined) {
      if (this.groups.size >= CONSUMER_GROUPS_MAX) {
        this.log.warn({ group: request.group, limit: CONSUMER_GROUPS_MAX }, 'consumer not registered: too many consumer groups');
        return false;
      }
      info = new ConsumerGroupInfo(request.group, request.consumeType, request.messageModel, request.consumeFromWhere, nowMs);
      this.groups.set(request.group, info);
    }
    const channelResult = info.updateChannel(request.client, request.consumeType, request.messageModel, request.consumeFromWhere, nowMs);
    if (channelResult === 'full') {
      this.log.warn({ group: request.group, clientId: request.client.clientId }, 'consumer not registered: group has too many channels');
      return false;
    }
    const isNewChannel = channelResult === 'added';
    if (isNewChannel) {
      this.log.info({ group: request.group, clientId: request.client.clientId, peer: request.client.channel.remoteAddress }, 'consumer connected');
      this.emit({ kind: 'clientRegister', group: request.group, client: request.client });
    }
    const topicsChanged = request.updateSubscription === false ? false : info.updateSubscription(request.subscriptions, nowMs);
    if ((isNewChannel || topicsChanged) && request.isNotifyEnabled && !info.isBroadcasting) {
      this.emit({ kind: 'change', group: request.group, channels: info.allChannels().map((c) => c.channel) });
    }
    this.emit({ kind: 'register', group: request.group, subscriptions: request.subscriptions });
    return isNewChannel || topicsChanged;
  }

  /** UNREGISTER_CLIENT for a consumer group. */
  unregisterConsumer(group: string, channel: Channel, isNotifyEnabled: boolean): void {
    const info = this.groups.get(group);
    if (info === undefined) return;
    const removed = info.removeChannel(channel.id);
    if (removed !== undefined) {
      this.log.info({ group, clientId: removed.clientId }, 'consumer unregistered');
      this.emit({ kind: 'clientUnregister', group, client: removed });
    }
    this.dropIfEmpty(info);
    if (removed !== undefined && isNotifyEnabled && !info.isBroadcasting) this.notifyChange(info);
  }

  /** A channel closed: remove it from every group at once. True when it was in some group. */
  doChannelCloseEvent(channel: Channel): boolean {
    let removedAny = false;
    for (const info of [...this.groups.values()]) {
      const removed = info.removeChannel(channel.id);
      if (removed === undefined) continue;
      removedAny = true;
      this.log.info({ group: info.groupName, clientId: removed.clientId, peer: channel.remoteAddress }, 'consumer channel closed');
      this.emit({ kind: 'clientUnregister', group: info.groupName, client: removed });
      this.dropIfEmpty(info);
      if (!info.isBroadcasting) this.notifyChange(info);
    }
    return removedAny;
  }

  /** Removes channels silent for longer than channelExpiredTimeout and closes them. Returns how many. */
  scanNotActiveChannel(): number {
    const nowMs = this.clock.monotonicMs();
    let expired = 0;
    for (const info of [...this.groups.values()]) {
      let removedHere = false;
      for (const client of info.allChannels()) {
        if (nowMs - client.lastUpdateMs <= this.channelExpiredTimeoutMs) continue;
        info.removeChannel(client.channel.id);
        removedHere = true;
        expired++;
        this.log.warn({ group: info.groupName, clientId: client.clientId, peer: client.channel.remoteAddress, silentMs: nowMs - client.lastUpdateMs }, 'consumer channel expired');
        this.emit({ kind: 'clientUnregister', group: info.groupName, client });
        client.channel.close('consumer channel expired');
      }
      if (!removedHere) continue;
      this.dropIfEmpty(info);
      if (!info.isBroadcasting) this.notifyChange(info);
    }
    return expired;
  }

  private dropIfEmpty(info: ConsumerGroupInfo): void {
    if (info.channelCount > 0 || this.groups.get(info.groupName) !== info) return;
    this.groups.delete(info.groupName);
    this.log.info({ group: info.groupName }, 'consumer group offline: no channel left');
    this.emit({ kind: 'unregister', group: info.groupName });
  }

  private notifyChange(info: ConsumerGroupInfo): void {
    if (info.channelCount === 0) return;
    this.emit({ kind: 'change', group: info.groupName, channels: info.allChannels().map((c) => c.channel) });
  }

  private emit(event: ConsumerGroupEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log.error({ err, event: event.kind, group: event.group }, 'consumer group listener failed');
      }
    }
  }
}
