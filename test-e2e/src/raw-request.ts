// One request, one response, over a fresh loopback connection, with the harness's own tiny codec
// (frame-peek.ts). Used to ask a Java NameServer whether a broker has registered yet.
import net from 'node:net';
import { encodeJsonRequestFrame, peekFrame, PEEK_FRAME_BYTES_MAX, type PeekedCommand } from './frame-peek.js';

/** GET_BROKER_CLUSTER_INFO: the NameServer's table of live brokers. */
export const GET_BROKER_CLUSTER_INFO = 106;

export async function rawRequest(
  addr: { host: string; port: number },
  code: number,
  extFields: Record<string, string>,
  timeoutMs: number,
): Promise<PeekedCommand> {
  const opaque = 1;
  return new Promise<PeekedCommand>((resolve, reject) => {
    const socket = net.connect({ host: addr.host, port: addr.port });
    let pending = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error(`no response from ${addr.host}:${addr.port} within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
    const finish = (err: Error | undefined, cmd?: PeekedCommand): void => {
      clearTimeout(timer);
      socket.destroy();
      if (err !== undefined) reject(err);
      else if (cmd !== undefined) resolve(cmd);
    };
    socket.once('error', (err) => finish(err));
    socket.once('connect', () => socket.write(encodeJsonRequestFrame(code, opaque, extFields)));
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4) {
        const length = pending.readInt32BE(0);
        if (length < 4 || length > PEEK_FRAME_BYTES_MAX) return finish(new Error(`bad frame length ${length}`));
        if (pending.length < 4 + length) return;
        const frame = pending.subarray(0, 4 + length);
        pending = pending.subarray(4 + length);
        const cmd = peekFrame(frame);
        if ((cmd.flag & 1) === 1 && cmd.opaque === opaque) return finish(undefined, cmd);
      }
    });
    socket.once('close', () => finish(new Error(`connection to ${addr.host}:${addr.port} closed before a response`)));
  });
}

/**
 * Resolves once the NameServer's cluster info names `brokerAddr` (the broker's first
 * registration has arrived); polls every 200 ms until `timeoutMs`.
 */
export async function waitForBrokerRegistration(
  namesrv: { host: string; port: number },
  brokerAddr: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const res = await rawRequest(namesrv, GET_BROKER_CLUSTER_INFO, {}, 2_000);
      const text = res.body.toString('utf8');
      if (res.code === 0 && text.includes(`"${brokerAddr}"`)) return;
      last = `code ${res.code}, body ${text.slice(0, 200)}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`broker ${brokerAddr} not registered at ${namesrv.host}:${namesrv.port} within ${timeoutMs} ms (${last})`);
}
