/**
 * The pure-TypeScript NTFS reparse-point codec: the tag table ([MS-FSCC] 2.1.2.1), reparse data
 * buffers ([MS-FSCC] 2.1.2) and NT path helpers. No I/O; runs the same on every OS.
 */

export {
  describeTag,
  formatTag,
  isCloudTag,
  REPARSE_TAGS,
  TAG_BIT_MICROSOFT,
  TAG_BIT_RESERVED,
  TAG_BIT_NAME_SURROGATE,
  TAG_BIT_DIRECTORY,
  IO_REPARSE_TAG_CLOUD_MASK,
  IO_REPARSE_TAG_MOUNT_POINT,
  IO_REPARSE_TAG_SYMLINK,
  IO_REPARSE_TAG_NFS,
  IO_REPARSE_TAG_CLOUD,
  IO_REPARSE_TAG_APPEXECLINK,
  IO_REPARSE_TAG_LX_SYMLINK,
  type TagInfo,
} from './tags.js';

export {
  parseReparseBuffer,
  buildSymlinkBuffer,
  buildMountPointBuffer,
  buildLxSymlinkBuffer,
  buildAppExecLinkBuffer,
  buildReparseBuffer,
  MAXIMUM_REPARSE_DATA_BUFFER_SIZE,
  REPARSE_HEADER_SIZE,
  REPARSE_GUID_HEADER_SIZE,
  SYMLINK_FLAG_RELATIVE,
  APPEXECLINK_VERSION,
  LX_SYMLINK_VERSION,
  NFS_SPECFILE_LNK,
  NFS_SPECFILE_CHR,
  NFS_SPECFILE_BLK,
  NFS_SPECFILE_FIFO,
  NFS_SPECFILE_SOCK,
  type ReparseData,
  type ReparseKind,
  type SymlinkReparse,
  type MountPointReparse,
  type AppExecLinkReparse,
  type LxSymlinkReparse,
  type NfsReparse,
  type NfsType,
  type OpaqueReparse,
  type SymlinkBufferOptions,
  type MountPointBufferOptions,
  type AppExecLinkBufferOptions,
} from './codec.js';

export { classifyNtPath, ntToDos, dosToNt, isVolumeRoot, type NtPathKind, type DosPathResult } from './ntpath.js';
export { isDataFile, linkDataFromReparse, reparseRecord, storedTarget } from './classify.js';
