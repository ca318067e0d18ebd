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
const INPUT_FILE_LIMIT = 64 * 1024 * 1024;

const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

export type InputFileCode = 'LT_BAD_CONFIG' | 'LT_BAD_BASELINE' | 'LT_BAD_MANIFEST' | 'LT_BAD_JOURNAL';

/** Read everything from a descriptor, refusing more than `limit` bytes. */
function readAllFrom(fd: number, limit: number, fail: (why: string, osCode?: string) => LinkToolsError): string {
  const chunks: Buffer[] = [];
  let total = 0;
  const buf = Buffer.allocUnsafe(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf, 0, Math.min(buf.length, limit + 1 - total), null);
    } catch (e) {
      const c = (e as NodeJS.ErrnoException).code;
      if (c === 'EAGAIN') continue;
      if (c === 'EOF') break;
      throw fail(c ?? (e as Error).message, c);
    }
    if (n === 0) break;
    chunks.push(Buffer.from(buf.subarray(0, n)));
    total += n;
    if (total > limit) throw fail(`it is larger than the limit of ${limit} bytes (${limit / 1048576} MiB).`);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** stdin as text, under the limit (a manifest given with --stdin). */
export function readStdinText(code: InputFileCode, what: string, limit = INPUT_FILE_LIMIT): string {
  return readAllFrom(0, limit, (why, osCode) => new LinkToolsError(code, `cannot read the ${what} from stdin: ${why}`, undefined, osCode ? { osCode } : undefined));
}

const APPEND_FLAGS = fs.constants.O_RDWR | fs.constants.O_APPEND | fs.constants.O_CREAT | (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0) | (fs.constants.O_NOCTTY ?? 0);

/**
 * Open a file for appending whole lines (the change journal): never through a link (O_NOFOLLOW),
 * created 0600, checked on the opened handle to be a regular file; each line is one write(), then
 * fsync, so a crash leaves every line written before it and at most a torn last line.
 */
export function openAppendFile(file: string, code: InputFileCode, what: string, limit = INPUT_FILE_LIMIT) {
  const abs = path.resolve(file);
  const fail = (why: string, osCode?: string) => new LinkToolsError(code, `cannot use the ${what} ${file}: ${why}`, abs, osCode ? { osCode } : undefined);
  let fd: number;
  try {
    fd = fs.openSync(abs, APPEND_FLAGS, 0o600);
  } catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    if (c === 'ELOOP') throw fail('it is a symbolic link; a journal is never written through a link.', c);
    if (c === 'EISDIR') throw fail('it is a directory, not a file.', c);
    throw fail(c ?? (e as Error).message, c);
  }
  let existing = '';
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw fail(`it is ${kindOf(st)}; only a regular file is used.`);
    if (st.size > limit) throw fail(`it is ${st.size} bytes; the limit is ${limit} bytes (${limit / 1048576} MiB).`);
    if (st.size > 0) {
      const buf = Buffer.alloc(st.size);
      let off = 0;
      while (off < st.size) {
        const n = fs.readSync(fd, buf, off, st.size - off, off);
        if (n === 0) break;
        off += n;
      }
      existing = buf.subarray(0, off).toString('utf8');
    }
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
  let open = true;
  return {
    path: abs,
    existing,
    appendLine(line: string): void {
      const data = Buffer.from(line.endsWith('\n') ? line : line + '\n', 'utf8');
      let off = 0;
      while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
      fs.fsyncSync(fd);
    },
    close(): void {
      if (open) fs.closeSync(fd);
      open = false;
    },
  };
}

export function readInputFile(file: string, code: InputFileCode, what: string, limit = INPUT_FILE_LIMIT): string {
  const abs = path.resolve(file);
  const fail = (why: string, osCode?: string) => new LinkToolsError(code, `cannot read the ${what} ${file}: ${why}`, abs, osCode ? { osCode } : undefined);
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
    return readAllFrom(fd, limit, fail);
  } finally {
    fs.closeSync(fd);
  }
}
