// Bounds that protect memory: a server stops reading from a peer that does not read its
// responses; oneway requests not yet flushed are bounded on both sides; a bad frame from the
// server side closes the client's connection and fails what was pending on it.

import { afterEach, describe, expect, it } from 'vitest';
import { MiB } from '@apogee/common';
import { RemotingClosedError, RemotingTooMuchRequestError } from '../../src/errors.js';
import { createRequestCommand, createResponseCommand } from '../../src/protocol/remoting-command.js';
import { ResponseCode } from '../../src/protocol/response-code.js';
import type { Channel } from '../../src/transport/channel.js';
import type { Connection } from '../../src/transport/connection.js';
import { RemotingClient } from '../../src/transport/remoting-client.js';
import { RemotingServer } from '../../src/transport/remoting-server.js';
import { WRITE_BUFFER_BYTES_PAUSE } from '../../src/transport/transport-limits.js';
import { CannedResponseServer, quietLogger, RawRemotingPeer, waitFor } from '../../src/testing/index.js';

const CODE = 7_501;

describe('transport bounds', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startServer(options: ConstructorParameters<typeof RemotingServer>[0] = {}): Promise<RemotingServer> {
    const server = new RemotingServer({ logger: quietLogger('bounds-server'), ...options });
    cleanups.push(() => server.shutdown());
    return server;
  }

  it('pauses reading from a peer that does not read its responses, and resumes once it does', async () => {
    const server = await startServer();
    const response = Buffer.alloc(1 * MiB, 0x5a); // shared: the server writes it without copying
    let processed = 0;
    server.registerProcessor(CODE, {
      process: (_ctx, req) => {
        processed++;
        return createResponseCommand(req, ResponseCode.SUCCESS, undefined, undefined, response);
      },
    });
    await server.start();
    const peer = await RawRemotingPeer.connect(server.port);
    cleanups.push(() => peer.close());
    peer.pauseReading();
    await waitFor(() => server.channels.length === 1);
    const connection = server.channels[0] as Connection;
    const requestsTotal = 48;
    let sent = 0;
    // One request at a time, each once the previous one was processed, until the server pauses.
    while (sent < requestsTotal && !connection.isReadPaused) {
      sent++;
      peer.sendCommand({ ...createRequestCommand(CODE), opaque: sent });
      await waitFor(() => processed === sent || connection.isReadPaused);
    }
    expect(connection.isReadPaused).toBe(true);
    expect(processed).toBeLessThan(requestsTotal);
    // What the server holds for this peer is about the threshold plus the last response.
    expect(connection.unflushedBytes).toBeGreaterThan(WRITE_BUFFER_BYTES_PAUSE);
    expect(connection.unflushedBytes).toBeLessThanOrEqual(WRITE_BUFFER_BYTES_PAUSE + response.length + 4_096);
    while (sent < requestsTotal) {
      sent++;
      peer.sendCommand({ ...createRequestCommand(CODE), opaque: sent });
    }
    peer.resumeReading();
    await waitFor(() => peer.frames.length === requestsTotal, { timeoutMs: 20_000 });
    expect(processed).toBe(requestsTotal);
    expect(peer.frames.map((f) => f.opaque)).toEqual(Array.from({ length: requestsTotal }, (_, i) => i + 1));
    expect(peer.frames.every((f) => f.body?.length === response.length)).toBe(true);
    expect(connection.isReadPaused).toBe(false);
  });

  it('bounds server-initiated oneway requests not yet flushed (onewayInFlightMax)', async () => {
    const server = await startServer({ onewayInFlightMax: 2 });
    const opened: Channel[] = [];
    server.on('channelOpen', (ch) => opened.push(ch));
    await server.start();
    const peer = await RawRemotingPeer.connect(server.port);
    cleanups.push(() => peer.close());
    await waitFor(() => opened.length === 1);
    // All three start in one tick; none can be flushed before the turn ends.
    const results = await Promise.allSettled([1, 2, 3].map(() => server.invokeOneway(opened[0]!, createRequestCommand(CODE), 1_000)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    const third = results[2] as PromiseRejectedResult;
    expect(third.reason).toBeInstanceOf(RemotingTooMuchRequestError);
    expect(third.reason).toMatchObject({ limit: 2 });
    await waitFor(() => peer.frames.length === 2);
    // Capacity is back once flushed.
    await server.invokeOneway(opened[0]!, createRequestCommand(CODE), 1_000);
    await waitFor(() => peer.frames.length === 3);
  });

  it('bounds client oneway requests not yet flushed (onewayInFlightMax)', async () => {
    const canned = new CannedResponseServer(() => 'ignore');
    await canned.start();
    cleanups.push(() => canned.shutdown());
    const client = new RemotingClient({ onewayInFlightMax: 2, logger: quietLogger('bounds-client') });
    cleanups.push(() => client.shutdown());
    await client.invokeOneway(canned.addr, createRequestCommand(CODE), 1_000);
    const results = await Promise.allSettled([1, 2, 3].map(() => client.invokeOneway(canned.addr, createRequestCommand(CODE), 1_000)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ name: 'RemotingTooMuchRequestError', limit: 2 });
    await waitFor(() => canned.received.length === 3);
  });

  it('a malformed frame from the server closes the client connection and fails its pending requests', async () => {
    const canned = new CannedResponseServer((request) => (request.extFields?.poison === 'true' ? Buffer.from([0, 0, 0, 8, 7, 0, 0, 0, 1, 2, 3, 4]) : 'ignore'));
    await canned.start();
    cleanups.push(() => canned.shutdown());
    const client = new RemotingClient({ logger: quietLogger('bounds-client') });
    cleanups.push(() => client.shutdown());
    const invalid: string[] = [];
    client.on('invalidFrame', (_ch, reason) => invalid.push(reason));
    const waiting = client.invokeSync(canned.addr, createRequestCommand(CODE), 20_000).catch((e: unknown) => e);
    await waitFor(() => canned.received.length === 1);
    const poisoned = await client.invokeSync(canned.addr, createRequestCommand(CODE, { poison: 'true' }), 20_000).catch((e: unknown) => e);
    expect(poisoned).toBeInstanceOf(RemotingClosedError);
    expect((poisoned as RemotingClosedError).reason).toContain('unknown serialize type 7');
    expect(await waiting).toBeInstanceOf(RemotingClosedError);
    expect(invalid).toEqual(['unknown serialize type 7']);
    expect(client.isConnected(canned.addr)).toBe(false);
  });

  it('start() rejects when the port is taken, and shutdown() still completes', async () => {
    const first = await startServer();
    await first.start();
    const second = await startServer({ port: first.port });
    await expect(second.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await second.shutdown();
  });
});
