// RemotingServer connection handling on real sockets: bad frames close only the connection that
// sent them, idle connections are closed on both sides, graceful shutdown drains in-flight
// requests (within a bound), and lifecycle events fire once per connection.

import { afterEach, describe, expect, it } from 'vitest';
import { KiB } from '@apogee/common';
import { RemotingClosedError } from '../../src/errors.js';
import { encodeFrame } from '../../src/codec/frame-encoder.js';
import { createRequestCommand, createResponseCommand, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { ResponseCode } from '../../src/protocol/response-code.js';
import type { Channel } from '../../src/transport/channel.js';
import { RemotingClient, type RemotingClientOptions } from '../../src/transport/remoting-client.js';
import { RemotingServer, type RemotingServerOptions } from '../../src/transport/remoting-server.js';
import { quietLogger, RawRemotingPeer, waitFor } from '../../src/testing/index.js';

const CODE_ECHO = 7_301;
const CODE_HOLD = 7_302;

function frameWord(length: number, serializeType: number, headerBytes: number): Buffer {
  const prefix = Buffer.alloc(8);
  prefix.writeInt32BE(length, 0);
  prefix.writeUInt32BE(((serializeType << 24) | headerBytes) >>> 0, 4);
  return prefix;
}

describe('RemotingServer connections', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A server with an echo processor and a processor that holds requests until released. */
  async function startServer(options: RemotingServerOptions = {}) {
    const server = new RemotingServer({ logger: quietLogger('conn-server'), ...options });
    cleanups.push(() => server.shutdown());
    const held: Array<() => void> = [];
    server.registerProcessor(CODE_ECHO, { process: (_ctx, req) => createResponseCommand(req, ResponseCode.SUCCESS, undefined, req.extFields, req.body) });
    server.registerProcessor(CODE_HOLD, {
      process: (_ctx, req) => new Promise<RemotingCommand>((resolve) => held.push(() => resolve(createResponseCommand(req, ResponseCode.SUCCESS, 'released')))),
    });
    const events = { open: [] as Channel[], close: [] as Array<[Channel, string]>, idle: [] as Channel[], invalid: [] as Array<[Channel, string]> };
    server.on('channelOpen', (ch) => events.open.push(ch));
    server.on('channelClose', (ch, reason) => events.close.push([ch, reason]));
    server.on('channelIdle', (ch) => events.idle.push(ch));
    server.on('invalidFrame', (ch, reason) => events.invalid.push([ch, reason]));
    await server.start();
    const releaseAll = (): void => {
      for (const release of held.splice(0)) release();
    };
    return { server, addr: `127.0.0.1:${server.port}`, held, releaseAll, events };
  }

  function newClient(options: RemotingClientOptions = {}): RemotingClient {
    const client = new RemotingClient({ logger: quietLogger('conn-client'), ...options });
    cleanups.push(() => client.shutdown());
    return client;
  }

  async function rawPeer(port: number): Promise<RawRemotingPeer> {
    const peer = await RawRemotingPeer.connect(port);
    cleanups.push(() => peer.close());
    return peer;
  }

  it.each([
    ['an unknown serialize type', () => Buffer.concat([frameWord(8, 9, 4), Buffer.from('abcd')]), 'unknown serialize type 9'],
    ['a header longer than its frame', () => Buffer.concat([frameWord(8, 0, 100), Buffer.from('abcd')]), 'header bytes 100'],
    ['a frame length below 4', () => frameWord(2, 0, 0), 'frame length 2'],
    ['a header that is not JSON', () => Buffer.concat([frameWord(4 + 5, 0, 5), Buffer.from('{nope')]), 'JSON header'],
  ])('closes only the connection that sent %s', async (_name, bytes, reasonPart) => {
    const { server, addr, held, releaseAll, events } = await startServer();
    const client = newClient();
    // A request in flight on another connection must survive the bad peer.
    const inFlight = client.invokeSync(addr, createRequestCommand(CODE_HOLD), 5_000);
    await waitFor(() => held.length === 1);
    const peer = await rawPeer(server.port);
    peer.send(bytes());
    await peer.closed;
    await waitFor(() => events.invalid.length === 1);
    expect(events.invalid[0]![1]).toContain(reasonPart);
    expect(events.invalid[0]![0].remoteAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    await waitFor(() => events.close.length === 1);
    expect(events.close[0]![1]).toContain('invalid frame');
    releaseAll();
    expect((await inFlight).remark).toBe('released');
    expect((await client.invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000)).code).toBe(ResponseCode.SUCCESS);
    expect(server.channels.length).toBe(1);
  });

  it('refuses frame limits a decoder cannot work with, at construction', () => {
    expect(() => new RemotingServer({ limits: { frameBytesMax: 10, headerBytesMax: 4 } })).toThrow(/frameBytesMax/);
    expect(() => new RemotingClient({ limits: { frameBytesMax: 64 * KiB, headerBytesMax: 128 * KiB } })).toThrow(/headerBytesMax/);
  });

  it('refuses an oversized frame from its first 4 bytes, without waiting for the rest', async () => {
    const { server, events } = await startServer({ limits: { frameBytesMax: 64 * KiB, headerBytesMax: 4 * KiB } });
    const peer = await rawPeer(server.port);
    peer.send(frameWord(1024 * KiB, 0, 10).subarray(0, 4));
    await peer.closed;
    expect(events.invalid[0]![1]).toContain('frameBytesMax');
  });

  it('survives a peer that sends half a frame and hangs up', async () => {
    const { server, addr, events } = await startServer();
    const peer = await rawPeer(server.port);
    const whole = encodeFrame({ ...createRequestCommand(CODE_ECHO, { k: 'v' }, Buffer.alloc(1_000, 7)), opaque: 1 });
    peer.send(whole.subarray(0, 500));
    await waitFor(() => server.channels.length === 1);
    await peer.close();
    await waitFor(() => events.close.length === 1);
    expect(events.invalid).toEqual([]);
    expect(events.close[0]![1]).toBe('closed by peer mid-frame (500 bytes of a truncated frame dropped)');
    expect(server.channels.length).toBe(0);
    expect((await newClient().invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000)).code).toBe(ResponseCode.SUCCESS);
  });

  it('decodes frames that arrive one byte at a time', async () => {
    const { server } = await startServer();
    const peer = await rawPeer(server.port);
    const whole = encodeFrame({ ...createRequestCommand(CODE_ECHO, { k: 'v' }, Buffer.from('body')), opaque: 77 });
    for (const byte of whole) peer.send(Buffer.of(byte));
    await waitFor(() => peer.frames.length === 1);
    expect(peer.frames[0]).toMatchObject({ opaque: 77, extFields: { k: 'v' }, body: Buffer.from('body') });
  });

  it('closes a connection idle for idleTimeoutMs and emits channelIdle; the client reconnects', async () => {
    const { server, addr, events } = await startServer({ idleTimeoutMs: 200 });
    const client = newClient();
    expect((await client.invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000)).code).toBe(0);
    const silent = await rawPeer(server.port);
    await silent.closed;
    await waitFor(() => events.idle.length === 2 && events.close.length === 2);
    expect(events.close.map(([, reason]) => reason)).toEqual(['idle', 'idle']);
    await waitFor(() => !client.isConnected(addr));
    expect((await client.invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000)).code).toBe(0);
    expect(events.open.length).toBe(3);
  });

  it('client closes its idle connection, but not while a request is waiting', async () => {
    const { addr, held, releaseAll } = await startServer({ idleTimeoutMs: 0 });
    const client = newClient({ idleTimeoutMs: 150 });
    const idled: Channel[] = [];
    client.on('channelIdle', (ch) => idled.push(ch));
    const waiting = client.invokeSync(addr, createRequestCommand(CODE_HOLD), 5_000);
    await waitFor(() => held.length === 1);
    // A probe connected later with the same idle timeout: once it has been closed as idle, the
    // busy connection has been silent for longer than one idle period too.
    const probe = newClient({ idleTimeoutMs: 150 });
    const probeIdled: Channel[] = [];
    probe.on('channelIdle', (ch) => probeIdled.push(ch));
    expect((await probe.invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000)).code).toBe(0);
    await waitFor(() => probeIdled.length === 1);
    expect(idled).toEqual([]);
    expect(client.isConnected(addr)).toBe(true);
    releaseAll();
    expect((await waiting).remark).toBe('released');
    await waitFor(() => idled.length === 1 && !client.isConnected(addr));
  });

  it('shutdown lets in-flight requests finish, answers new ones busy, and is idempotent', async () => {
    const { server, addr, held, releaseAll } = await startServer();
    const client = newClient();
    const other = newClient();
    const inFlight = [1, 2, 3].map(() => client.invokeSync(addr, createRequestCommand(CODE_HOLD), 5_000));
    expect((await other.invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000)).code).toBe(0);
    await waitFor(() => held.length === 3);
    const first = server.shutdown();
    expect(server.shutdown()).toBe(first);
    const busy = await other.invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000);
    expect(busy.code).toBe(ResponseCode.SYSTEM_BUSY);
    releaseAll();
    expect((await Promise.all(inFlight)).map((r) => r.remark)).toEqual(['released', 'released', 'released']);
    await first;
    expect(server.channels.length).toBe(0);
    await expect(client.invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000)).rejects.toMatchObject({ name: 'RemotingConnectError' });
  });

  it('shutdown closes connections after shutdownGraceMs even if a processor never finishes', async () => {
    const { server, addr, held } = await startServer({ shutdownGraceMs: 100 });
    const client = newClient();
    const stuck = client.invokeSync(addr, createRequestCommand(CODE_HOLD), 20_000).catch((e: unknown) => e);
    await waitFor(() => held.length === 1);
    await server.shutdown();
    const error = await stuck;
    expect(error).toBeInstanceOf(RemotingClosedError);
    expect(server.requestsInFlight).toBe(1);
  });

  it('emits channelOpen and channelClose once per connection, with the peer address', async () => {
    const { addr, events } = await startServer();
    const client = newClient();
    await client.invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000);
    await client.closeChannel(addr);
    await waitFor(() => events.close.length === 1);
    expect(events.open.length).toBe(1);
    const [channel, reason] = events.close[0]!;
    expect(channel).toBe(events.open[0]);
    expect(channel.isActive).toBe(false);
    expect(channel.remoteAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(channel.localAddress).toBe(addr);
    expect(reason).toBe('closed by peer');
  });

  it('keeps serving when an event listener throws', async () => {
    const { server, addr } = await startServer();
    server.on('channelOpen', () => {
      throw new Error('listener bug');
    });
    expect((await newClient().invokeSync(addr, createRequestCommand(CODE_ECHO), 3_000)).code).toBe(0);
  });
});
