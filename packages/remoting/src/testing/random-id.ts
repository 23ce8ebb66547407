// Unique names per test: `t-${randomId()}`. 12 lowercase hex characters, valid in topic and
// group names.

import { randomBytes } from 'node:crypto';

export function randomId(): string {
  return randomBytes(6).toString('hex');
}
