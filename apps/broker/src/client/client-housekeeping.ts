// Keeps the client tables honest (RocketMQ's ClientHousekeepingService): a closed channel leaves
// every producer and consumer group at once; every clientChannelScanIntervalMs, channels silent
// for longer than channelExpiredTimeout are removed and closed. scan() is public so tests drive
// it with a ManualClock instead of waiting.

import type { Logger } from '@apogee/common';
import type { Channel } from '@apogee/remoting';
import type { ConsumerManager } from './consumer-manager.js';
import type { ProducerManager } from './producer-manager.js';

export class ClientHousekeeping {
  private timer: NodeJS.Timeout | undefined;
  private isShutdown = false;

  constructor(
    private readonly producers: ProducerManager,
    private readonly consumers: ConsumerManager,
    private readonly scanIntervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.timer !== undefined || this.isShutdown) return;
    this.timer = setInterval(() => this.scan(), this.scanIntervalMs);
    this.timer.unref();
  }

  /** Removes silent channels now; returns how many were removed. */
  scan(): number {
    try {
      return this.producers.scanNotActiveChannel() + this.consumers.scanNotActiveChannel();
    } catch (err) {
      this.log.error({ err }, 'client channel scan failed');
      return 0;
    }
  }

  onChannelClose(channel: Channel): void {
    this.producers.doChannelCloseEvent(channel);
    this.consumers.doChannelCloseEvent(channel);
  }

  shutdown(): void {
    this.isShutdown = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
