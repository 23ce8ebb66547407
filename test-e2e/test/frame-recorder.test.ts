// The recording proxy against plain node:net peers (no Java needed): frames are cut at their
// length prefix however the bytes arrive, recorded per direction, forwarded unchanged (or
// rewritten), and a stream with an impossible length passes through raw.
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { bodyAddressSwap } from '../src/capture-session.js';
import { encodeJsonRequestFrame, peekFrame } from '../src/frame-peek.js';
import { FrameRecorder } from '../src/frame-recorder.js';

const PORT_BASE = 32_911; // beside the Java slots of src/ports.ts; this file uses 32911..32914

interface EchoServer {
  server: net.Server;
  received: Buffer[];
}

/** Answers every complete frame with a response frame (same opaque, flag 1, body echoed). */
async function startFrameEcho(port: number): Promise<EchoServer> {
  const received: Buffer[] = [];
  const server = net.createServer((socket) => {
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.readInt32BE(0) >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(0, 4 + pending.readInt32BE(0));
        pending = pending.subarray(frame.length);
        const cmd = peekFrame(frame);
        const header = Buffer.from(JSON.stringify({ code: 0, flag: 1, language: 'JAVA', opaque: cmd.opaque, version: 479 }));
        const out = Buffer.alloc(8 + header.length + cmd.body.length);
        out.writeInt32BE(4 + header.length + cmd.body.length, 0);
        out.writeUInt32BE(header.length, 4);
        header.copy(out, 8);
        cmd.body.copy(out, 8 + header.length);
        socket.write(out);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port }, resolve));
  return { server, received };
}

async function until(cond: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('FrameRecorder', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup(offset: number, rewrite?: Parameters<typeof FrameRecorder.start>[0]['rewrite']): Promise<{ echo: EchoServer; recorder: FrameRecorder; client: net.Socket; replies: Buffer[] }> {
    const echo = await startFrameEcho(PORT_BASE + offset);
    cleanups.push(() => new Promise<void>((r) => echo.server.close(() => r())));
    const recorder = await FrameRecorder.start({ listenPort: PORT_BASE + offset + 1, targetPort: PORT_BASE + offset, ...(rewrite ? { rewrite } : {}) });
    cleanups.push(() => recorder.shutdown());
    const client = net.connect({ host: '127.0.0.1', port: recorder.port });
    cleanups.push(async () => {
      client.destroy();
    });
    const replies: Buffer[] = [];
    client.on('data', (c: Buffer) => replies.push(c));
    await new Promise<void>((r) => client.once('connect', () => r()));
    return { echo, recorder, client, replies };
  }

  it('records whole frames both ways, whatever the chunking, and forwards the same bytes', async () => {
    const { echo, recorder, client, replies } = await setup(0);
    const frames = [1, 2, 3].map((opaque) => encodeJsonRequestFrame(310, opaque, { b: `topic-${opaque}` }, Buffer.from(`body ${opaque}`)));
    const all = Buffer.concat(frames);
    // awkward chunks: 1 byte, then 7, then the rest of frame 1 with half of frame 2, then the rest
    for (const [from, to] of [[0, 1], [1, 8], [8, frames[0]!.length + 20], [frames[0]!.length + 20, all.length]] as const) {
      client.write(all.subarray(from, to));
      await new Promise((r) => setTimeout(r, 20));
    }
    await until(() => recorder.frames.filter((f) => f.direction === 'toClient').length === 3, 5_000);
    const toServer = recorder.frames.filter((f) => f.direction === 'toServer');
    expect(toServer.map((f) => f.bytes.toString('hex'))).toEqual(frames.map((f) => f.toString('hex')));
    expect(Buffer.concat(echo.received).equals(all)).toBe(true);
    const toClient = recorder.frames.filter((f) => f.direction === 'toClient').map((f) => peekFrame(f.bytes));
    expect(toClient.map((c) => [c.opaque, c.flag, c.body.toString()])).toEqual([[1, 1, 'body 1'], [2, 1, 'body 2'], [3, 1, 'body 3']]);
    const recordedReplies = Buffer.concat(recorder.frames.filter((f) => f.direction === 'toClient').map((f) => f.bytes));
    await until(() => Buffer.concat(replies).length >= recordedReplies.length, 5_000);
    expect(Buffer.concat(replies).equals(recordedReplies)).toBe(true);
    expect(new Set(recorder.frames.map((f) => f.connectionId))).toEqual(new Set([1]));
    expect(recorder.frames.every((f, i, a) => i === 0 || f.atMs >= (a[i - 1]?.atMs ?? 0))).toBe(true);
  });

  it('rewrites frames on their way but records the originals (the route address swap)', async () => {
    const { recorder, client, replies } = await setup(2, bodyAddressSwap('127.0.0.1:30911', '127.0.0.1:31912'));
    client.write(encodeJsonRequestFrame(105, 9, { topic: 'T' }, Buffer.from('{"brokerAddrs":{"0":"127.0.0.1:30911"}}')));
    await until(() => recorder.frames.length === 2, 5_000);
    const recordedBytes = recorder.frames.find((f) => f.direction === 'toClient')?.bytes.length ?? -1;
    await until(() => Buffer.concat(replies).length === recordedBytes, 5_000);
    const recorded = recorder.frames.find((f) => f.direction === 'toClient');
    expect(recorded && peekFrame(recorded.bytes).body.toString()).toBe('{"brokerAddrs":{"0":"127.0.0.1:30911"}}');
    expect(peekFrame(Buffer.concat(replies)).body.toString()).toBe('{"brokerAddrs":{"0":"127.0.0.1:31912"}}');
  });

  it('passes bytes through untouched after an impossible length prefix', async () => {
    const { echo, recorder, client } = await setup(0);
    const garbage = Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3]);
    client.write(garbage);
    await until(() => Buffer.concat(echo.received).length === garbage.length, 5_000);
    expect(Buffer.concat(echo.received).equals(garbage)).toBe(true);
    expect(recorder.frames).toHaveLength(0);
  });
});

describe('bodyAddressSwap', () => {
  it('changes only the body and refuses addresses of different lengths', () => {
    const swap = bodyAddressSwap('127.0.0.1:30911', '127.0.0.1:31912');
    const frame = encodeJsonRequestFrame(105, 1, { note: '127.0.0.1:30911' }, Buffer.from('a 127.0.0.1:30911 b 127.0.0.1:30911'));
    const out = peekFrame(swap(frame, 'toClient'));
    expect(out.extFields.note).toBe('127.0.0.1:30911');
    expect(out.body.toString()).toBe('a 127.0.0.1:31912 b 127.0.0.1:31912');
    expect(swap(frame, 'toServer')).toBe(frame);
    expect(() => bodyAddressSwap('127.0.0.1:30911', '127.0.0.1:3091')).toThrow(/equal lengths/);
  });
});
