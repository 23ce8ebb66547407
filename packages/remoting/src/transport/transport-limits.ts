// Limits and defaults of the remoting transport (frame sizes live in ../limits.ts).
// Names mirror RocketMQ's NettyServerConfig / NettyClientConfig where one exists.

import { assert, MiB } from '@apogee/common';

/** Requests waiting for a response on one connection (clientAsyncSemaphoreValue). */
export const PENDING_REQUESTS_MAX = 65_535;
/** Server-initiated invokeAsync requests waiting for a response, per server (serverAsyncSemaphoreValue). */
export const SERVER_ASYNC_IN_FLIGHT_MAX = 64;
/** Server-initiated oneway requests not yet flushed to the socket, per server (serverOnewaySemaphoreValue). */
export const SERVER_ONEWAY_IN_FLIGHT_MAX = 256;
/** Client oneway requests not yet flushed, per connection (clientOnewaySemaphoreValue). */
export const CLIENT_ONEWAY_IN_FLIGHT_MAX = 65_535;

/**
 * Incoming requests whose processor has not finished, per server or client. Long-polling pulls
 * count while suspended, so this is far above any thread pool's size in RocketMQ; what it bounds
 * is memory held by requests a slow processor has not answered yet.
 */
export const REQUESTS_IN_FLIGHT_MAX = 65_536;
/** The same, per connection, so one flooding peer cannot take the whole server-wide budget. */
export const CHANNEL_REQUESTS_IN_FLIGHT_MAX = 16_384;

/**
 * A server stops reading from a connection whose unflushed output exceeds this, and resumes on
 * 'drain': a peer that sends requests but never reads responses cannot grow our memory without
 * bound. Clients never pause reading (a client that stops reading could deadlock with a server
 * that did the same).
 */
export const WRITE_BUFFER_BYTES_PAUSE = 8 * MiB;

/** RocketMQ defaults: connectTimeoutMillis 3 s; channel max idle 120 s on both sides. */
export const CONNECT_TIMEOUT_MS_DEFAULT = 3_000;
export const IDLE_TIMEOUT_MS_DEFAULT = 120_000;
/** How long shutdown() waits for running processors before closing connections anyway. */
export const SHUTDOWN_GRACE_MS_DEFAULT = 5_000;
/** After end(), how long a socket may take to flush and close before it is destroyed. */
export const CLOSE_FLUSH_MS = 1_000;

/** opaque is a Java int; we hand out 1..OPAQUE_MAX and wrap. */
export const OPAQUE_MAX = 0x7fff_ffff;
/** setTimeout's ceiling; a longer timeout would fire at once. */
export const TIMEOUT_MS_MAX = 0x7fff_ffff;

assert(CHANNEL_REQUESTS_IN_FLIGHT_MAX <= REQUESTS_IN_FLIGHT_MAX, 'per-channel in-flight bound exceeds server bound');
assert(PENDING_REQUESTS_MAX < OPAQUE_MAX, 'pending table could exhaust the opaque space');
assert(SERVER_ASYNC_IN_FLIGHT_MAX <= PENDING_REQUESTS_MAX, 'server async bound exceeds pending table');
