// RocketMQ names segment files by their start offset: 20 decimal digits, zero padded.
export const OFFSET_FILE_NAME_DIGITS = 20;

export function offsetToFileName(offset: number): string {
  return String(offset).padStart(OFFSET_FILE_NAME_DIGITS, '0');
}

/** The start offset a file name encodes, or undefined if the name is not 20 decimal digits. */
export function fileNameToOffset(name: string): number | undefined {
  if (name.length !== OFFSET_FILE_NAME_DIGITS || !/^[0-9]+$/.test(name)) return undefined;
  const value = Number(name);
  return Number.isSafeInteger(value) ? value : undefined;
}
