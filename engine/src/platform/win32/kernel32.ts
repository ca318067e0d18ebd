/**
 * koffi bindings to the kernel32 calls the win32 backend makes, loaded on first use (a POSIX run never
 * loads them). Only thin wrappers live here: each returns what the API returns plus GetLastError()
 * (koffi protects LastError from Node and V8 between the call and GetLastError). Decoding and
 * decisions are in rules.ts and paths.ts, which are pure.
 *
 * Conventions: HANDLE is `intptr_t` (INVALID_HANDLE_VALUE is -1), BOOL is `int`, every pointer
 * parameter is `void *` and receives a Buffer the caller allocates and decodes.
 */
import { LinkToolsError } from '../../errors.js';
import { loadKoffi } from '../native.js';

export const INVALID_HANDLE_VALUE = -1;

export const GENERIC_WRITE = 0x40000000;
export const FILE_READ_ATTRIBUTES = 0x80;
export const FILE_WRITE_ATTRIBUTES = 0x100;
/** What FSCTL_SET_REPARSE_POINT needs on the handle (FILE_WRITE_DATA | FILE_WRITE_ATTRIBUTES would do too). */
export const FILE_WRITE_DATA = 0x2;
export const DELETE = 0x10000;
const FILE_SHARE_READ = 0x1;
const FILE_SHARE_WRITE = 0x2;
export const FILE_SHARE_DELETE = 0x4;
export const FILE_SHARE_ALL = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
/**
 * The share mode of a handle the backend acts through: others may read and write, but nobody may
 * open the entry for DELETE (rename, delete, replace) while we hold it, so the name cannot be swapped.
 */
export const FILE_SHARE_NO_DELETE = FILE_SHARE_READ | FILE_SHARE_WRITE;
export const OPEN_EXISTING = 3;
export const FILE_FLAG_BACKUP_SEMANTICS = 0x02000000;
export const FILE_FLAG_OPEN_REPARSE_POINT = 0x00200000;

export const FSCTL_SET_REPARSE_POINT = 0x000900a4;
export const FSCTL_GET_REPARSE_POINT = 0x000900a8;

export const SYMBOLIC_LINK_FLAG_DIRECTORY = 0x1;
export const SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE = 0x2;

// FILE_INFO_BY_HANDLE_CLASS (minwinbase.h) values the backend uses.
/** FILE_BASIC_INFO { 4 × LARGE_INTEGER times, DWORD FileAttributes } (40 bytes). */
export const FileBasicInfo = 0;
/** FILE_RENAME_INFO { BOOLEAN ReplaceIfExists | DWORD Flags; HANDLE RootDirectory; DWORD FileNameLength; WCHAR FileName[] }. */
export const FileRenameInfo = 3;
/** FILE_DISPOSITION_INFO { BOOLEAN DeleteFile }. */
export const FileDispositionInfo = 4;
/** FILE_ATTRIBUTE_TAG_INFO { DWORD FileAttributes; DWORD ReparseTag }. */
export const FileAttributeTagInfo = 9;
/** FILE_DISPOSITION_INFO_EX { DWORD Flags } (Windows 10 1607+, NTFS). */
export const FileDispositionInfoEx = 21;
/** FILE_RENAME_INFO with Flags (Windows 10 1709+). */
export const FileRenameInfoEx = 22;

export const FILE_DISPOSITION_FLAG_DELETE = 0x1;
export const FILE_DISPOSITION_FLAG_POSIX_SEMANTICS = 0x2;
export const FILE_DISPOSITION_FLAG_IGNORE_READONLY_ATTRIBUTE = 0x10;

/** FindFirstFileExW: FINDEX_INFO_LEVELS FindExInfoBasic (no 8.3 name), FINDEX_SEARCH_OPS FindExSearchNameMatch. */
export const FindExInfoBasic = 1;
export const FindExSearchNameMatch = 0;
/** sizeof(WIN32_FIND_DATAW) on Windows. */
export const WIN32_FIND_DATAW_SIZE = 592;

/** GetFinalPathNameByHandleW flags. */
export const FILE_NAME_NORMALIZED = 0x0;
export const VOLUME_NAME_NONE = 0x4;

type Fn = (...args: unknown[]) => number;

export interface Kernel32 {
  CreateFileW(name: string, access: number, share: number, sa: null, disposition: number, flags: number, template: number): number;
  CloseHandle(h: number): number;
  GetFileInformationByHandle(h: number, out: Buffer): number;
  GetFileInformationByHandleEx(h: number, cls: number, out: Buffer, size: number): number;
  DeviceIoControl(h: number, code: number, inBuf: Buffer | null, inSize: number, outBuf: Buffer | null, outSize: number, returned: Buffer, overlapped: null): number;
  CreateDirectoryW(name: string, sa: null): number;
  RemoveDirectoryW(name: string): number;
  DeleteFileW(name: string): number;
  CreateSymbolicLinkW(link: string, target: string, flags: number): number;
  CreateHardLinkW(link: string, existing: string, sa: null): number;
  MoveFileExW(from: string, to: string, flags: number): number;
  FindFirstFileNameW(name: string, flags: number, length: Buffer, out: Buffer): number;
  FindNextFileNameW(h: number, length: Buffer, out: Buffer): number;
  FindClose(h: number): number;
  GetVolumePathNameW(name: string, out: Buffer, length: number): number;
  SetFileInformationByHandle(h: number, cls: number, info: Buffer, size: number): number;
  FindFirstFileExW(name: string, infoLevel: number, data: Buffer, searchOp: number, filter: null, flags: number): number;
  /** Returns the length in characters (without the NUL) when it fits, the size needed (with the NUL) when not, 0 on failure. */
  GetFullPathNameW(name: string, length: number, out: Buffer, filePart: null): number;
  GetLongPathNameW(name: string, out: Buffer, length: number): number;
  GetFinalPathNameByHandleW(h: number, out: Buffer, length: number, flags: number): number;
  GetLastError(): number;
}

const DECLS: Record<keyof Kernel32, string> = {
  CreateFileW: 'intptr_t __stdcall CreateFileW(str16 name, uint32_t access, uint32_t share, void *sa, uint32_t disposition, uint32_t flags, intptr_t tmpl)',
  CloseHandle: 'int __stdcall CloseHandle(intptr_t h)',
  GetFileInformationByHandle: 'int __stdcall GetFileInformationByHandle(intptr_t h, void *info)',
  GetFileInformationByHandleEx: 'int __stdcall GetFileInformationByHandleEx(intptr_t h, int cls, void *info, uint32_t size)',
  DeviceIoControl: 'int __stdcall DeviceIoControl(intptr_t h, uint32_t code, void *inBuf, uint32_t inSize, void *outBuf, uint32_t outSize, void *returned, void *overlapped)',
  CreateDirectoryW: 'int __stdcall CreateDirectoryW(str16 name, void *sa)',
  RemoveDirectoryW: 'int __stdcall RemoveDirectoryW(str16 name)',
  DeleteFileW: 'int __stdcall DeleteFileW(str16 name)',
  CreateSymbolicLinkW: 'uint8_t __stdcall CreateSymbolicLinkW(str16 link, str16 target, uint32_t flags)',
  CreateHardLinkW: 'int __stdcall CreateHardLinkW(str16 link, str16 existing, void *sa)',
  MoveFileExW: 'int __stdcall MoveFileExW(str16 from, str16 to, uint32_t flags)',
  FindFirstFileNameW: 'intptr_t __stdcall FindFirstFileNameW(str16 name, uint32_t flags, void *length, void *out)',
  FindNextFileNameW: 'int __stdcall FindNextFileNameW(intptr_t h, void *length, void *out)',
  FindClose: 'int __stdcall FindClose(intptr_t h)',
  GetVolumePathNameW: 'int __stdcall GetVolumePathNameW(str16 name, void *out, uint32_t length)',
  SetFileInformationByHandle: 'int __stdcall SetFileInformationByHandle(intptr_t h, int cls, void *info, uint32_t size)',
  FindFirstFileExW: 'intptr_t __stdcall FindFirstFileExW(str16 name, int infoLevel, void *data, int searchOp, void *filter, uint32_t flags)',
  GetFullPathNameW: 'uint32_t __stdcall GetFullPathNameW(str16 name, uint32_t length, void *out, void *filePart)',
  GetLongPathNameW: 'uint32_t __stdcall GetLongPathNameW(str16 name, void *out, uint32_t length)',
  GetFinalPathNameByHandleW: 'uint32_t __stdcall GetFinalPathNameByHandleW(intptr_t h, void *out, uint32_t length, uint32_t flags)',
  GetLastError: 'uint32_t __stdcall GetLastError()',
};

let cached: Kernel32 | undefined;

/** The bindings; throws LT_UNSUPPORTED_KIND when koffi or kernel32 cannot be loaded. */
export function kernel32(): Kernel32 {
  if (cached) return cached;
  const { koffi, error } = loadKoffi();
  if (!koffi) throw new LinkToolsError('LT_UNSUPPORTED_KIND', `The native FFI (koffi) is not available, so Windows links cannot be handled: ${error}`);
  let lib: { func(decl: string): Fn };
  try {
    lib = koffi.load('kernel32.dll');
  } catch (e) {
    throw new LinkToolsError('LT_UNSUPPORTED_KIND', `kernel32.dll could not be loaded: ${(e as Error).message}`);
  }
  // Bind each function on its first call: a kernel32 without one of them (Wine has no
  // FindFirstFileNameW) fails only the operation that needs it, with a stable code.
  const k = {} as Record<string, Fn>;
  for (const [name, decl] of Object.entries(DECLS)) {
    let fn: Fn | undefined;
    k[name] = (...args: unknown[]) => {
      if (!fn) {
        try {
          fn = lib.func(decl);
        } catch (e) {
          throw new LinkToolsError('LT_UNSUPPORTED_KIND', `This system's kernel32.dll has no ${name}: ${(e as Error).message}`, undefined, { osCode: name });
        }
      }
      return fn(...args);
    };
  }
  cached = k as unknown as Kernel32;
  return cached;
}

/**
 * Call a Win32 function that fills a UTF-16 buffer of `length` characters and returns the
 * characters written (without the NUL), or the size needed (with the NUL) when the buffer is too
 * small, or 0 on failure (GetFullPathNameW, GetLongPathNameW, GetFinalPathNameByHandleW).
 * Null on failure: the caller reads GetLastError().
 */
export function callForString(fn: (out: Buffer, length: number) => number, start = 512): string | null {
  let cap = start;
  for (let i = 0; i < 4; i++) {
    const out = Buffer.alloc(cap * 2);
    const n = fn(out, cap);
    if (n === 0) return null;
    if (n < cap) return out.toString('utf16le', 0, n * 2);
    cap = n + 1;
  }
  return null;
}

/** Decode a NUL-terminated (or `units`-long) UTF-16LE string from a buffer. */
export function readWide(buf: Buffer, units?: number): string {
  const s = buf.toString('utf16le', 0, units === undefined ? buf.length : Math.min(buf.length, units * 2));
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}
