// The command line itself: help, usage errors, exit statuses and the NameServer address rules.

import { describe, expect, it } from 'vitest';
import { ALL_COMMANDS, ExitStatus, parseTimestamp } from '../src/index.js';
import { mqadmin } from './harness.js';

describe('mqadmin command line', () => {
  it('lists every command with no arguments and with `help`', async () => {
    const bare = await mqadmin([]);
    const help = await mqadmin(['help']);
    expect(bare.status).toBe(ExitStatus.OK);
    expect(help.stdout).toBe(bare.stdout);
    expect(bare.stdout).toMatch(/^The most commonly used mqadmin commands are:/);
    for (const spec of ALL_COMMANDS) expect(bare.stdout).toMatch(new RegExp(`^   ${spec.name} +${spec.summary.replace(/[()]/g, '.')}$`, 'm'));
    expect(bare.stdout).toContain("See 'mqadmin help <command>'");
  });

  it('`help <command>` shows that command\'s RocketMQ flags; an unknown one is a usage error', async () => {
    const route = await mqadmin(['help', 'topicRoute']);
    expect(route.status).toBe(ExitStatus.OK);
    expect(route.stdout).toContain('-t, --topic <topic>');
    expect(route.stdout).toContain('-n, --namesrvAddr <host:port>');
    expect(route.stdout).toContain('--json');
    const unknown = await mqadmin(['help', 'nope']);
    expect(unknown.status).toBe(ExitStatus.USAGE);
    expect(unknown.stderr).toContain('unknown command "nope"');
  });

  it('exits 2 with one line for an unknown command, an unknown option or a missing required option', async () => {
    const cmd = await mqadmin(['topicRout']);
    expect(cmd.status).toBe(ExitStatus.USAGE);
    expect(cmd.stderr).toContain("unknown command 'topicRout'");
    expect(cmd.stderr).toContain('topicRoute');
    const opt = await mqadmin(['topicList', '--bogus', '-n', '127.0.0.1:9876']);
    expect(opt.status).toBe(ExitStatus.USAGE);
    expect(opt.stderr).toContain("unknown option '--bogus'");
    const missing = await mqadmin(['topicRoute', '-n', '127.0.0.1:9876']);
    expect(missing.status).toBe(ExitStatus.USAGE);
    expect(missing.stderr).toContain('--topic <topic>');
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('needs a NameServer address from -n or NAMESRV_ADDR, and rejects a malformed one', async () => {
    const none = await mqadmin(['topicList']);
    expect(none.status).toBe(ExitStatus.USAGE);
    expect(none.stderr).toContain('no NameServer address');
    const bad = await mqadmin(['topicList', '-n', 'not-an-address']);
    expect(bad.status).toBe(ExitStatus.USAGE);
    expect(bad.stderr).toContain('bad NameServer address');
  });

  it('an unreachable NameServer fails with exit 1 and no stack trace; --verbose adds the stack', async () => {
    const result = await mqadmin(['topicList', '-n', '127.0.0.1:1']);
    expect(result.status).toBe(ExitStatus.FAILED);
    expect(result.stderr).toMatch(/^mqadmin: .*127\.0\.0\.1:1.*\n$/);
    const verbose = await mqadmin(['topicList', '-n', '127.0.0.1:1', '--verbose']);
    expect(verbose.status).toBe(ExitStatus.FAILED);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('reads timestamps as epoch ms, now, RocketMQ\'s yyyy-MM-dd#HH:mm:ss:SSS and ISO 8601', () => {
    expect(parseTimestamp('1700000000000')).toBe(1_700_000_000_000);
    expect(parseTimestamp('now', 42)).toBe(42);
    expect(parseTimestamp('2024-01-02#03:04:05:006')).toBe(new Date(2024, 0, 2, 3, 4, 5, 6).getTime());
    expect(parseTimestamp('2024-01-02T03:04:05Z')).toBe(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });
});
