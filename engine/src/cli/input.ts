/**
 * Small input files the user names (--config, --baseline): read only when they are regular files
 * under a size limit, so a FIFO, /dev/zero, a directory or a huge file is refused with a clear error
 * instead of blocking or filling memory. The file is opened once (non-blocking, so opening a FIFO
 * does not wait for a writer) and checked on that handle, then read up to the limit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { LinkToolsError } from '../errors.js';

/** Configuration and baseline files larger than this are refused (a baseline of ~100k links is ~30 MiB). */
export const INPUT_FILE_LIMIT = 64 * 1024 * 1024;

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export function readInputFile(file: string, code: 'LT_BAD_CONFIG' | 'LT_BAD_BASELINE', what: string, limit = INPUT_FILE_LIMIT): string {
  const abs = path.resolve(file);
  const fail = (why: string, osCode?: string) =>
    new LinkToolsError(code, `cannot read the ${what} ${file}: ${why}`, abs, osCode ? { osCode } : undefined);
  let fd: number;
  try {
    fd = fs.openSync(abs, OPEN_FLAGS);
  } catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    if (c === 'EISDIR') throw fail('it is a directory, not a file.', c);
    throw fail(c ?? (e as Error).message, c);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw fail(`it is ${kindOf(st)}; only a regular file is read.`);
    if (st.size > limit) throw fail(`it is ${st.size} bytes; the limit is ${limit} bytes (${limit / 1048576} MiB).`);
    // Read at most limit + 1 bytes: a file that grows while it is read is still refused.
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, Math.min(buf.length, limit + 1 - total), null);
      } catch (e) {
        const c = (e as NodeJS.ErrnoException).code;
        throw fail(c ?? (e as Error).message, c);
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (total > limit) throw fail(`it is larger than the limit of ${limit} bytes (${limit / 1048576} MiB).`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
