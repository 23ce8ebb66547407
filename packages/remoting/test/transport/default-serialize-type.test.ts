// The SDK's default header encoding is ROCKETMQ binary (chosen from bench/RESULTS.md figures).
import { afterEach, expect, it } from 'vitest';
import { RemotingClient, RemotingServer, SerializeType, createRequestCommand, createResponseCommand } from '../../src/index.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

it('a client without options sends ROCKETMQ headers and gets the answer in the same type', async () => {
  const server = new RemotingServer({ port: 0 });
  let seen: number | undefined;
  server.registerProcessor(105, { process: (_ctx, req) => ((seen = req.serializeType), createResponseCommand(req, 0)) });
  await server.start();
  closers.push(() => server.shutdown());
  const client = new RemotingClient();
  closers.push(() => client.shutdown());
  const res = await client.invokeSync(`127.0.0.1:${server.port}`, createRequestCommand(105, { topic: 'T' }), 3_000);
  expect(seen).toBe(SerializeType.ROCKETMQ);
  expect(res.serializeType).toBe(SerializeType.ROCKETMQ);
});
