// namesrvAddr: NameServer addresses separated by ';' ("127.0.0.1:9876;192.168.0.1:9876"), as
// RocketMQ's BrokerStartup validates them. Total: a reason instead of an exception.

import { parseAddress } from '@apogee/remoting';
import { NAMESRV_ADDRS_MAX } from '../limits.js';

export type NamesrvAddrResult = { ok: true; addrs: string[] } | { ok: false; reason: string };

/** The distinct addresses of a namesrvAddr value, in the given order; empty text gives none. */
export function parseNamesrvAddr(text: string): NamesrvAddrResult {
  const addrs: string[] = [];
  for (const part of text.split(';')) {
    const addr = part.trim();
    if (addr === '') continue;
    const parsed = parseAddress(addr);
    if (!parsed.ok) {
      return { ok: false, reason: `namesrvAddr entry "${addr}" is not host:port (${parsed.reason}); expected e.g. "127.0.0.1:9876;192.168.0.1:9876"` };
    }
    if (!addrs.includes(addr)) addrs.push(addr);
  }
  if (addrs.length > NAMESRV_ADDRS_MAX) {
    return { ok: false, reason: `namesrvAddr lists ${addrs.length} NameServers, more than the limit of ${NAMESRV_ADDRS_MAX}` };
  }
  return { ok: true, addrs };
}
