// RemotingClient failure paths on real sockets: timeouts, refused connects, a server that drops
// the connection mid-stream (pending requests fail at once, the next call reconnects), shared
// first connects, bounds, shutdown, and the callback and oneway variants.

import { afterEach, describe, expect, it } from 'vitest';
import { RemotingClosedError, RemotingConnectError, RemotingTimeoutError, RemotingTooMuchRequestError } from '../../src/errors.js';
import { createRequestCommand, createResponseCommand, isOneway, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { ResponseCode } from '../../src/protocol/response-code.js';
import { RemotingClient, type RemotingClientOptions } from '../../src/transport/remoting-client.js';
import type { InvokeResult } from '../../src/transport/request-processor.js';
import { answerSuccess, CannedResponseServer, closedLoopbackPort, quietLogger, waitFor } from '../../src/testing/index.js';

const CODE = 7_201;

describe('RemotingClient failures', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function cannedServer(handler = answerSuccess): Promise<CannedResponseServer> {
    const server = new CannedResponseServer(handler);
    await server.start();
    cleanups.push(() => server.shutdown());
    return server;
  }

  function newClient(options: RemotingClientOptions = {}): RemotingClient {
    const client = new RemotingClient({ logger: quietLogger('failures-client'), ...options });
    cleanups.push(() => client.shutdown());
    return client;
  }

  it('times out a request nobody answers, with its addr, opaque and timeout, and forgets it', async () => {
    const server = await cannedServer(() => 'ignore');
    const client = newClient();
    const request = createRequestCommand(CODE);
    const error = await client.invokeSync(server.addr, request, 200).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemotingTimeoutError);
    expect(error).toMatchObject({ addr: server.addr, opaque: request.opaque, timeoutMs: 200 });
    expect(request.opaque).toBeGreaterThan(0);
    expect(client.pendingRequestCount(server.addr)).toBe(0);
    // A late answer to the timed-out opaque is dropped; the connection keeps working.
    server.sendToAll(createResponseCommand(request, ResponseCode.SUCCESS));
    server.setHandler(answerSuccess);
    expect((await client.invokeSync(server.addr, createRequestCommand(CODE), 3_000)).code).toBe(ResponseCode.SUCCESS);
    expect(server.connectionCount).toBe(1);
  });

  it('ignores a response whose opaque matches nothing and still matches the real one', async () => {
    const server = await cannedServer((request) => [
      { ...createResponseCommand(request, ResponseCode.SYSTEM_ERROR, 'stray'), opaque: request.opaque + 1_000 },
      createResponseCommand(request, ResponseCode.SUCCESS, 'real'),
    ]);
    const response = await newClient().invokeSync(server.addr, createRequestCommand(CODE), 3_000);
    expect(response.remark).toBe('real');
  });

  it('rejects with RemotingConnectError when nothing listens, and for a malformed address', async () => {
    const port = await closedLoopbackPort();
    const client = newClient();
    const refused = await client.invokeSync(`127.0.0.1:${port}`, createRequestCommand(CODE), 3_000).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RemotingConnectError);
    expect(refused).not.toBeInstanceOf(RemotingClosedError);
    expect(refused).toMatchObject({ addr: `127.0.0.1:${port}`, cause: { code: 'ECONNREFUSED' } });
    const malformed = await client.invokeSync('no-port-here', createRequestCommand(CODE), 3_000).catch((e: unknown) => e);
    expect(malformed).toBeInstanceOf(RemotingConnectError);
    expect((malformed as Error).message).toContain('not host:port');
  });

  it('fails pending requests at once when the server drops the connection, then reconnects on the next call', async () => {
    const server = await cannedServer(() => 'ignore');
    const client = newClient();
    const startMs = Date.now();
    const pending = [1, 2, 3].map(() => client.invokeSync(server.addr, createRequestCommand(CODE), 20_000).catch((e: unknown) => e));
    await waitFor(() => server.received.length === 3);
    server.dropConnections();
    const errors = await Promise.all(pending);
    for (const error of errors) {
      expect(error).toBeInstanceOf(RemotingClosedError);
      expect(error).toMatchObject({ addr: server.addr });
    }
    // Far sooner than their 20 s timeout: they did not wait for it.
    expect(Date.now() - startMs).toBeLessThan(10_000);
    server.setHandler(answerSuccess);
    const response = await client.invokeSync(server.addr, createRequestCommand(CODE), 3_000);
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(server.connectionCount).toBe(1);
  });

  it('fails the other pending requests when the server closes after answering one', async () => {
    const server = await cannedServer((request) => (request.extFields?.last === 'true' ? [createResponseCommand(request, 0, 'bye'), 'close'] : 'ignore'));
    const client = newClient();
    const waiting = client.invokeSync(server.addr, createRequestCommand(CODE), 20_000).catch((e: unknown) => e);
    await waitFor(() => server.received.length === 1);
    const last = await client.invokeSync(server.addr, createRequestCommand(CODE, { last: 'true' }), 3_000);
    expect(last.remark).toBe('bye');
    expect(await waiting).toBeInstanceOf(RemotingClosedError);
  });

  it('shares one connect among concurrent first calls to an address', async () => {
    let accepted = 0;
    const server = await cannedServer();
    const client = newClient();
    const responses = await Promise.all(Array.from({ length: 50 }, () => client.invokeSync(server.addr, createRequestCommand(CODE), 3_000)));
    accepted = server.connectionCount;
    expect(responses.every((r) => r.code === ResponseCode.SUCCESS)).toBe(true);
    expect(accepted).toBe(1);
    expect(new Set(server.received.map((r) => r.opaque)).size).toBe(50);
  });

  it('bounds pending requests per connection with RemotingTooMuchRequestError { limit }', async () => {
    const server = await cannedServer(() => 'ignore');
    const client = newClient({ pendingRequestsMax: 4 });
    const held = Array.from({ length: 4 }, () => client.invokeSync(server.addr, createRequestCommand(CODE), 300).catch((e: unknown) => e));
    await waitFor(() => client.pendingRequestCount(server.addr) === 4);
    const overflow = await client.invokeSync(server.addr, createRequestCommand(CODE), 3_000).catch((e: unknown) => e);
    expect(overflow).toBeInstanceOf(RemotingTooMuchRequestError);
    expect(overflow).toMatchObject({ limit: 4 });
    for (const error of await Promise.all(held)) expect(error).toBeInstanceOf(RemotingTimeoutError);
    server.setHandler(answerSuccess);
    expect((await client.invokeSync(server.addr, createRequestCommand(CODE), 3_000)).code).toBe(ResponseCode.SUCCESS);
  });

  it('bounds calls waiting for a connect by pendingRequestsMax too', async () => {
    const server = await cannedServer();
    const client = newClient({ pendingRequestsMax: 2 });
    const results = await Promise.allSettled([1, 2, 3].map(() => client.invokeSync(server.addr, createRequestCommand(CODE), 3_000)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toMatchObject({ name: 'RemotingTooMuchRequestError', limit: 2 });
  });

  it('closeChannel fails pending requests with RemotingClosedError and the next call reconnects', async () => {
    const server = await cannedServer((request) => (request.extFields?.hold === 'true' ? 'ignore' : createResponseCommand(request, 0)));
    const client = newClient();
    const held = client.invokeSync(server.addr, createRequestCommand(CODE, { hold: 'true' }), 20_000).catch((e: unknown) => e);
    await waitFor(() => server.received.length === 1);
    await client.closeChannel(server.addr);
    expect(await held).toMatchObject({ name: 'RemotingClosedError', reason: 'closed by client' });
    expect(client.isConnected(server.addr)).toBe(false);
    expect((await client.invokeSync(server.addr, createRequestCommand(CODE), 3_000)).code).toBe(0);
    expect(client.isConnected(server.addr)).toBe(true);
  });

  it('shutdown fails pending requests, refuses new calls and is idempotent', async () => {
    const server = await cannedServer(() => 'ignore');
    const client = newClient();
    const held = client.invokeSync(server.addr, createRequestCommand(CODE), 20_000).catch((e: unknown) => e);
    await waitFor(() => server.received.length === 1);
    const first = client.shutdown();
    expect(client.shutdown()).toBe(first);
    await first;
    expect(await held).toBeInstanceOf(RemotingClosedError);
    const after = await client.invokeSync(server.addr, createRequestCommand(CODE), 1_000).catch((e: unknown) => e);
    expect(after).toMatchObject({ name: 'RemotingClosedError', reason: 'client is shut down' });
    await waitFor(() => server.connectionCount === 0);
  });

  it('invokeAsync calls back exactly once, never inside the call', async () => {
    const server = await cannedServer();
    const client = newClient();
    const results: InvokeResult[] = [];
    let returned = false;
    client.invokeAsync(server.addr, createRequestCommand(CODE), 3_000, (result) => {
      expect(returned).toBe(true);
      results.push(result);
    });
    returned = true;
    await waitFor(() => results.length === 1);
    expect(results[0]).toMatchObject({ ok: true, response: { code: ResponseCode.SUCCESS } });
    // Immediate failures (here: closed client) are delivered later too.
    await client.shutdown();
    let failedInline = true;
    client.invokeAsync(server.addr, createRequestCommand(CODE), 3_000, (result) => {
      results.push(result);
    });
    failedInline = results.length === 2;
    await waitFor(() => results.length === 2);
    expect(failedInline).toBe(false);
    expect(results[1]).toMatchObject({ ok: false, error: { name: 'RemotingClosedError' } });
  });

  it('sends oneway requests flagged oneway and keeps nothing pending for them', async () => {
    const server = await cannedServer(() => 'ignore');
    const client = newClient();
    await client.invokeOneway(server.addr, createRequestCommand(CODE, { n: '1' }), 3_000);
    await client.invokeOneway(server.addr, createRequestCommand(CODE, { n: '2' }), 3_000);
    await waitFor(() => server.received.length === 2);
    expect(server.received.map((r: RemotingCommand) => [isOneway(r), r.extFields?.n])).toEqual([
      [true, '1'],
      [true, '2'],
    ]);
    expect(client.pendingRequestCount(server.addr)).toBe(0);
  });

  it('rejects timeouts outside 1..2^31-1 ms with InvalidArgumentError', async () => {
    const client = newClient();
    for (const timeoutMs of [0, -1, Number.NaN, 2 ** 31]) {
      await expect(client.invokeSync('127.0.0.1:1', createRequestCommand(CODE), timeoutMs)).rejects.toMatchObject({ name: 'InvalidArgumentError', argumentName: 'timeoutMs' });
    }
  });
});
