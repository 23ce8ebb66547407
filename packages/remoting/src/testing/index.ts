// @apogee/remoting/testing: helpers shared by the tests of every package that speaks remoting.
export { waitFor, WaitForTimeoutError, type WaitForOptions } from './wait-for.js';
export { randomId } from './random-id.js';
export { quietLogger } from './quiet-logger.js';
export { closedLoopbackPort } from './loopback-port.js';
export { RawRemotingPeer } from './raw-remoting-peer.js';
export { CannedResponseServer, answerSuccess, type CannedAction, type CannedHandler, type CannedPeer } from './canned-response-server.js';
