// The body of a FOUND pull (and of a query): the stored records back to back, exactly as the
// store returned them. The transport writes one body Buffer after the header (no copy there).
// The store reads runs of records that sit back to back in the commit log with one read and
// hands out views into it; when every record of the answer comes from one run, the body is one
// more view over the same memory and nothing is copied. Records from several runs (a pull that
// crosses a commit-log segment, a filter that skipped records) are copied once into one Buffer.

const EMPTY_BODY = Buffer.alloc(0);

export function joinRecords(buffers: readonly Buffer[], totalBytes: number): Buffer {
  const first = buffers[0];
  if (first === undefined) return EMPTY_BODY;
  if (buffers.length === 1) return first;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < buffers.length; i++) {
    const next = buffers[i]!;
    if (next.buffer !== first.buffer || next.byteOffset !== end) return Buffer.concat(buffers as Buffer[], totalBytes);
    end += next.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
