// Typed listeners for connection lifecycle events, shared by RemotingServer and RemotingClient.
// A listener that throws is logged and never breaks the transport or the other listeners.

import type { Logger } from '@apogee/common';
import type { Channel } from './channel.js';

export interface ChannelEvents {
  /** A connection was accepted (server) or established (client). */
  channelOpen: (channel: Channel) => void;
  /** A connection closed; `reason` says who closed it and why. Emitted once per connection. */
  channelClose: (channel: Channel, reason: string) => void;
  /** No bytes moved either way for idleTimeoutMs; the connection is closed right after. */
  channelIdle: (channel: Channel) => void;
  /** The peer sent a malformed, oversized or truncated frame; the connection is closed right after. */
  invalidFrame: (channel: Channel, reason: string) => void;
}

export type ChannelEventName = keyof ChannelEvents;

export class ChannelEventListeners {
  private readonly listeners: { [K in ChannelEventName]: Array<ChannelEvents[K]> } = {
    channelOpen: [],
    channelClose: [],
    channelIdle: [],
    invalidFrame: [],
  };

  constructor(private readonly logger: Logger) {}

  on<K extends ChannelEventName>(event: K, listener: ChannelEvents[K]): void {
    this.listeners[event].push(listener);
  }

  off<K extends ChannelEventName>(event: K, listener: ChannelEvents[K]): void {
    const list = this.listeners[event];
    const index = list.indexOf(listener);
    if (index >= 0) list.splice(index, 1);
  }

  emit<K extends ChannelEventName>(event: K, ...args: Parameters<ChannelEvents[K]>): void {
    // Copy: a listener may remove itself while we iterate.
    for (const listener of [...this.listeners[event]]) {
      try {
        (listener as (...a: Parameters<ChannelEvents[K]>) => void)(...args);
      } catch (err) {
        this.logger.error({ err, event }, 'channel event listener threw');
      }
    }
  }
}
