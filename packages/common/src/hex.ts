// Hex text for message ids. RocketMQ's UtilAll.bytes2string emits uppercase; its reader accepts
// either case, and so does this one.

const HEX_TEXT = /^(?:[0-9A-Fa-f]{2})*$/;

export function bytesToUpperHex(bytes: Buffer): string {
  return bytes.toString('hex').toUpperCase();
}

/**
 * Total: returns undefined for odd lengths or non-hex characters. (Buffer.from(text, 'hex') on
 * its own stops quietly at the first bad pair, which would give a short buffer.)
 */
export function upperHexToBytes(text: string): Buffer | undefined {
  if (!HEX_TEXT.test(text)) return undefined;
  return Buffer.from(text, 'hex');
}
