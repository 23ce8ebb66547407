// vitest must load workspace dependencies from their src/ (the @apogee/source condition), not
// from a stale dist/: the stack of an error thrown inside each dependency says where it ran.

import { describe, expect, it } from 'vitest';
import { validateTopic, InvalidArgumentError } from '@apogee/common';
import { RemotingClient } from '@apogee/remoting';

function stackOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).stack ?? '';
  }
  return '';
}

describe('source condition', () => {
  it('runs @apogee/remoting and @apogee/common from src/', () => {
    expect(stackOf(() => new RemotingClient({ connectTimeoutMs: -1 }))).toContain('/packages/remoting/src/');
    expect(validateTopic('ok').ok).toBe(true);
    expect(stackOf(() => { throw new InvalidArgumentError('x', 'y'); })).toContain('/packages/client/test/');
  });
});
