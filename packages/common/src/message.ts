// The message a producer sends, shaped like org.apache.rocketmq.common.message.Message: a topic,
// a user flag, a body and a string map of properties. Tags, keys, delay level and "wait for
// store" are properties under MessageConst keys, exactly as on the wire.

import { InvalidArgumentError } from './errors.js';
import { MessageConst, RESERVED_PROPERTY_KEYS } from './message-const.js';

export interface MessageOptions {
  tags?: string;
  /** One key or several; several are joined with KEY_SEPARATOR (a space). */
  keys?: string | readonly string[];
  /** User flag, a Java int. Default 0. */
  flag?: number;
  /** WAIT property. Default true, as every Java Message carries WAIT=true. */
  waitStoreMsgOK?: boolean;
  /**
   * Start from these properties as they are (the map is used, not copied) and add no WAIT
   * default. For messages decoded from bytes.
   */
  properties?: Map<string, string>;
}

export interface MessageQueue {
  topic: string;
  brokerName: string;
  queueId: number;
}

const EMPTY_BODY = Buffer.alloc(0);
const JAVA_INT = /^[+-]?\d{1,10}$/;

export class Message {
  topic: string;
  flag: number;
  body: Buffer;
  properties: Map<string, string>;
  transactionId?: string;

  constructor(topic: string, body: Buffer | string = EMPTY_BODY, opts: MessageOptions = {}) {
    this.topic = topic;
    this.flag = opts.flag ?? 0;
    this.body = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.properties = opts.properties ?? new Map<string, string>();
    if (opts.tags !== undefined && opts.tags.length > 0) this.setTags(opts.tags);
    if (opts.keys !== undefined && opts.keys.length > 0) this.setKeys(opts.keys);
    if (opts.properties === undefined || opts.waitStoreMsgOK !== undefined) {
      this.setWaitStoreMsgOK(opts.waitStoreMsgOK ?? true);
    }
  }

  getProperty(name: string): string | undefined {
    return this.properties.get(name);
  }

  hasProperty(name: string): boolean {
    return this.properties.has(name);
  }

  /** System-level put: no reserved-key check (Java's package-private putProperty). */
  putProperty(name: string, value: string): void {
    this.properties.set(name, value);
  }

  clearProperty(name: string): void {
    this.properties.delete(name);
  }

  /** Throws InvalidArgumentError for a reserved (system) key or a blank name or value. */
  putUserProperty(name: string, value: string): void {
    if (RESERVED_PROPERTY_KEYS.has(name)) {
      throw new InvalidArgumentError('name', `property ${name} is reserved for the system; use another name`);
    }
    if (name.trim() === '' || value.trim() === '') {
      throw new InvalidArgumentError('name', 'a user property needs a non-blank name and value');
    }
    this.properties.set(name, value);
  }

  getUserProperty(name: string): string | undefined {
    return this.properties.get(name);
  }

  getTags(): string | undefined {
    return this.properties.get(MessageConst.PROPERTY_TAGS);
  }

  setTags(tags: string): void {
    this.properties.set(MessageConst.PROPERTY_TAGS, tags);
  }

  getKeys(): string | undefined {
    return this.properties.get(MessageConst.PROPERTY_KEYS);
  }

  setKeys(keys: string | readonly string[]): void {
    const text = typeof keys === 'string' ? keys : keys.join(MessageConst.KEY_SEPARATOR);
    this.properties.set(MessageConst.PROPERTY_KEYS, text);
  }

  /** 0 when absent. Throws InvalidArgumentError when DELAY is not a Java int. */
  getDelayTimeLevel(): number {
    return this.intProperty(MessageConst.PROPERTY_DELAY_TIME_LEVEL);
  }

  setDelayTimeLevel(level: number): void {
    this.properties.set(MessageConst.PROPERTY_DELAY_TIME_LEVEL, String(level));
  }

  /** True when WAIT is absent; otherwise Java Boolean.parseBoolean (case-insensitive "true"). */
  isWaitStoreMsgOK(): boolean {
    const value = this.properties.get(MessageConst.PROPERTY_WAIT_STORE_MSG_OK);
    return value === undefined || value.toLowerCase() === 'true';
  }

  setWaitStoreMsgOK(waitStoreMsgOK: boolean): void {
    this.properties.set(MessageConst.PROPERTY_WAIT_STORE_MSG_OK, String(waitStoreMsgOK));
  }

  getBuyerId(): string | undefined {
    return this.properties.get(MessageConst.PROPERTY_BUYER_ID);
  }

  setBuyerId(buyerId: string): void {
    this.properties.set(MessageConst.PROPERTY_BUYER_ID, buyerId);
  }

  setInstanceId(instanceId: string): void {
    this.properties.set(MessageConst.PROPERTY_INSTANCE_ID, instanceId);
  }

  /** [5.x] timer messages: deliver after this many seconds (TIMER_DELAY_SEC). */
  setDelayTimeSec(seconds: number): void {
    this.properties.set(MessageConst.PROPERTY_TIMER_DELAY_SEC, String(seconds));
  }

  getDelayTimeSec(): number {
    return this.longProperty(MessageConst.PROPERTY_TIMER_DELAY_SEC);
  }

  /** [5.x] timer messages: deliver after this many milliseconds (TIMER_DELAY_MS). */
  setDelayTimeMs(delayMs: number): void {
    this.properties.set(MessageConst.PROPERTY_TIMER_DELAY_MS, String(delayMs));
  }

  getDelayTimeMs(): number {
    return this.longProperty(MessageConst.PROPERTY_TIMER_DELAY_MS);
  }

  /** [5.x] timer messages: deliver at this epoch time in ms (TIMER_DELIVER_MS). */
  setDeliverTimeMs(deliverTimeMs: number): void {
    this.properties.set(MessageConst.PROPERTY_TIMER_DELIVER_MS, String(deliverTimeMs));
  }

  getDeliverTimeMs(): number {
    return this.longProperty(MessageConst.PROPERTY_TIMER_DELIVER_MS);
  }

  private intProperty(name: string): number {
    const text = this.properties.get(name);
    if (text === undefined) return 0;
    const value = JAVA_INT.test(text) ? Number(text) : Number.NaN;
    if (!(value >= -2_147_483_648 && value <= 2_147_483_647)) {
      throw new InvalidArgumentError(name, `property ${name}=${JSON.stringify(text)} is not an int`);
    }
    return value;
  }

  private longProperty(name: string): number {
    const text = this.properties.get(name);
    if (text === undefined) return 0;
    const value = /^[+-]?\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
    if (!Number.isSafeInteger(value)) {
      throw new InvalidArgumentError(name, `property ${name}=${JSON.stringify(text)} is not a safe integer`);
    }
    return value;
  }
}
