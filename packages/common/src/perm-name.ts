// Topic and broker permission bits (PermName in RocketMQ). Topic perm 6 (RW) is the default,
// TBW102 has 7; brokerPermission (default 6) gates every send (W) and pull (R).
//
//   bit 3  8  PRIORITY
//   bit 2  4  READ
//   bit 1  2  WRITE
//   bit 0  1  INHERIT   a template topic (TBW102) that auto-created topics may copy

export const PermName = {
  PERM_PRIORITY: 8,
  PERM_READ: 4,
  PERM_WRITE: 2,
  PERM_INHERIT: 1,
  isReadable,
  isWriteable,
  isInherited,
  isPriority,
  isAccessible,
  isValid: isValidPerm,
  perm2String,
} as const;

export function isReadable(perm: number): boolean {
  return (perm & 4) === 4;
}

export function isWriteable(perm: number): boolean {
  return (perm & 2) === 2;
}

export function isInherited(perm: number): boolean {
  return (perm & 1) === 1;
}

export function isPriority(perm: number): boolean {
  return (perm & 8) === 8;
}

export function isAccessible(perm: number): boolean {
  return isReadable(perm) || isWriteable(perm);
}

/** What mqadmin accepts for a topic or broker permission: 0..7 (PRIORITY is not settable). */
export function isValidPerm(perm: number): boolean {
  return Number.isInteger(perm) && perm >= 0 && perm < 8;
}

/** "RWX" style, "-" for a missing bit: 6 -> "RW-", 7 -> "RWX", 4 -> "R--". */
export function perm2String(perm: number): string {
  return (isReadable(perm) ? 'R' : '-') + (isWriteable(perm) ? 'W' : '-') + (isInherited(perm) ? 'X' : '-');
}
