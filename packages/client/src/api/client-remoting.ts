// The request layer every client API module uses: one RemotingClient (one connection per
// address) plus the NameServer list. A client sticks to one NameServer until a call to it fails
// at the transport level; then it moves to the next one in the list and, while the call's time
// budget lasts, tries that one for the same call (each address at most once per call).
// Non-success responses become errors here, through errorFromResponse, and nowhere else.

import { performance } from 'node:perf_hooks';
import { type Logger } from '@apogee/common';
import {
  type DecodedHeader, type HeaderDef, type HeaderFields, type HeaderInput, type RemotingCommand, type RequestProcessor,
  RemotingClient, RemotingConnectError, RemotingTimeoutError, ResponseCode, createRequestCommand,
} from '@apogee/remoting';
import type { ResolvedClientConfig } from '../client-config.js';
import { ClientErrorCode, MQClientError, MalformedResponseError, errorFromResponse } from '../errors.js';

const SUCCESS_ONLY: ReadonlySet<number> = new Set([ResponseCode.SUCCESS]);

export class ClientRemoting {
  readonly remotingClient: RemotingClient;
  readonly timeoutMs: number;
  private readonly log: Logger;
  private namesrvAddrs: readonly string[];
  private namesrvIndex: number;

  constructor(config: ResolvedClientConfig) {
    this.remotingClient = new RemotingClient({
      serializeType: config.serializeType,
      logger: config.logger.child({ part: 'remoting' }),
      ...(config.rpcHook === undefined ? {} : { rpcHook: config.rpcHook }),
    });
    this.timeoutMs = config.mqClientApiTimeoutMs;
    this.log = config.logger;
    this.namesrvAddrs = config.namesrvAddrs;
    // Java starts at a random index so that clients spread over the NameServers.
    this.namesrvIndex = Math.floor(Math.random() * Math.max(1, this.namesrvAddrs.length));
  }

  /** The NameServer calls go to now (undefined without any). */
  get currentNamesrvAddr(): string | undefined {
    return this.namesrvAddrs.length === 0 ? undefined : this.namesrvAddrs[this.namesrvIndex % this.namesrvAddrs.length];
  }

  get namesrvAddrList(): readonly string[] {
    return this.namesrvAddrs;
  }

  /** Replaces the NameServer list (the next call starts at its first address). */
  updateNamesrvAddrList(addrs: readonly string[]): void {
    this.namesrvAddrs = [...addrs];
    this.namesrvIndex = 0;
  }

  registerProcessor(code: number, processor: RequestProcessor): void {
    this.remotingClient.registerProcessor(code, processor);
  }

  /** A request command from a typed header definition and its value. */
  static request<F extends HeaderFields>(code: number, def: HeaderDef<F>, header: HeaderInput<F>, body?: Buffer): RemotingCommand {
    return createRequestCommand(code, def.encode(header), body);
  }

  /** Any response, whatever its code; transport failures reject. */
  invoke(addr: string, request: RemotingCommand, timeoutMs = this.timeoutMs): Promise<RemotingCommand> {
    return this.remotingClient.invokeSync(addr, request, timeoutMs);
  }

  /** The response if its code is in `okCodes` (default SUCCESS), else the MQBrokerError for it. */
  async invokeExpect(addr: string, request: RemotingCommand, timeoutMs = this.timeoutMs, okCodes: ReadonlySet<number> = SUCCESS_ONLY): Promise<RemotingCommand> {
    const response = await this.invoke(addr, request, timeoutMs);
    if (!okCodes.has(response.code)) throw errorFromResponse(response, addr);
    return response;
  }

  invokeOneway(addr: string, request: RemotingCommand, timeoutMs = this.timeoutMs): Promise<void> {
    return this.remotingClient.invokeOneway(addr, request, timeoutMs);
  }

  /**
   * A NameServer call: to the current NameServer, moving on to the next after a transport failure
   * while `timeoutMs` lasts. Non-success codes outside `okCodes` become MQBrokerError.
   */
  async invokeNamesrv(request: RemotingCommand, timeoutMs = this.timeoutMs, okCodes: ReadonlySet<number> = SUCCESS_ONLY): Promise<RemotingCommand> {
    const count = this.namesrvAddrs.length;
    if (count === 0) throw new MQClientError('no NameServer address configured (namesrvAddr or env NAMESRV_ADDR)', ClientErrorCode.NO_NAME_SERVER_EXCEPTION);
    const startMs = performance.now();
    let lastError: unknown;
    for (let tried = 0; tried < count; tried++) {
      const addr = this.namesrvAddrs[this.namesrvIndex % count] as string;
      const remainingMs = Math.floor(timeoutMs - (performance.now() - startMs));
      if (remainingMs < 1) break;
      try {
        const response = await this.invoke(addr, { ...request }, remainingMs);
        if (!okCodes.has(response.code)) throw errorFromResponse(response, addr);
        return response;
      } catch (err) {
        if (!(err instanceof RemotingConnectError) && !(err instanceof RemotingTimeoutError)) throw err;
        lastError = err;
        this.namesrvIndex = (this.namesrvIndex + 1) % count;
        this.log.warn({ namesrvAddr: addr, next: this.currentNamesrvAddr, err: err.message }, 'NameServer call failed; switching NameServer');
      }
    }
    throw lastError ?? new RemotingTimeoutError(this.currentNamesrvAddr ?? '', 0, timeoutMs);
  }

  shutdown(): Promise<void> {
    return this.remotingClient.shutdown();
  }
}

/** Reads a response header; a missing required field is a MalformedResponseError. */
export function readHeader<F extends HeaderFields>(def: HeaderDef<F>, response: RemotingCommand, addr: string, requestCode: number): DecodedHeader<F> {
  const decoded = def.decode(response.extFields);
  if (!decoded.ok) throw new MalformedResponseError(addr, requestCode, `${def.name}: ${decoded.reason}`);
  return decoded.value;
}
