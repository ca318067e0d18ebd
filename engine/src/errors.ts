/**
 * The one registry of stable LinkTools error codes.
 *
 * Every error the engine reports carries one of these codes. The PowerShell module uses the code
 * verbatim as the ErrorRecord's ErrorId and the `category` as its ErrorCategory, so codes and
 * categories are part of the contract: never rename one, only add.
 */

interface ErrorSpec {
  /** PowerShell ErrorCategory name the module maps this code to. */
  readonly category: string;
  /** Exit code class: 2 = bad input, 3 = operation failed. */
  readonly exit: 2 | 3;
  /** Default message (used when the caller gives none). */
  readonly message: string;
}

export const ERROR_CODES = {
  LT_INVALID_ARGUMENT: { category: 'InvalidArgument', exit: 2, message: 'An argument is not valid.' },
  LT_NOT_FOUND: { category: 'ObjectNotFound', exit: 3, message: 'The path does not exist.' },
  LT_EXISTS: { category: 'ResourceExists', exit: 3, message: 'Something already exists at the path.' },
  LT_NOT_A_LINK: { category: 'InvalidType', exit: 3, message: 'The path is not a link.' },
  LT_PRIVILEGE_REQUIRED: {
    category: 'PermissionDenied',
    exit: 3,
    message: 'Creating a symbolic link needs SeCreateSymbolicLinkPrivilege: enable Developer Mode, run elevated, or use a junction.',
  },
  LT_ACCESS_DENIED: { category: 'PermissionDenied', exit: 3, message: 'Access is denied.' },
  LT_CROSS_DEVICE: { category: 'InvalidOperation', exit: 3, message: 'A hard link must be on the same volume as its target.' },
  LT_UNSUPPORTED_KIND: {
    category: 'NotImplemented',
    exit: 3,
    message: 'This kind of link is not supported on this file system.',
  },
  LT_TARGET_TYPE_REQUIRED: {
    category: 'InvalidArgument',
    exit: 2,
    message: 'The target does not exist: say whether the symbolic link is to a file or a directory (--target-type).',
  },
  LT_TARGET_TYPE_MISMATCH: {
    category: 'InvalidArgument',
    exit: 2,
    message: 'The declared target type does not match the existing target.',
  },
  LT_NOT_A_FILE: { category: 'InvalidType', exit: 3, message: 'Hard links can only be made to files.' },
  LT_NOT_A_DIRECTORY: { category: 'InvalidType', exit: 3, message: 'A junction must target a directory.' },
  LT_JUNCTION_TARGET_NOT_LOCAL: {
    category: 'InvalidArgument',
    exit: 2,
    message: 'A junction must target a local absolute path, not a network (UNC) path.',
  },
  LT_SYMLINK_CLASS_DISABLED: {
    category: 'PermissionDenied',
    exit: 3,
    message: 'The symbolic link cannot be followed because its type is disabled (SymlinkEvaluation policy: fsutil behavior set SymlinkEvaluation).',
  },
  LT_LOOP: { category: 'InvalidResult', exit: 3, message: 'The link chain loops.' },
  LT_BAD_REPARSE_DATA: { category: 'InvalidData', exit: 3, message: 'The reparse point data is malformed.' },
  LT_NOT_EMPTY: { category: 'InvalidOperation', exit: 3, message: 'The directory is not empty.' },
  LT_BUSY: { category: 'ResourceBusy', exit: 3, message: 'The file is in use.' },
  LT_BAD_REQUEST: { category: 'InvalidArgument', exit: 2, message: 'A request read from stdin is not valid.' },
  LT_BAD_CONFIG: { category: 'InvalidData', exit: 2, message: 'The configuration file is not valid.' },
  LT_BAD_BASELINE: { category: 'InvalidData', exit: 2, message: 'The baseline file is not valid.' },
  LT_UNREADABLE: { category: 'ReadError', exit: 3, message: 'The entry could not be read.' },
  LT_IO: { category: 'WriteError', exit: 3, message: 'The operation failed.' },
  LT_INTERNAL: { category: 'NotSpecified', exit: 3, message: 'An internal error occurred.' },
  LT_TOO_MANY_LINKS: {
    category: 'LimitsExceeded',
    exit: 3,
    message: 'The file already has as many hard links as the file system allows (1023 names on NTFS).',
  },
  LT_TREE_CHANGED: { category: 'InvalidOperation', exit: 3, message: 'The link changed since the plan was made: nothing was changed for it.' },
  LT_NOT_EQUIVALENT: { category: 'InvalidResult', exit: 3, message: 'The new target would not reach the same object as the old one.' },
  LT_BAD_MANIFEST: { category: 'InvalidData', exit: 2, message: 'The link manifest is not valid.' },
  LT_BAD_JOURNAL: { category: 'InvalidData', exit: 2, message: 'The file is not a valid LinkTools change journal.' },
  LT_JOURNAL_MISMATCH: { category: 'InvalidArgument', exit: 2, message: 'The journal was written for another machine or tree.' },
  LT_CANNOT_UNDO: { category: 'InvalidOperation', exit: 3, message: 'This change cannot be reversed.' },
  // Raised by the PowerShell module about the engine process itself (never by the engine).
  LT_ENGINE_NOT_FOUND: { category: 'ObjectNotFound', exit: 3, message: 'The LinkTools engine executable was not found.' },
  LT_ENGINE_NOT_EXECUTABLE: { category: 'PermissionDenied', exit: 3, message: 'The LinkTools engine file is not executable.' },
  LT_ENGINE_FAILED: { category: 'InvalidResult', exit: 3, message: 'The LinkTools engine failed or ended without answering.' },
  // Raised by the PowerShell module's fleet commands (remoting; never by the engine), one per host.
  LT_REMOTE_UNREACHABLE: { category: 'ConnectionError', exit: 3, message: 'The remote host could not be reached.' },
  LT_REMOTE_AUTH_FAILED: { category: 'AuthenticationError', exit: 3, message: 'The login to the remote host failed.' },
  LT_REMOTE_ENGINE_MISSING: { category: 'ObjectNotFound', exit: 3, message: 'The remote host has no LinkTools engine (use -Deploy).' },
  LT_REMOTE_VERSION_MISMATCH: { category: 'InvalidResult', exit: 3, message: 'The LinkTools engine on the remote host has another major contract version.' },
  LT_REMOTE_PLATFORM_UNSUPPORTED: { category: 'NotImplemented', exit: 3, message: "There is no LinkTools engine for the remote host's platform." },
  LT_REMOTE_DEPLOY_FAILED: { category: 'InvalidResult', exit: 3, message: 'The LinkTools engine could not be deployed to the remote host.' },
  LT_REMOTE_FAILED: { category: 'InvalidResult', exit: 3, message: 'The audit on the remote host failed.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** An error the engine reports as a record. Core code throws these; the CLI turns them into JSON. */
export class LinkToolsError extends Error {
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, path?: string, details?: Record<string, unknown>) {
    // No stack trace: a LinkToolsError is reported by its code, message and path, never its stack,
    // and capturing one costs more than the failed call it reports (a tree walk meets thousands:
    // broken links, vanished entries). Internal errors keep theirs (they are other Errors).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message ?? ERROR_CODES[code].message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = 'LinkToolsError';
    this.code = code;
    this.path = path;
    this.details = details;
  }

  get category(): string {
    return ERROR_CODES[this.code].category;
  }

  get exitCode(): 2 | 3 {
    return ERROR_CODES[this.code].exit;
  }
}

/** The one table mapping OS error names (errno codes and Windows error names) to LinkTools codes. */
const OS_ERRORS: Record<string, ErrorCode> = {
  ENOENT: 'LT_NOT_FOUND',
  ENOTDIR: 'LT_NOT_FOUND',
  EEXIST: 'LT_EXISTS',
  EACCES: 'LT_ACCESS_DENIED',
  EPERM: 'LT_ACCESS_DENIED',
  EROFS: 'LT_ACCESS_DENIED',
  EXDEV: 'LT_CROSS_DEVICE',
  ELOOP: 'LT_LOOP',
  ENOTEMPTY: 'LT_NOT_EMPTY',
  EBUSY: 'LT_BUSY',
  EINVAL: 'LT_INVALID_ARGUMENT',
  ENAMETOOLONG: 'LT_INVALID_ARGUMENT',
  EISDIR: 'LT_NOT_A_FILE',
  ENOTSUP: 'LT_UNSUPPORTED_KIND',
  EOPNOTSUPP: 'LT_UNSUPPORTED_KIND',
  ENOSYS: 'LT_UNSUPPORTED_KIND',
  // Windows error names as libuv/Node or the win32 backend report them.
  ERROR_PRIVILEGE_NOT_HELD: 'LT_PRIVILEGE_REQUIRED',
  ERROR_FILE_NOT_FOUND: 'LT_NOT_FOUND',
  ERROR_PATH_NOT_FOUND: 'LT_NOT_FOUND',
  ERROR_ALREADY_EXISTS: 'LT_EXISTS',
  ERROR_ACCESS_DENIED: 'LT_ACCESS_DENIED',
  ERROR_NOT_SAME_DEVICE: 'LT_CROSS_DEVICE',
  ERROR_NOT_A_REPARSE_POINT: 'LT_NOT_A_LINK',
  ERROR_INVALID_REPARSE_DATA: 'LT_BAD_REPARSE_DATA',
  ERROR_DIR_NOT_EMPTY: 'LT_NOT_EMPTY',
  ERROR_NOT_SUPPORTED: 'LT_UNSUPPORTED_KIND',
  ERROR_SYMLINK_CLASS_DISABLED: 'LT_SYMLINK_CLASS_DISABLED',
  ERROR_INVALID_FUNCTION: 'LT_UNSUPPORTED_KIND',
  ERROR_CALL_NOT_IMPLEMENTED: 'LT_UNSUPPORTED_KIND',
  ERROR_FILE_EXISTS: 'LT_EXISTS',
  ERROR_INVALID_DRIVE: 'LT_NOT_FOUND',
  ERROR_BAD_NETPATH: 'LT_NOT_FOUND',
  ERROR_BAD_NET_NAME: 'LT_NOT_FOUND',
  ERROR_DIRECTORY: 'LT_NOT_FOUND', // a path component is not a directory (as ENOTDIR)
  ERROR_WRITE_PROTECT: 'LT_ACCESS_DENIED',
  ERROR_SHARING_VIOLATION: 'LT_BUSY',
  ERROR_LOCK_VIOLATION: 'LT_BUSY',
  ERROR_INVALID_NAME: 'LT_INVALID_ARGUMENT',
  ERROR_BAD_PATHNAME: 'LT_INVALID_ARGUMENT',
  ERROR_INVALID_PARAMETER: 'LT_INVALID_ARGUMENT',
  ERROR_FILENAME_EXCED_RANGE: 'LT_INVALID_ARGUMENT',
  ERROR_CANT_RESOLVE_FILENAME: 'LT_LOOP',
  ERROR_CANT_ACCESS_FILE: 'LT_UNREADABLE',
  ERROR_REPARSE_TAG_INVALID: 'LT_BAD_REPARSE_DATA',
  ERROR_REPARSE_TAG_MISMATCH: 'LT_BAD_REPARSE_DATA',
  ERROR_TOO_MANY_LINKS: 'LT_TOO_MANY_LINKS',
  EMLINK: 'LT_TOO_MANY_LINKS',
};

/** Turn anything thrown by a file-system call into a LinkToolsError with a stable code. */
export function fromOsError(err: unknown, path?: string, what?: string): LinkToolsError {
  if (err instanceof LinkToolsError) return err;
  const e = err as NodeJS.ErrnoException | undefined;
  const osCode = typeof e?.code === 'string' ? e.code : undefined;
  const code: ErrorCode = (osCode && OS_ERRORS[osCode]) || 'LT_IO';
  const base = what ? `${what}: ` : '';
  const detail = osCode ? `${ERROR_CODES[code].message} (${osCode})` : String(e?.message ?? err);
  return new LinkToolsError(code, `${base}${detail}`, path ?? e?.path, osCode ? { osCode } : undefined);
}
