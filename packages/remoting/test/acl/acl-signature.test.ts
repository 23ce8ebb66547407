// ACL signing against vectors computed outside this code base.
//
// The expected signatures were computed once with Java (javac + java, OpenJDK on the dev
// machine): a java.util.TreeMap of the ext fields (String natural order = UTF-16 code units),
// values concatenated, getBytes(UTF_8), body appended, javax.crypto.Mac "HmacSHA1" keyed with
// "12345678".getBytes(UTF_8), java.util.Base64 encoder. Cross-checked with
//   printf 'RocketMQtok-11pg0\xe6\xa0\x87\xe7\xad\xbeTopicTestemojifullwidth' | openssl dgst -sha1 -hmac 12345678 -binary | base64
// (and the same with 'hello\x00\xff' appended for the body case).
// The keys include U+1F600 (a surrogate pair, D83D DE00) and U+FF21: UTF-16 order puts the emoji
// first, code-point order would not, so the vector pins the Java ordering.

import { afterEach, describe, expect, it } from 'vitest';
import { AclClientRPCHook } from '../../src/acl/acl-client-rpc-hook.js';
import { ACCESS_KEY, computeAclSignature, SECURITY_TOKEN, SIGNATURE, UNIQUE_MSG_QUERY_FLAG, verifyAclSignature } from '../../src/acl/acl-signature.js';
import type { RPCHook } from '../../src/acl/rpc-hook.js';
import { createRequestCommand, createResponseCommand, SerializeType, type RemotingCommand } from '../../src/protocol/remoting-command.js';
import { ResponseCode } from '../../src/protocol/response-code.js';
import { RemotingClient } from '../../src/transport/remoting-client.js';
import { RemotingServer } from '../../src/transport/remoting-server.js';
import { quietLogger, randomId } from '../../src/testing/index.js';

const SECRET = '12345678';
const BODY = Buffer.from([0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00, 0xff]); // "hello\0\xff"
const SIGNATURE_WITH_BODY = 'KER8CudqDk7D6bWZX7J42gHHPJU=';
const SIGNATURE_NO_BODY = '3ovSNVWII6Dh1/my/I3nlPg0QGs=';

function headerFields(): Record<string, string> {
  return {
    topic: 'TopicTest',
    queueId: '0',
    producerGroup: 'pg',
    a: '1',
    tags: '标签',
    '\uFF21': 'fullwidth',
    '\u{1F600}': 'emoji',
  };
}

describe('ACL signature', () => {
  it('AclClientRPCHook adds AccessKey, SecurityToken and the Java-computed Signature (with body)', () => {
    const request = createRequestCommand(10, headerFields(), BODY);
    new AclClientRPCHook({ accessKey: 'RocketMQ', secretKey: SECRET, securityToken: 'tok-1' }).doBeforeRequest('127.0.0.1:10911', request);
    expect(request.extFields?.[ACCESS_KEY]).toBe('RocketMQ');
    expect(request.extFields?.[SECURITY_TOKEN]).toBe('tok-1');
    expect(request.extFields?.[SIGNATURE]).toBe(SIGNATURE_WITH_BODY);
  });

  it('matches the Java vector without a body', () => {
    const fields = { ...headerFields(), [ACCESS_KEY]: 'RocketMQ', [SECURITY_TOKEN]: 'tok-1' };
    expect(computeAclSignature(fields, undefined, SECRET)).toBe(SIGNATURE_NO_BODY);
    expect(computeAclSignature(fields, Buffer.alloc(0), SECRET)).toBe(SIGNATURE_NO_BODY);
  });

  it('leaves SecurityToken out when none is configured, and signs a request without ext fields', () => {
    const request = createRequestCommand(105);
    new AclClientRPCHook({ accessKey: 'ak', secretKey: SECRET }).doBeforeRequest('127.0.0.1:9876', request);
    expect(Object.keys(request.extFields ?? {}).sort()).toEqual([ACCESS_KEY, SIGNATURE]);
    expect(request.extFields?.[SIGNATURE]).toBe(computeAclSignature({ [ACCESS_KEY]: 'ak' }, undefined, SECRET));
    expect(verifyAclSignature(request, SECRET)).toBe(true);
  });

  it('re-signing a command excludes its old Signature and gives the same value', () => {
    const request = createRequestCommand(10, headerFields(), BODY);
    const hook = new AclClientRPCHook({ accessKey: 'RocketMQ', secretKey: SECRET, securityToken: 'tok-1' });
    hook.doBeforeRequest('x', request);
    hook.doBeforeRequest('x', request);
    expect(request.extFields?.[SIGNATURE]).toBe(SIGNATURE_WITH_BODY);
  });

  it('verifyAclSignature accepts the signed request and refuses any change', () => {
    const signed = (): RemotingCommand => {
      const request = createRequestCommand(10, headerFields(), Buffer.from(BODY));
      new AclClientRPCHook({ accessKey: 'RocketMQ', secretKey: SECRET }).doBeforeRequest('x', request);
      return request;
    };
    expect(verifyAclSignature(signed(), SECRET)).toBe(true);
    expect(verifyAclSignature(signed(), 'wrong-secret')).toBe(false);
    const tamperedField = signed();
    tamperedField.extFields!.queueId = '1';
    expect(verifyAclSignature(tamperedField, SECRET)).toBe(false);
    const tamperedBody = signed();
    tamperedBody.body![0] = 0x48;
    expect(verifyAclSignature(tamperedBody, SECRET)).toBe(false);
    const addedField = signed();
    addedField.extFields!.extra = 'x';
    expect(verifyAclSignature(addedField, SECRET)).toBe(false);
    const unsigned = signed();
    delete unsigned.extFields![SIGNATURE];
    expect(verifyAclSignature(unsigned, SECRET)).toBe(false);
    expect(verifyAclSignature(createRequestCommand(10), SECRET)).toBe(false);
  });

  it('ignores _UNIQUE_KEY_QUERY only for requests from clients up to V4_9_3 (version 399)', () => {
    const request = createRequestCommand(12, { topic: 't', key: 'k' });
    new AclClientRPCHook({ accessKey: 'ak', secretKey: SECRET }).doBeforeRequest('x', request);
    request.extFields![UNIQUE_MSG_QUERY_FLAG] = 'true'; // added after signing, as old clients did
    request.version = 399;
    expect(verifyAclSignature(request, SECRET)).toBe(true);
    request.version = 401;
    expect(verifyAclSignature(request, SECRET)).toBe(false);
  });

  it('rejects empty credentials', () => {
    expect(() => new AclClientRPCHook({ accessKey: '', secretKey: SECRET })).toThrow(/accessKey/);
    expect(() => new AclClientRPCHook({ accessKey: 'ak', secretKey: '' })).toThrow(/secretKey/);
  });
});

describe('ACL hook on a real connection', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.each([
    ['JSON', SerializeType.JSON],
    ['ROCKETMQ', SerializeType.ROCKETMQ],
    ['MSGPACK', SerializeType.MSGPACK],
  ] as const)('a %s request signed by the client verifies on the server; a wrong secret gets NO_PERMISSION', async (_name, serializeType) => {
    const accounts = new Map([['alice', 'alice-secret']]);
    const server = new RemotingServer({ logger: quietLogger('acl-server') });
    cleanups.push(() => server.shutdown());
    server.registerProcessor(10, {
      process: (_ctx, req) => {
        const secret = accounts.get(req.extFields?.[ACCESS_KEY] ?? '');
        const isValid = secret !== undefined && verifyAclSignature(req, secret);
        return createResponseCommand(req, isValid ? ResponseCode.SUCCESS : ResponseCode.NO_PERMISSION, isValid ? undefined : 'check signature failed');
      },
    });
    await server.start();
    const addr = `127.0.0.1:${server.port}`;
    const afterResponses: Array<[string, number]> = [];
    const recording: RPCHook = {
      doBeforeRequest: (remoteAddr, request) => new AclClientRPCHook({ accessKey: 'alice', secretKey: 'alice-secret' }).doBeforeRequest(remoteAddr, request),
      doAfterResponse: (remoteAddr, _request, response) => afterResponses.push([remoteAddr, response.code]),
    };
    const good = new RemotingClient({ serializeType, rpcHook: recording, logger: quietLogger('acl-client') });
    const bad = new RemotingClient({ serializeType, rpcHook: new AclClientRPCHook({ accessKey: 'alice', secretKey: 'guess' }), logger: quietLogger('acl-client') });
    cleanups.push(() => good.shutdown(), () => bad.shutdown());
    const body = Buffer.from(`payload-${randomId()}`);
    const ok = await good.invokeSync(addr, createRequestCommand(10, { topic: `t-${randomId()}`, queueId: '3' }, body), 3_000);
    expect(ok.code).toBe(ResponseCode.SUCCESS);
    expect(afterResponses).toEqual([[addr, ResponseCode.SUCCESS]]);
    const denied = await bad.invokeSync(addr, createRequestCommand(10, { topic: 't' }, body), 3_000);
    expect(denied.code).toBe(ResponseCode.NO_PERMISSION);
  });
});
