// Status enums with RocketMQ's names verbatim (PutMessageStatus, GetMessageStatus), plus the
// store's running-state bits (RunningFlags). Reference §4, §14.1, §15.

export const PutMessageStatus = {
  PUT_OK: 'PUT_OK',
  FLUSH_DISK_TIMEOUT: 'FLUSH_DISK_TIMEOUT',
  FLUSH_SLAVE_TIMEOUT: 'FLUSH_SLAVE_TIMEOUT',
  SLAVE_NOT_AVAILABLE: 'SLAVE_NOT_AVAILABLE',
  SERVICE_NOT_AVAILABLE: 'SERVICE_NOT_AVAILABLE',
  CREATE_MAPPED_FILE_FAILED: 'CREATE_MAPPED_FILE_FAILED',
  MESSAGE_ILLEGAL: 'MESSAGE_ILLEGAL',
  PROPERTIES_SIZE_EXCEEDED: 'PROPERTIES_SIZE_EXCEEDED',
  OS_PAGE_CACHE_BUSY: 'OS_PAGE_CACHE_BUSY',
  UNKNOWN_ERROR: 'UNKNOWN_ERROR',
  IN_SYNC_REPLICAS_NOT_ENOUGH: 'IN_SYNC_REPLICAS_NOT_ENOUGH',
  PUT_TO_REMOTE_BROKER_FAIL: 'PUT_TO_REMOTE_BROKER_FAIL',
  LMQ_CONSUME_QUEUE_NUM_EXCEEDED: 'LMQ_CONSUME_QUEUE_NUM_EXCEEDED',
  WHEEL_TIMER_FLOW_CONTROL: 'WHEEL_TIMER_FLOW_CONTROL',
  WHEEL_TIMER_MSG_ILLEGAL: 'WHEEL_TIMER_MSG_ILLEGAL',
  WHEEL_TIMER_NOT_ENABLE: 'WHEEL_TIMER_NOT_ENABLE',
} as const;
export type PutMessageStatus = (typeof PutMessageStatus)[keyof typeof PutMessageStatus];

/** Statuses for which the message *is* stored (RocketMQ's PutMessageResult.isOk plus timeouts). */
export function isPutStored(status: PutMessageStatus): boolean {
  return (
    status === PutMessageStatus.PUT_OK ||
    status === PutMessageStatus.FLUSH_DISK_TIMEOUT ||
    status === PutMessageStatus.FLUSH_SLAVE_TIMEOUT ||
    status === PutMessageStatus.SLAVE_NOT_AVAILABLE
  );
}

export const GetMessageStatus = {
  FOUND: 'FOUND',
  NO_MATCHED_MESSAGE: 'NO_MATCHED_MESSAGE',
  MESSAGE_WAS_REMOVING: 'MESSAGE_WAS_REMOVING',
  OFFSET_FOUND_NULL: 'OFFSET_FOUND_NULL',
  OFFSET_OVERFLOW_BADLY: 'OFFSET_OVERFLOW_BADLY',
  OFFSET_OVERFLOW_ONE: 'OFFSET_OVERFLOW_ONE',
  OFFSET_TOO_SMALL: 'OFFSET_TOO_SMALL',
  NO_MATCHED_LOGIC_QUEUE: 'NO_MATCHED_LOGIC_QUEUE',
  NO_MESSAGE_IN_QUEUE: 'NO_MESSAGE_IN_QUEUE',
  OFFSET_RESET: 'OFFSET_RESET',
} as const;
export type GetMessageStatus = (typeof GetMessageStatus)[keyof typeof GetMessageStatus];

export const RunningFlag = {
  NOT_READABLE: 0x1,
  NOT_WRITEABLE: 0x2,
  WRITE_LOGICS_QUEUE_ERROR: 0x4,
  WRITE_INDEX_FILE_ERROR: 0x8,
  DISK_FULL: 0x10,
  FENCED: 0x20,
  LOGIC_DISK_FULL: 0x40,
} as const;

const NOT_WRITEABLE_MASK = 0x7e; // any of bits 0x2..0x40

/** RocketMQ's RunningFlags: readable iff NOT_READABLE is clear, writeable iff 0x2..0x40 are clear. */
export class RunningFlags {
  private bits = 0;

  get value(): number {
    return this.bits;
  }

  set(flag: number): void {
    this.bits |= flag;
  }

  clear(flag: number): void {
    this.bits &= ~flag;
  }

  has(flag: number): boolean {
    return (this.bits & flag) !== 0;
  }

  isReadable(): boolean {
    return (this.bits & RunningFlag.NOT_READABLE) === 0;
  }

  isWriteable(): boolean {
    return (this.bits & NOT_WRITEABLE_MASK) === 0;
  }

  /** Names of the set bits, for logs and error remarks. */
  describe(): string[] {
    return Object.entries(RunningFlag)
      .filter(([, bit]) => (this.bits & bit) !== 0)
      .map(([name]) => name);
  }
}
