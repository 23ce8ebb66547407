// Online producer groups fed by heartbeats (RocketMQ's ProducerManager): group → channels, and
// client id → channel. The transaction check-back picks a channel of the half message's
// producer group here (getAvailableChannel). Channel close removes at once; channels silent for
// channelExpiredTimeout are removed by scanNotActiveChannel().

import type { Clock, Logger } from '@apogee/common';
import type { Channel } from '@apogee/remoting';
import { CHANNELS_PER_GROUP_MAX, PRODUCER_GROUPS_MAX } from '../limits.js';
import type { ClientChannelInfo } from './client-channel-info.js';

export interface ProducerManagerOptions {
  /** channelExpiredTimeout */
  readonly channelExpiredTimeoutMs: number;
  readonly clock: Clock;
  readonly log: Logger;
}

export class ProducerManager {
  private readonly groups = new Map<string, Map<number, ClientChannelInfo>>();
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly channelExpiredTimeoutMs: number;
  private nextPick = 0;

  constructor(options: ProducerManagerOptions) {
    this.clock = options.clock;
    this.log = options.log;
    this.channelExpiredTimeoutMs = options.channelExpiredTimeoutMs;
  }

  get groupCount(): number {
    return this.groups.size;
  }

  groupNames(): string[] {
    return [...this.groups.keys()];
  }

  groupOnline(group: string): boolean {
    const channels = this.groups.get(group);
    return channels !== undefined && [...channels.values()].some((info) => info.channel.isActive);
  }

  /** The group's clients (a copy); empty when the group is offline. */
  groupChannels(group: string): ClientChannelInfo[] {
    return [...(this.groups.get(group)?.values() ?? [])];
  }

  /** A live channel of the group, rotating between calls; undefined when none. */
  getAvailableChannel(group: string): Channel | undefined {
    const live = this.groupChannels(group).filter((info) => info.channel.isActive);
    if (live.length === 0) return undefined;
    this.nextPick = (this.nextPick + 1) % 0x7fff_ffff;
    return live[this.nextPick % live.length]!.channel;
  }

  /** The channel of a client id in any group. */
  findChannel(clientId: string): Channel | undefined {
    for (const channels of this.groups.values()) {
      for (const info of channels.values()) if (info.clientId === clientId && info.channel.isActive) return info.channel;
    }
    return undefined;
  }

  registerProducer(group: string, client: ClientChannelInfo): boolean {
    const nowMs = this.clock.monotonicMs();
    let channels = this.groups.get(group);
    if (channels === undefined) {
      if (this.groups.size >= PRODUCER_GROUPS_MAX) {
        this.log.warn({ group, limit: PRODUCER_GROUPS_MAX }, 'producer not registered: too many producer groups');
        return false;
      }
      channels = new Map();
      this.groups.set(group, channels);
    }
    const old = channels.get(client.channel.id);
    if (old !== undefined && old.clientId === client.clientId) {
      old.lastUpdateMs = nowMs;
      return true;
    }
    if (old === undefined && channels.size >= CHANNELS_PER_GROUP_MAX) {
      this.log.warn({ group, clientId: client.clientId }, 'producer not registered: group has too many channels');
      return false;
    }
    client.lastUpdateMs = nowMs;
    channels.set(client.channel.id, client);
    if (old === undefined) this.log.info({ group, clientId: client.clientId, peer: client.channel.remoteAddress }, 'producer connected');
    return true;
  }

  unregisterProducer(group: string, channel: Channel): void {
    const channels = this.groups.get(group);
    const removed = channels?.get(channel.id);
    if (channels === undefined || removed === undefined) return;
    channels.delete(channel.id);
    this.log.info({ group, clientId: removed.clientId }, 'producer unregistered');
    if (channels.size === 0) this.groups.delete(group);
  }

  doChannelCloseEvent(channel: Channel): boolean {
    let removedAny = false;
    for (const [group, channels] of [...this.groups]) {
      if (!channels.delete(channel.id)) continue;
      removedAny = true;
      if (channels.size === 0) this.groups.delete(group);
    }
    return removedAny;
  }

  scanNotActiveChannel(): number {
    const nowMs = this.clock.monotonicMs();
    let expired = 0;
    for (const [group, channels] of [...this.groups]) {
      for (const info of [...channels.values()]) {
        if (nowMs - info.lastUpdateMs <= this.channelExpiredTimeoutMs) continue;
        channels.delete(info.channel.id);
        expired++;
        this.log.warn({ group, clientId: info.clientId, peer: info.channel.remoteAddress }, 'producer channel expired');
        info.channel.close('producer channel expired');
      }
      if (channels.size === 0) this.groups.delete(group);
    }
    return expired;
  }
}
