import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ConfigFile,
  consumerOffsetCodec,
  defaultTopicConfig,
  delayOffsetCodec,
  openBrokerConfigFiles,
  toFastjsonPretty,
  topicConfigCodec,
} from '../src/index.js';
import { parseLenientJson } from '@apogee/common';
import { captureLogger, tempDir } from './helpers/store-fixture.js';

const dataVersion = { counter: 3, stateVersion: 0, timestamp: 1_700_000_000_000 };

describe('fastjson-style JSON', () => {
  it('writes tabs, alphabetical keys and unquoted integer map keys, as fastjson does', () => {
    const text = consumerOffsetCodec.encode({
      dataVersion,
      offsetTable: new Map([['TopicTest@group_a', new Map([[1, 7], [0, 12]])]]),
    });
    expect(text).toBe(
      '{\n\t"dataVersion":{\n\t\t"counter":3,\n\t\t"stateVersion":0,\n\t\t"timestamp":1700000000000\n\t},' +
        '\n\t"groupTopicMap":{\n\t\t"group_a":[\n\t\t\t"TopicTest"\n\t\t]\n\t},' +
        '\n\t"offsetTable":{\n\t\t"TopicTest@group_a":{0:12,1:7\n\t\t}\n\t}\n}',
    );
  });

  it('reads what RocketMQ 4.x and 5.x write: unquoted or quoted numeric keys, extra fields', () => {
    const rocketmq = '{\n\t"offsetTable":{\n\t\t"TopicTest@please_rename_unique_group_name_4":{0:250,1:251,"2":252\n\t\t}\n\t},"lmqOffsetTable":{}\n}';
    const r = consumerOffsetCodec.decode(rocketmq);
    expect(r.ok && [...r.value.offsetTable.get('TopicTest@please_rename_unique_group_name_4')!]).toEqual([[0, 250], [1, 251], [2, 252]]);
    expect(r.ok && r.value.dataVersion).toEqual({ counter: 0, stateVersion: 0, timestamp: 0 });
    const delay = delayOffsetCodec.decode('{"dataVersion":{"counter":1,"stateVersion":0,"timestamp":5},"offsetTable":{1:0,3:57}}');
    expect(delay.ok && [...delay.value.offsetTable]).toEqual([[1, 0], [3, 57]]);
  });

  it('rejects malformed input with a reason instead of throwing', () => {
    // (a single trailing comma is accepted, as fastjson accepts it; a double one is not)
    for (const bad of ['', '{', '{"a":}', '{a b}', '[1,,2]', '{"a":1}x', '{"a":"\\q"}', '['.repeat(100)]) {
      const r = parseLenientJson(bad);
      expect(r.ok, bad).toBe(false);
      expect(!r.ok && r.reason.length).toBeGreaterThan(0);
    }
    expect(topicConfigCodec.decode('[1,2]')).toEqual({ ok: false, reason: 'top level is not an object' });
  });

  it('round-trips any JSON-shaped value through the writer and the lenient reader (property)', () => {
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 })),
    })).value;
    fc.assert(
      fc.property(json, (v) => {
        const r = parseLenientJson(toFastjsonPretty(v as never));
        expect(r.ok).toBe(true);
        expect(r.ok && r.value).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });
});

describe('ConfigFile', () => {
  it('persists atomically with a .bak of the previous version and falls back to it when the file is damaged', async () => {
    const root = tempDir();
    const log = captureLogger();
    const files = openBrokerConfigFiles(root, log);
    const v1 = { dataVersion, topicConfigTable: new Map([['TopicA', defaultTopicConfig('TopicA')]]) };
    const v2 = { dataVersion: { ...dataVersion, counter: 4 }, topicConfigTable: new Map([['TopicA', { ...defaultTopicConfig('TopicA'), perm: 4, attributes: { '+queue.type': 'BatchCQ' } }]]) };
    await files.topics.persist(v1);
    await files.topics.persist(v2);
    const file = path.join(root, 'config', 'topics.json');
    expect(fs.readFileSync(file, 'utf8')).toContain('"perm":4');
    expect(fs.readFileSync(`${file}.bak`, 'utf8')).toContain('"perm":6');
    expect(await files.topics.load()).toEqual(v2);
    fs.writeFileSync(file, '{"topicConfigTable":{'); // torn
    expect(await files.topics.load()).toEqual(v1);
    expect(log.find(/loaded from its \.bak backup/)).toBeDefined();
    expect(await new ConfigFile(path.join(root, 'config', 'none.json'), topicConfigCodec, log).load()).toBeUndefined();
  });

  it('serializes concurrent writes; the last value wins', async () => {
    const root = tempDir();
    const file = new ConfigFile(path.join(root, 'config', 'delayOffset.json'), delayOffsetCodec, captureLogger());
    await Promise.all(Array.from({ length: 20 }, (_, i) => file.persist({ dataVersion, offsetTable: new Map([[1, i]]) })));
    expect((await file.load())?.offsetTable.get(1)).toBe(19);
  });
});
