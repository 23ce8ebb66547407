// fast-check arbitraries derived from header definitions, and the list of every definition.

import fc from 'fast-check';
import type { FieldDef, FieldPresence, HeaderDef, HeaderFields } from '../../src/protocol/header-def.js';
import * as adminBroker from '../../src/protocol/headers/admin-broker.js';
import * as adminGroup from '../../src/protocol/headers/admin-group.js';
import * as adminTopic from '../../src/protocol/headers/admin-topic.js';
import * as brokerToClient from '../../src/protocol/headers/broker-to-client.js';
import * as client from '../../src/protocol/headers/client.js';
import * as consumerOffset from '../../src/protocol/headers/consumer-offset.js';
import * as lock from '../../src/protocol/headers/lock.js';
import * as namesrv from '../../src/protocol/headers/namesrv.js';
import * as pull from '../../src/protocol/headers/pull.js';
import * as queryMessage from '../../src/protocol/headers/query-message.js';
import * as queueOffset from '../../src/protocol/headers/queue-offset.js';
import * as send from '../../src/protocol/headers/send.js';
import * as sendBack from '../../src/protocol/headers/send-back.js';
import * as transaction from '../../src/protocol/headers/transaction.js';

export type AnyHeaderDef = HeaderDef<HeaderFields>;

function isHeaderDef(v: unknown): v is AnyHeaderDef {
  return typeof v === 'object' && v !== null && 'fields' in v && 'encode' in v && 'decode' in v && 'name' in v;
}

/** Every header definition in src/protocol/headers, by export name. */
export const ALL_HEADER_DEFS: ReadonlyArray<[string, AnyHeaderDef]> = [
  adminBroker, adminGroup, adminTopic, brokerToClient, client, consumerOffset, lock, namesrv, pull, queryMessage,
  queueOffset, send, sendBack, transaction,
].flatMap((module) => Object.entries(module).filter((entry): entry is [string, AnyHeaderDef] => isHeaderDef(entry[1])));

export function fieldArb(def: FieldDef<unknown, FieldPresence>): fc.Arbitrary<unknown> {
  switch (def.kind) {
    case 'string': return fc.string({ unit: 'binary', maxLength: 30 });
    case 'int': return fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
    case 'long': case 'longSaturating': return fc.maxSafeInteger();
    case 'bool': return fc.boolean();
    case 'enum': return fc.constantFrom(...(def.enumValues ?? []));
  }
}

/** A value for `def`: required fields always, the others sometimes. */
export function headerValueArb(def: AnyHeaderDef): fc.Arbitrary<Record<string, unknown>> {
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(def.fields)) {
    model[name] = fieldArb(field);
    if (field.presence === 'required') required.push(name);
  }
  return fc.record(model, { requiredKeys: required });
}

/** The value decode gives for an encoded `value`: defaults filled in. */
export function withDefaults(def: AnyHeaderDef, value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(def.fields)) {
    if (value[name] !== undefined) out[name] = value[name];
    else if (field.presence === 'default') out[name] = field.defaultValue;
  }
  return out;
}

export function requiredFieldsOf(def: AnyHeaderDef): string[] {
  return Object.entries(def.fields).filter(([, f]) => f.presence === 'required').map(([name]) => name);
}
