import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { InvalidArgumentError, parseJavaProperties } from '../src/index.js';

// Each input was also loaded with java.util.Properties.load(Reader) on Java 17 and the resulting
// map printed; `java` is what it printed. The cases follow the Properties.load documentation.
const cases: { name: string; input: string; java: Record<string, string> }[] = [
  {
    name: 'key=value, key = value, key:value and key value',
    input: 'brokerClusterName=DefaultCluster\nbrokerName = broker-a\nbrokerId:0\nlistenPort 10911\n',
    java: { brokerClusterName: 'DefaultCluster', brokerId: '0', brokerName: 'broker-a', listenPort: '10911' },
  },
  {
    name: '# and ! comments, also indented',
    input: '# comment\n! also comment\n   # indented comment\nkey=value\n#key2=hidden\n',
    java: { key: 'value' },
  },
  {
    name: 'continuation lines drop the next line\'s leading whitespace',
    input: 'fruits = apple, banana, \\\n    pear, cantaloupe\nnext=1\n',
    java: { fruits: 'apple, banana, pear, cantaloupe', next: '1' },
  },
  {
    name: 'a comment ending in a backslash does not continue',
    input: '# comment ends with \\\nreal=yes\n',
    java: { real: 'yes' },
  },
  {
    name: 'escapes \\t \\n \\uXXXX, other escaped chars, escaped spaces in a key',
    input: 'tab=a\\tb\nnl=a\\nb\nuni=\\u4e2d\\u6587\nother=\\q\\=\\:\nkey\\ with\\ spaces=v\n',
    java: { 'key with spaces': 'v', nl: 'a\nb', other: 'q=:', tab: 'a\tb', uni: '中文' },
  },
  {
    name: 'only the first separator counts; a key alone has an empty value',
    input: 'a==b\nc:=d\ne = = f\ng\nh   \n  i  j k  \n',
    java: { a: '=b', c: '=d', e: '= f', g: '', h: '', i: 'j k  ' },
  },
  {
    name: '\\r\\n, \\r and \\n line ends, including after a continuation',
    input: 'a=1\r\nb=2\rc=3\r\nd=4\\\r\n   5\r\n',
    java: { a: '1', b: '2', c: '3', d: '45' },
  },
  { name: 'a backslash at the end of input is dropped', input: 'a=1\\', java: { a: '1' } },
  { name: 'a later duplicate wins', input: 'k=1\nk=2\n', java: { k: '2' } },
  { name: '# on a continuation line is data', input: 'a=x\\\n  #notcomment\n', java: { a: 'x#notcomment' } },
  { name: 'an empty continuation line ends the logical line', input: 'a=1\\\n\nb=2\n', java: { a: '1', b: '2' } },
  {
    name: 'an even number of trailing backslashes does not continue',
    input: 'path=C:\\\\dir\\\\\nz=1\n',
    java: { path: 'C:\\dir\\', z: '1' },
  },
  { name: 'trailing whitespace of a value is kept', input: 'v=keep   \n', java: { v: 'keep   ' } },
  { name: 'form feed is whitespace', input: '\fk\f=\fv\n', java: { k: 'v' } },
  { name: 'an empty key is allowed', input: '=value\n:v2\n', java: { '': 'v2' } },
];

describe('parseJavaProperties (java.util.Properties.load rules)', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(Object.fromEntries(parseJavaProperties(c.input))).toEqual(c.java);
    });
  }

  it('throws InvalidArgumentError naming the line for a malformed \\uXXXX', () => {
    expect(() => parseJavaProperties('ok=1\nbad=\\u12G4\n')).toThrow(InvalidArgumentError);
    expect(() => parseJavaProperties('ok=1\nbad=\\u12G4\n')).toThrow(/line 2: malformed \\uXXXX escape/);
    expect(() => parseJavaProperties('bad=\\u12')).toThrow(/line 1/);
  });

  it('round-trips any map written the way Properties.store escapes it', () => {
    const arbText = fc.string({ unit: fc.constantFrom('a', 'Z', '1', ' ', '=', ':', '#', '!', '\\', '\t', '\n', '\r', '\f', 'é', '中'), maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.tuple(arbText, arbText), { maxLength: 8 }), fc.constantFrom('\n', '\r\n', '\r'), (pairs, eol) => {
        const expected = new Map(pairs);
        const text = [...expected].map(([k, v]) => `${storeEscape(k, true)}=${storeEscape(v, false)}`).join(eol);
        expect(parseJavaProperties(`# written by the test${eol}${text}${eol}`)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});

// Properties.store escaping: backslash, \t \n \r \f, the separators and comment chars, every
// space in a key and a leading space in a value, and non-ASCII as \uXXXX.
function storeEscape(s: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    const code = c.charCodeAt(0);
    if (c === ' ') out += i === 0 || isKey ? '\\ ' : ' ';
    else if (c === '\t') out += '\\t';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\f') out += '\\f';
    else if ('\\=:#!'.includes(c)) out += `\\${c}`;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}
