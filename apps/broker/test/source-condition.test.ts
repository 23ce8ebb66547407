// vitest must load workspace dependencies from their src/ (the @apogee/source condition), not
// from a stale dist/: the stack of an error thrown inside each dependency says where it ran.

import { describe, expect, it } from 'vitest';
import { RemotingServer } from '@apogee/remoting';
import { createMessageStoreConfig } from '@apogee/store';

function stackOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return (err as Error).stack ?? '';
  }
  return '';
}

describe('source condition', () => {
  it('runs @apogee/remoting and @apogee/store from src/', () => {
    expect(stackOf(() => new RemotingServer({ port: -1 }))).toContain('/packages/remoting/src/');
    expect(stackOf(() => createMessageStoreConfig({ maxMessageSize: -1 }))).toContain('/packages/store/src/');
  });
});
