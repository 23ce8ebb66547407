import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  InvalidArgumentError,
  canonicalHost,
  formatSocketAddress,
  hostAddressBytes,
  parseSocketAddress,
} from '../src/index.js';
import { arbSocketAddress } from './arbitraries.js';

describe('parseSocketAddress / formatSocketAddress', () => {
  it('parses IPv4 and bracketed IPv6', () => {
    expect(parseSocketAddress('127.0.0.1:10911')).toEqual({ host: '127.0.0.1', port: 10911 });
    expect(parseSocketAddress('[::1]:10911')).toEqual({ host: '::1', port: 10911 });
    expect(parseSocketAddress('[2001:DB8:0:0:0:0:0:7]:9876')).toEqual({ host: '2001:db8::7', port: 9876 });
  });

  it('accepts an unbracketed IPv6 host, splitting at the last colon as RocketMQ does', () => {
    expect(parseSocketAddress('::1:10911')).toEqual({ host: '::1', port: 10911 });
  });

  it('accepts an IPv4-mapped IPv6 host and keeps it IPv6', () => {
    expect(parseSocketAddress('[::ffff:127.0.0.1]:1')).toEqual({ host: '::ffff:7f00:1', port: 1 });
  });

  it('formats IPv6 in brackets and IPv4 plainly', () => {
    expect(formatSocketAddress({ host: '::1', port: 10911 })).toBe('[::1]:10911');
    expect(formatSocketAddress({ host: '10.0.0.1', port: 9876 })).toBe('10.0.0.1:9876');
  });

  const bad: [string, RegExp][] = [
    ['127.0.0.1', /expected host:port/],
    ['localhost:9876', /not an IPv4 or IPv6 literal/],
    ['127.0.0.1:', /port "" is not a decimal number/],
    ['127.0.0.1:65536', /port 65536 > 65535/],
    ['127.0.0.1:-1', /not a decimal number/],
    ['256.0.0.1:1', /not an IPv4 or IPv6 literal/],
    ['127.0.0.01:1', /not an IPv4 or IPv6 literal/],
    ['[::1:1', /unclosed \[/],
    ['[1::2::3]:1', /not an IPv4 or IPv6 literal/],
    ['[1:2:3:4:5:6:7:8:9]:1', /not an IPv4 or IPv6 literal/],
    ['[fe80::1%eth0]:1', /not an IPv4 or IPv6 literal/],
    [':10911', /expected host:port/],
  ];
  for (const [text, why] of bad) {
    it(`rejects ${JSON.stringify(text)} with InvalidArgumentError`, () => {
      let caught: unknown;
      try {
        parseSocketAddress(text);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidArgumentError);
      expect((caught as Error).message).toMatch(why);
    });
  }

  it('round-trips any address: parse(format(a)) equals a', () => {
    fc.assert(
      fc.property(arbSocketAddress(), (addr) => {
        expect(parseSocketAddress(formatSocketAddress(addr))).toEqual(addr);
      }),
      { numRuns: 2000 },
    );
  });

  it('canonical IPv6 text matches the WHATWG URL serializer (an independent RFC 5952 implementation)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant(0), fc.nat(0xffff)), { minLength: 8, maxLength: 8 }), (groups) => {
        const long = groups.map((g) => g.toString(16).padStart(4, '0')).join(':');
        const viaUrl = new URL(`http://[${long}]/`).hostname.slice(1, -1);
        const bytes = hostAddressBytes(long);
        expect(bytes?.length).toBe(16);
        expect(canonicalHost(long)).toBe(viaUrl);
      }),
      { numRuns: 2000 },
    );
  });
});
