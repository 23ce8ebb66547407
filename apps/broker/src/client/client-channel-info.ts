// One client connection as the broker knows it from heartbeats: the channel, the client id
// ("ip@instance"), the language and MQVersion ordinal of its requests, and when it was last
// heard from (Clock.monotonicMs, so that expiry does not follow wall-clock jumps).

import type { Channel, LanguageName } from '@apogee/remoting';

export interface ClientChannelInfo {
  readonly channel: Channel;
  readonly clientId: string;
  readonly language: LanguageName;
  readonly version: number;
  /** monotonic ms of the last heartbeat on this channel */
  lastUpdateMs: number;
}

/** What admin answers list for a connection (RocketMQ's Connection: clientAddr, clientId, language, version). */
export interface ConnectionInfo {
  readonly clientAddr: string;
  readonly clientId: string;
  readonly language: LanguageName;
  readonly version: number;
}

export function connectionOf(info: ClientChannelInfo): ConnectionInfo {
  return { clientAddr: info.channel.remoteAddress, clientId: info.clientId, language: info.language, version: info.version };
}
