// BORNHOST and STOREHOST of the messages the broker writes. The born host is the producer's end
// of the connection ("ip:port" as the transport captured it); the store host is the address the
// broker registers with the NameServers (brokerIP1 + the bound listen port), so that the offset
// message ids it hands out point back at it (reference §4.4).

import { type SocketAddress, parseSocketAddress } from '@apogee/common';

/** Used when a channel address is not an IP literal (it never is in practice). */
const UNKNOWN_ADDRESS: SocketAddress = Object.freeze({ host: '0.0.0.0', port: 0 });

/** The socket address of "ip:port" text, or 0.0.0.0:0 when the text is not one. */
export function socketAddressOf(text: string): SocketAddress {
  try {
    return parseSocketAddress(text);
  } catch {
    return UNKNOWN_ADDRESS;
  }
}

/**
 * The broker's STOREHOST, parsed once per distinct address text: the listen port is only known
 * after start(), so the text is read on every call and the parse is cached.
 */
export class StoreHostCache {
  private text = '';
  private address: SocketAddress = UNKNOWN_ADDRESS;

  constructor(private readonly brokerAddr: () => string) {}

  get(): SocketAddress {
    const text = this.brokerAddr();
    if (text !== this.text) {
      this.text = text;
      this.address = socketAddressOf(text);
    }
    return this.address;
  }
}
