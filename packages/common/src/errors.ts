// The base of every error Apogee throws, plus the two that every package needs.
// Errors that carry a RocketMQ response code live with the code that produces them
// (MQBrokerError in the client, remoting errors in remoting).

export class ApogeeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A bug: something that cannot happen unless Apogee itself is wrong. Never retried. */
export class InvariantError extends ApogeeError {}

/** A caller passed a value that breaks a documented rule; `name` says which argument. */
export class InvalidArgumentError extends ApogeeError {
  constructor(
    readonly argumentName: string,
    message: string,
  ) {
    super(message);
  }
}

/** Stays on in production. For invariants only; bad outside input gets a response code or a typed error. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InvariantError(message);
}
