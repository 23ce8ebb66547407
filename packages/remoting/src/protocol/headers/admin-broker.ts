// Broker admin, the broker itself (reference §3.4): GET_BROKER_CONFIG (26) response header,
// VIEW_BROKER_STATS_DATA (315), GET_BROKER_CONSUME_STATS (317). GET_BROKER_RUNTIME_INFO (28),
// UPDATE_BROKER_CONFIG (25) and GET_BROKER_CONFIG's request have no header: runtime info is a
// KVTable body, configs are Java properties text bodies.

import { defineHeader, field, type HeaderValue } from '../header-def.js';

/** GET_BROKER_CONFIG (26): `version` is the config's DataVersion as JSON text. */
export const GetBrokerConfigResponseHeader = defineHeader('GetBrokerConfigResponseHeader', {
  version: field.string().required(),
});
export type GetBrokerConfigResponseHeader = HeaderValue<typeof GetBrokerConfigResponseHeader>;

export const ViewBrokerStatsDataRequestHeader = defineHeader('ViewBrokerStatsDataRequestHeader', {
  statsName: field.string().required(),
  statsKey: field.string().required(),
});
export type ViewBrokerStatsDataRequestHeader = HeaderValue<typeof ViewBrokerStatsDataRequestHeader>;

/** GET_BROKER_CONSUME_STATS (317). */
export const GetConsumeStatsInBrokerHeader = defineHeader('GetConsumeStatsInBrokerHeader', {
  isOrder: field.bool().required(),
});
export type GetConsumeStatsInBrokerHeader = HeaderValue<typeof GetConsumeStatsInBrokerHeader>;
