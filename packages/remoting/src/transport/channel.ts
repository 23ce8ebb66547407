// What processors and event listeners see of a connection: never the socket itself.

/** One TCP connection between a remoting client and server, seen from either end. */
export interface Channel {
  /** Unique within this process for its lifetime; stable while the connection lives. */
  readonly id: number;
  /** The peer as "ip:port" ("[ip]:port" for IPv6), captured when the connection opened. */
  readonly remoteAddress: string;
  /** Our end as "ip:port". */
  readonly localAddress: string;
  /** False once the connection is closing or closed; writes are then dropped. */
  readonly isActive: boolean;
  /** Flush what was written, then close; pending requests on it fail with RemotingClosedError. */
  close(reason: string): void;
}

/** Formats a socket address the way RocketMQ prints channel addresses. */
export function formatAddress(host: string | undefined, port: number | undefined): string {
  if (host === undefined || port === undefined) return 'unknown';
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export type ParsedAddress = { ok: true; host: string; port: number } | { ok: false; reason: string };

/**
 * Parses "host:port", "[v6]:port" or RocketMQ's bare "v6:port" (split at the last colon).
 * Total: bad input gives a reason, never an exception.
 */
export function parseAddress(addr: string): ParsedAddress {
  const colon = addr.lastIndexOf(':');
  if (colon <= 0 || colon === addr.length - 1) return { ok: false, reason: `address "${addr}" is not host:port` };
  let host = addr.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const portText = addr.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return { ok: false, reason: `address "${addr}" has a bad port` };
  const port = Number(portText);
  if (port < 1 || port > 65_535) return { ok: false, reason: `address "${addr}" port ${port} out of range` };
  if (host.length === 0) return { ok: false, reason: `address "${addr}" has no host` };
  return { ok: true, host, port };
}
