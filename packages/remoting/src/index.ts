// Public API of @apogee/remoting. Shared by several authors: only append whole export lines.
export { SerializeType, LanguageCode, type LanguageName, type RemotingCommand, isResponse, isOneway, APOGEE_WIRE_VERSION, RPC_ONEWAY_BIT, RPC_TYPE_RESPONSE_BIT, createRequestCommand, createResponseCommand } from './protocol/remoting-command.js';
