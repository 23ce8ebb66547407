// Requests the server sends to a connected client over the client's own connection (as a broker
// does for CHECK_TRANSACTION_STATE, NOTIFY_CONSUMER_IDS_CHANGED, GET_CONSUMER_RUNNING_INFO),
// answered by processors registered on the RemotingClient.

import { afterEach, describe, expect, it } from 'vitest';
import { RemotingClosedError, RemotingTimeoutError, RemotingTooMuchRequestError } from '../../src/errors.js';
import { createRequestCommand, createResponseCommand, isOneway, RPC_ONEWAY_BIT, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { RequestCode } from '../../src/protocol/request-code.js';
import { ResponseCode } from '../../src/protocol/response-code.js';
import type { Channel } from '../../src/transport/channel.js';
import { RemotingClient } from '../../src/transport/remoting-client.js';
import { RemotingServer, type RemotingServerOptions } from '../../src/transport/remoting-server.js';
import type { InvokeResult } from '../../src/transport/request-processor.js';
import { CannedResponseServer, quietLogger, randomId, waitFor } from '../../src/testing/index.js';

const CODE_PING = 7_401;

describe('server-initiated requests', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A server, a client connected to it, and the server's view of that connection. */
  async function connectedPair(options: RemotingServerOptions = {}) {
    const server = new RemotingServer({ logger: quietLogger('invoke-server'), ...options });
    cleanups.push(() => server.shutdown());
    server.registerProcessor(CODE_PING, { process: (_ctx, req) => createResponseCommand(req, ResponseCode.SUCCESS) });
    const opened: Channel[] = [];
    server.on('channelOpen', (ch) => opened.push(ch));
    await server.start();
    // Short grace: some tests leave a client processor hanging on purpose.
    const client = new RemotingClient({ logger: quietLogger('invoke-client'), shutdownGraceMs: 50 });
    cleanups.push(() => client.shutdown());
    const addr = `127.0.0.1:${server.port}`;
    await client.invokeSync(addr, createRequestCommand(CODE_PING), 3_000);
    await waitFor(() => opened.length === 1);
    return { server, client, addr, channel: opened[0]! };
  }

  it('invokeSync reaches the client processor and returns its response', async () => {
    const { server, client, channel } = await connectedPair();
    const group = `g-${randomId()}`;
    client.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, {
      process: (ctx, req) => createResponseCommand(req, ResponseCode.SUCCESS, `running ${req.extFields?.consumerGroup} via ${ctx.channel.localAddress}`, undefined, Buffer.from('{"properties":{}}')),
    });
    const response = await server.invokeSync(channel, createRequestCommand(RequestCode.GET_CONSUMER_RUNNING_INFO, { consumerGroup: group }), 3_000);
    expect(response.code).toBe(ResponseCode.SUCCESS);
    expect(response.remark).toBe(`running ${group} via ${channel.remoteAddress}`);
    expect(response.body?.toString()).toBe('{"properties":{}}');
  });

  it('invokeOneway delivers CHECK_TRANSACTION_STATE to the client processor', async () => {
    const { server, client, channel } = await connectedPair();
    const seen: RemotingCommand[] = [];
    client.registerProcessor(RequestCode.CHECK_TRANSACTION_STATE, {
      process: (_ctx, req) => {
        seen.push(req);
        return null;
      },
    });
    const txId = randomId();
    await server.invokeOneway(channel, createRequestCommand(RequestCode.CHECK_TRANSACTION_STATE, { transactionId: txId }), 3_000);
    await waitFor(() => seen.length === 1);
    expect(isOneway(seen[0]!)).toBe(true);
    expect(seen[0]!.extFields?.transactionId).toBe(txId);
  });

  it('the client never answers a oneway server request, and answers unknown codes with 3', async () => {
    // A canned server sees every byte the client sends back.
    const canned = new CannedResponseServer();
    await canned.start();
    cleanups.push(() => canned.shutdown());
    const client = new RemotingClient({ logger: quietLogger('invoke-client') });
    cleanups.push(() => client.shutdown());
    let checks = 0;
    client.registerProcessor(RequestCode.CHECK_TRANSACTION_STATE, {
      process: (_ctx, req) => {
        checks++;
        return createResponseCommand(req, ResponseCode.SUCCESS);
      },
    });
    await client.invokeSync(canned.addr, createRequestCommand(CODE_PING), 3_000);
    canned.sendToAll({ ...createRequestCommand(RequestCode.CHECK_TRANSACTION_STATE), opaque: 1, flag: RPC_ONEWAY_BIT });
    canned.sendToAll({ ...createRequestCommand(RequestCode.GET_CONSUMER_RUNNING_INFO), opaque: 2 });
    await waitFor(() => canned.responses.length === 1);
    expect(checks).toBe(1);
    expect(canned.responses[0]).toMatchObject({ opaque: 2, code: ResponseCode.REQUEST_CODE_NOT_SUPPORTED, remark: ` request type ${RequestCode.GET_CONSUMER_RUNNING_INFO} not supported` });
  });

  it('invokeAsync calls back with the response; bounded by asyncInFlightMax', async () => {
    const { server, client, channel } = await connectedPair({ asyncInFlightMax: 2 });
    const releases: Array<() => void> = [];
    client.registerProcessor(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, {
      process: (_ctx, req) => new Promise((resolve) => releases.push(() => resolve(createResponseCommand(req, ResponseCode.SUCCESS)))),
    });
    const results: InvokeResult[] = [];
    for (let i = 0; i < 3; i++) {
      server.invokeAsync(channel, createRequestCommand(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED), 3_000, (r) => results.push(r));
    }
    await waitFor(() => results.length === 1 && releases.length === 2);
    expect(results[0]).toMatchObject({ ok: false });
    const overflow = results[0]!.ok ? undefined : results[0]!.error;
    expect(overflow).toBeInstanceOf(RemotingTooMuchRequestError);
    expect(overflow).toMatchObject({ limit: 2 });
    for (const release of releases) release();
    await waitFor(() => results.length === 3);
    expect(results.slice(1).map((r) => r.ok && r.response.code)).toEqual([0, 0]);
  });

  it('times out when the client processor never answers', async () => {
    const { server, client, channel } = await connectedPair();
    client.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, { process: () => new Promise<null>(() => undefined) });
    const error = await server.invokeSync(channel, createRequestCommand(RequestCode.GET_CONSUMER_RUNNING_INFO), 150).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemotingTimeoutError);
    expect(error).toMatchObject({ addr: channel.remoteAddress, timeoutMs: 150 });
  });

  it('rejects with RemotingClosedError on a channel that has closed', async () => {
    const { server, client, addr, channel } = await connectedPair();
    await client.closeChannel(addr);
    await waitFor(() => !channel.isActive && server.channels.length === 0);
    const error = await server.invokeSync(channel, createRequestCommand(CODE_PING), 1_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemotingClosedError);
    await expect(server.invokeOneway(channel, createRequestCommand(CODE_PING), 1_000)).rejects.toBeInstanceOf(RemotingClosedError);
  });

  it('fails a server request pending on a client that disconnects, at once', async () => {
    const { server, client, addr, channel } = await connectedPair();
    let reached = false;
    client.registerProcessor(RequestCode.GET_CONSUMER_RUNNING_INFO, {
      process: () => {
        reached = true;
        return new Promise<null>(() => undefined);
      },
    });
    const pending = server.invokeSync(channel, createRequestCommand(RequestCode.GET_CONSUMER_RUNNING_INFO), 20_000).catch((e: unknown) => e);
    await waitFor(() => reached);
    await client.closeChannel(addr);
    expect(await pending).toBeInstanceOf(RemotingClosedError);
  });
});
