// 100,000 request/response round trips between real RemotingClients and a RemotingServer on
// loopback, across all three serialize types at once, hundreds in flight: every response must
// be the echo of its own request (body bytes, extFields, opaque, serialize type).
// Payloads are random from a printed seed (APOGEE_TEST_SEED replays one).

import { afterEach, describe, expect, it } from 'vitest';
import { createRequestCommand, createResponseCommand, SerializeType, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { ResponseCode } from '../../src/protocol/response-code.js';
import { RemotingClient } from '../../src/transport/remoting-client.js';
import { RemotingServer } from '../../src/transport/remoting-server.js';
import { quietLogger } from '../../src/testing/index.js';

const ECHO_CODE = 7_001;
const REQUESTS_TOTAL = 100_000;
const CLIENTS_PER_TYPE = 2;
const IN_FLIGHT_PER_CLIENT = 200;
const BODY_BYTES_MAX = 2_048;

/** xorshift32: deterministic from the seed, fast enough for 100k payloads. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

const ALPHABET = ['a', 'Z', '0', '-', ' ', '"', '\\', 'é', '标', '😀', '{', ':'];

function randomText(next: () => number, lengthMax: number): string {
  const length = Math.floor(next() * lengthMax);
  let text = '';
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return text;
}

function sameFields(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (a === undefined) return false;
  const keys = Object.keys(b);
  return Object.keys(a).length === keys.length && keys.every((k) => a[k] === b[k]);
}

describe('RemotingClient <-> RemotingServer echo', () => {
  let server: RemotingServer | undefined;
  const clients: RemotingClient[] = [];

  afterEach(async () => {
    await Promise.all(clients.map((c) => c.shutdown()));
    clients.length = 0;
    await server?.shutdown();
  });

  it('matches 100,000 concurrent responses to their requests over JSON, ROCKETMQ and MSGPACK', async () => {
    const seed = Number(process.env.APOGEE_TEST_SEED ?? Date.now() % 0x7fff_ffff);
    console.info(`rpc-echo seed ${seed} (replay with APOGEE_TEST_SEED=${seed})`);
    const next = prng(seed);
    const pool = Buffer.alloc(64 * 1024);
    for (let i = 0; i < pool.length; i++) pool[i] = Math.floor(next() * 256);

    server = new RemotingServer({ logger: quietLogger('echo-server') });
    let served = 0;
    server.registerProcessor(ECHO_CODE, {
      process: (_ctx, request) => {
        served++;
        // Odd requests answer asynchronously, even ones synchronously: both paths are exercised.
        const response = createResponseCommand(request, ResponseCode.SUCCESS, undefined, request.extFields, request.body);
        return Number(request.extFields?.seq) % 2 === 1 ? Promise.resolve(response) : response;
      },
    });
    await server.start();
    const addr = `127.0.0.1:${server.port}`;

    const types = [SerializeType.JSON, SerializeType.ROCKETMQ, SerializeType.MSGPACK];
    for (const serializeType of types) {
      for (let i = 0; i < CLIENTS_PER_TYPE; i++) clients.push(new RemotingClient({ serializeType, logger: quietLogger('echo-client') }));
    }
    const perClient = Math.ceil(REQUESTS_TOTAL / clients.length);
    let matched = 0;
    const mismatches: string[] = [];

    const runClient = async (client: RemotingClient, clientIndex: number, serializeType: SerializeType): Promise<void> => {
      let nextSeq = clientIndex * perClient;
      const endSeq = Math.min(nextSeq + perClient, REQUESTS_TOTAL);
      const worker = async (): Promise<void> => {
        while (nextSeq < endSeq) {
          const seq = nextSeq++;
          // Each request's payload depends only on (seed, seq), whatever the interleaving.
          const next = prng((seed + Math.imul(seq, 0x9e37_79b9)) >>> 0);
          const bodyBytes = Math.floor(next() * BODY_BYTES_MAX);
          const offset = Math.floor(next() * (pool.length - bodyBytes));
          const body = bodyBytes === 0 ? undefined : pool.subarray(offset, offset + bodyBytes);
          const extFields = { seq: String(seq), text: randomText(next, 24), client: String(clientIndex) };
          const request = createRequestCommand(ECHO_CODE, { ...extFields }, body);
          const response: RemotingCommand = await client.invokeSync(addr, request, 10_000);
          const ok =
            response.code === ResponseCode.SUCCESS &&
            response.opaque === request.opaque &&
            response.serializeType === serializeType &&
            sameFields(response.extFields, extFields) &&
            (body === undefined ? response.body === undefined : response.body?.equals(body) === true);
          if (ok) matched++;
          else if (mismatches.length < 5) mismatches.push(`seq ${seq} type ${serializeType}: ${JSON.stringify({ ...response, body: response.body?.length })}`);
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT_PER_CLIENT }, worker));
    };

    await Promise.all(clients.map((client, i) => runClient(client, i, types[Math.floor(i / CLIENTS_PER_TYPE)]!)));

    expect(mismatches, `seed ${seed}`).toEqual([]);
    expect(matched).toBe(REQUESTS_TOTAL);
    expect(served).toBe(REQUESTS_TOTAL);
    // One connection per client, however many requests were in flight on it.
    expect(server.channels.length).toBe(clients.length);
  }, 60_000);
});
