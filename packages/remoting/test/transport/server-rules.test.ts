// RocketMQ's generic request-handling rules on a real server: unknown code -> 3, processor throws
// -> 1 with the error text, flow control -> 2 with [REJECTREQUEST] / [OVERLOAD], oneway requests
// never answered, responses carry the request's opaque and serialize type.

import { afterEach, describe, expect, it } from 'vitest';
import { createRequestCommand, createResponseCommand, isResponse, RPC_ONEWAY_BIT, SerializeType, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { ResponseCode } from '../../src/protocol/response-code.js';
import { RemotingClient } from '../../src/transport/remoting-client.js';
import { RemotingServer, type RemotingServerOptions } from '../../src/transport/remoting-server.js';
import { quietLogger, RawRemotingPeer, waitFor } from '../../src/testing/index.js';

const CODE_OK = 7_101;
const CODE_THROWS = 7_102;
const CODE_REJECTS = 7_103;
const CODE_SLOW = 7_104;
const CODE_NULL = 7_105;
const CODE_UNKNOWN = 7_199;

describe('RemotingServer request rules', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function startServer(options: RemotingServerOptions = {}): Promise<{ server: RemotingServer; addr: string }> {
    const server = new RemotingServer({ logger: quietLogger('rules-server'), ...options });
    cleanups.push(() => server.shutdown());
    server.registerProcessor(CODE_OK, { process: (_ctx, req) => createResponseCommand(req, ResponseCode.SUCCESS, 'ok') });
    server.registerProcessor(CODE_THROWS, {
      process: () => {
        throw new RangeError('queueId 99 out of range');
      },
    });
    server.registerProcessor(CODE_REJECTS, { process: (_ctx, req) => createResponseCommand(req, ResponseCode.SUCCESS), rejectRequest: () => true });
    server.registerProcessor(CODE_NULL, { process: () => null });
    await server.start();
    return { server, addr: `127.0.0.1:${server.port}` };
  }

  function newClient(serializeType: SerializeType = SerializeType.JSON): RemotingClient {
    const client = new RemotingClient({ serializeType, logger: quietLogger('rules-client') });
    cleanups.push(() => client.shutdown());
    return client;
  }

  it('answers an unknown code with REQUEST_CODE_NOT_SUPPORTED and the RocketMQ remark', async () => {
    const { addr } = await startServer();
    const response = await newClient().invokeSync(addr, createRequestCommand(CODE_UNKNOWN), 3_000);
    expect(response.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(response.remark).toBe(` request type ${CODE_UNKNOWN} not supported`);
  });

  it('answers unknown codes through the default processor when one is registered', async () => {
    const { server, addr } = await startServer();
    server.registerDefaultProcessor({ process: (_ctx, req) => createResponseCommand(req, ResponseCode.SUCCESS, `default ${req.code}`) });
    const response = await newClient().invokeSync(addr, createRequestCommand(CODE_UNKNOWN), 3_000);
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.remark).toBe(`default ${CODE_UNKNOWN}`);
  });

  it('answers SYSTEM_ERROR with the error text when a processor throws or rejects', async () => {
    const { server, addr } = await startServer();
    server.registerProcessor(CODE_SLOW, { process: () => Promise.reject(new Error('store not ready')) });
    const client = newClient();
    const thrown = await client.invokeSync(addr, createRequestCommand(CODE_THROWS), 3_000);
    expect(thrown.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(thrown.remark).toBe('RangeError: queueId 99 out of range');
    const rejected = await client.invokeSync(addr, createRequestCommand(CODE_SLOW), 3_000);
    expect(rejected.code).toBe(ResponseCode.SYSTEM_ERROR);
    expect(rejected.remark).toBe('Error: store not ready');
    // The connection survives both.
    expect((await client.invokeSync(addr, createRequestCommand(CODE_OK), 3_000)).code).toBe(ResponseCode.SUCCESS);
    expect(server.channels.length).toBe(1);
  });

  it('answers SYSTEM_BUSY [REJECTREQUEST] when the processor rejects the request', async () => {
    const { addr } = await startServer();
    const response = await newClient().invokeSync(addr, createRequestCommand(CODE_REJECTS), 3_000);
    expect(response.code).toBe(ResponseCode.SYSTEM_BUSY);
    expect(response.remark?.startsWith('[REJECTREQUEST]')).toBe(true);
  });

  it('answers SYSTEM_ERROR when rejectRequest() itself throws', async () => {
    const { server, addr } = await startServer();
    server.registerProcessor(CODE_SLOW, {
      process: (_ctx, req) => createResponseCommand(req, ResponseCode.SUCCESS),
      rejectRequest: () => {
        throw new Error('flow control state lost');
      },
    });
    const response = await newClient().invokeSync(addr, createRequestCommand(CODE_SLOW), 3_000);
    expect(response).toMatchObject({ code: ResponseCode.SYSTEM_ERROR, remark: 'Error: flow control state lost' });
  });

  it('answers SYSTEM_BUSY [OVERLOAD] once requestsInFlightMax processors are running', async () => {
    const { server, addr } = await startServer({ requestsInFlightMax: 3 });
    const releases: Array<() => void> = [];
    server.registerProcessor(CODE_SLOW, {
      process: (_ctx, req) => new Promise<RemotingCommand>((resolve) => releases.push(() => resolve(createResponseCommand(req, ResponseCode.SUCCESS)))),
    });
    const client = newClient();
    const held = [1, 2, 3].map(() => client.invokeSync(addr, createRequestCommand(CODE_SLOW), 5_000));
    await waitFor(() => server.requestsInFlight === 3);
    const busy = await client.invokeSync(addr, createRequestCommand(CODE_OK), 3_000);
    expect(busy.code).toBe(ResponseCode.SYSTEM_BUSY);
    expect(busy.remark?.startsWith('[OVERLOAD]')).toBe(true);
    for (const release of releases) release();
    expect((await Promise.all(held)).map((r) => r.code)).toEqual([0, 0, 0]);
    // Capacity is back once they finished.
    expect((await client.invokeSync(addr, createRequestCommand(CODE_OK), 3_000)).code).toBe(ResponseCode.SUCCESS);
  });

  it('bounds processors per connection with channelRequestsInFlightMax, leaving other connections served', async () => {
    const { server, addr } = await startServer({ channelRequestsInFlightMax: 2 });
    const releases: Array<() => void> = [];
    server.registerProcessor(CODE_SLOW, {
      process: (_ctx, req) => new Promise<RemotingCommand>((resolve) => releases.push(() => resolve(createResponseCommand(req, ResponseCode.SUCCESS)))),
    });
    const flooding = newClient();
    const held = [1, 2].map(() => flooding.invokeSync(addr, createRequestCommand(CODE_SLOW), 5_000));
    await waitFor(() => server.requestsInFlight === 2);
    expect((await flooding.invokeSync(addr, createRequestCommand(CODE_OK), 3_000)).remark?.startsWith('[OVERLOAD]')).toBe(true);
    expect((await newClient().invokeSync(addr, createRequestCommand(CODE_OK), 3_000)).code).toBe(ResponseCode.SUCCESS);
    for (const release of releases) release();
    await Promise.all(held);
  });

  it('processes oneway requests and never answers them, even on errors or unknown codes', async () => {
    const { server } = await startServer();
    const seen: number[] = [];
    server.registerProcessor(CODE_SLOW, {
      process: (_ctx, req) => {
        seen.push(Number(req.extFields?.n));
        return createResponseCommand(req, ResponseCode.SUCCESS);
      },
    });
    const peer = await RawRemotingPeer.connect(server.port);
    cleanups.push(() => peer.close());
    const oneway = (code: number, n: number): RemotingCommand => ({ ...createRequestCommand(code, { n: String(n) }), opaque: n, flag: RPC_ONEWAY_BIT });
    peer.sendCommand(oneway(CODE_SLOW, 1));
    peer.sendCommand(oneway(CODE_THROWS, 2));
    peer.sendCommand(oneway(CODE_UNKNOWN, 3));
    peer.sendCommand(oneway(CODE_REJECTS, 4));
    peer.sendCommand(oneway(CODE_SLOW, 5));
    // A normal request after them: its answer arriving proves the oneways were read first.
    peer.sendCommand({ ...createRequestCommand(CODE_OK), opaque: 6 });
    await waitFor(() => peer.frames.length >= 1);
    expect(peer.frames.map((f) => f.opaque)).toEqual([6]);
    expect(seen).toEqual([1, 5]);
  });

  it('sends nothing when a processor returns null for a normal request (the caller times out)', async () => {
    const { addr } = await startServer();
    const error = await newClient().invokeSync(addr, createRequestCommand(CODE_NULL), 150).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RemotingTimeoutError', timeoutMs: 150 });
  });

  it.each([
    ['JSON', SerializeType.JSON],
    ['ROCKETMQ', SerializeType.ROCKETMQ],
    ['MSGPACK', SerializeType.MSGPACK],
  ] as const)('answers a %s request in %s with the request opaque and the response flag', async (_name, serializeType) => {
    const { server } = await startServer();
    const peer = await RawRemotingPeer.connect(server.port);
    cleanups.push(() => peer.close());
    peer.sendCommand({ ...createRequestCommand(CODE_OK, { k: 'v' }), opaque: 424_242, serializeType });
    await waitFor(() => peer.frames.length === 1);
    const response = peer.frames[0]!;
    expect(isResponse(response)).toBe(true);
    expect(response).toMatchObject({ opaque: 424_242, serializeType, code: ResponseCode.SUCCESS, remark: 'ok', language: 'JAVA' });
  });
});
