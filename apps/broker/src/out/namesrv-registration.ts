// When the broker registers with its NameServers (RocketMQ's BrokerController.registerBrokerAll
// schedule, reference §7.4): once at start, then every registerNameServerPeriod (clamped to
// 10..60 s, first periodic run after 10 s), and at once whenever the topic table changes.
// Requests made while a registration is in flight coalesce into one more registration, which
// carries the newest topic table. A slave learns its master's address and HA address from the
// answers; they are kept here for the HA service. shutdown() unregisters from every NameServer.

import type { Logger } from '@apogee/common';
import type { BrokerIdentity, BrokerOuterAPI, RegisterOutcome, TopicConfigSnapshot } from './broker-outer-api.js';

export const REGISTER_PERIOD_MS_MIN = 10_000;
export const REGISTER_PERIOD_MS_MAX = 60_000;
export const REGISTER_INITIAL_DELAY_MS = 10_000;
export const UNREGISTER_TIMEOUT_MS = 3_000;

/** registerNameServerPeriod as RocketMQ applies it. */
export function clampRegisterPeriodMs(registerNameServerPeriod: number): number {
  return Math.max(REGISTER_PERIOD_MS_MIN, Math.min(registerNameServerPeriod, REGISTER_PERIOD_MS_MAX));
}

export interface MasterAddress {
  /** the master's remoting address (slaves sync metadata from it) */
  readonly masterAddr: string | undefined;
  /** the master's HA address (slaves replicate from it) */
  readonly haMasterAddr: string | undefined;
}

export interface NamesrvRegistrationOptions {
  readonly api: BrokerOuterAPI;
  readonly namesrvAddrs: () => readonly string[];
  /** read at each registration: the address is known only once the server listens */
  readonly identity: () => BrokerIdentity;
  readonly topics: () => TopicConfigSnapshot;
  readonly periodMs: number;
  readonly initialDelayMs?: number;
  /** registerBrokerTimeoutMills */
  readonly timeoutMs: number;
  readonly log: Logger;
}

export class NamesrvRegistration {
  private readonly options: NamesrvRegistrationOptions;
  private readonly log: Logger;
  private inFlight: Promise<RegisterOutcome[]> | undefined;
  private queued: Promise<RegisterOutcome[]> | undefined;
  private initialTimer: NodeJS.Timeout | undefined;
  private periodicTimer: NodeJS.Timeout | undefined;
  private isShutdown = false;
  private shutdownPromise: Promise<void> | undefined;
  private master: MasterAddress = { masterAddr: undefined, haMasterAddr: undefined };
  private readonly masterListeners: Array<(master: MasterAddress) => void> = [];
  private outcomes: RegisterOutcome[] = [];
  private runs = 0;

  constructor(options: NamesrvRegistrationOptions) {
    this.options = options;
    this.log = options.log;
  }

  /** Registers once, then starts the periodic registration. */
  async start(): Promise<RegisterOutcome[]> {
    const outcomes = await this.registerNow();
    if (this.isShutdown) return outcomes;
    this.initialTimer = setTimeout(() => {
      this.initialTimer = undefined;
      this.periodicTick();
      this.periodicTimer = setInterval(() => this.periodicTick(), this.options.periodMs);
      this.periodicTimer.unref();
    }, this.options.initialDelayMs ?? REGISTER_INITIAL_DELAY_MS);
    this.initialTimer.unref();
    return outcomes;
  }

  /** Registers with every NameServer now (or right after the registration in flight). */
  registerNow(): Promise<RegisterOutcome[]> {
    if (this.isShutdown) return Promise.resolve([]);
    if (this.inFlight === undefined) {
      const run = this.runOnce().finally(() => {
        if (this.inFlight === run) this.inFlight = undefined;
      });
      this.inFlight = run;
      return run;
    }
    this.queued ??= this.inFlight.then(() => {
      this.queued = undefined;
      return this.registerNow();
    });
    return this.queued;
  }

  get masterAddress(): MasterAddress {
    return this.master;
  }

  /** Called when a registration answer names a different master (slaves). */
  onMasterAddress(listener: (master: MasterAddress) => void): void {
    this.masterListeners.push(listener);
  }

  /** Outcomes of the last completed registration. */
  get lastOutcomes(): readonly RegisterOutcome[] {
    return this.outcomes;
  }

  /** Completed registrations since start. */
  get registrationCount(): number {
    return this.runs;
  }

  /** Stops the timers, lets a registration in flight finish, then unregisters. Idempotent. */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= (async () => {
      this.isShutdown = true;
      if (this.initialTimer !== undefined) clearTimeout(this.initialTimer);
      if (this.periodicTimer !== undefined) clearInterval(this.periodicTimer);
      await Promise.allSettled([this.inFlight, this.queued]);
      const addrs = this.options.namesrvAddrs();
      if (addrs.length === 0) return;
      await this.options.api.unregisterBrokerAll(addrs, this.options.identity(), UNREGISTER_TIMEOUT_MS);
    })();
    return this.shutdownPromise;
  }

  private periodicTick(): void {
    this.registerNow().catch((err: unknown) => this.log.error({ err }, 'periodic registration failed'));
  }

  private async runOnce(): Promise<RegisterOutcome[]> {
    const addrs = this.options.namesrvAddrs();
    if (addrs.length === 0) return [];
    let outcomes: RegisterOutcome[];
    try {
      outcomes = await this.options.api.registerBrokerAll(addrs, this.options.identity(), this.options.topics(), this.options.timeoutMs);
    } catch (err) {
      this.log.error({ err }, 'registration failed before reaching the name servers');
      return [];
    }
    this.outcomes = outcomes;
    this.runs++;
    this.adoptMaster(outcomes);
    return outcomes;
  }

  private adoptMaster(outcomes: readonly RegisterOutcome[]): void {
    const answer = outcomes.find((o) => o.ok && o.masterAddr !== undefined);
    if (answer === undefined || !answer.ok) return;
    const next: MasterAddress = { masterAddr: answer.masterAddr, haMasterAddr: answer.haServerAddr };
    if (next.masterAddr === this.master.masterAddr && next.haMasterAddr === this.master.haMasterAddr) return;
    this.master = next;
    this.log.info({ ...next }, 'master address from name server');
    for (const listener of this.masterListeners) {
      try {
        listener(next);
      } catch (err) {
        this.log.error({ err }, 'master address listener failed');
      }
    }
  }
}
