/**
 * The NTFS reparse tag table, per [MS-FSCC] 2.1.2.1 (plus the few tags ntifs.h defines that the
 * table does not yet list), and a decoder for any 32-bit tag value.
 *
 * Tag layout (most significant bit first):
 *
 *   M R N D  reserved(12)  value(16)
 *
 * M = owned by Microsoft, R = reserved (formerly "high latency"), N = name surrogate (the entry stands
 * for another named entity), D = a directory with this tag may have children (never together with N).
 *
 * `followSafe` answers one question for the audit code: may it resolve through this reparse point (open
 * or stat what it names) without side effects? Only true for tags that are links the audit can resolve
 * itself from the parsed data. Placeholders of every kind (cloud files, HSM, ProjFS, Azure File Sync)
 * are never follow-safe: opening them without FILE_FLAG_OPEN_REPARSE_POINT recalls or hydrates data.
 */

export const TAG_BIT_MICROSOFT = 0x80000000;
export const TAG_BIT_RESERVED = 0x40000000;
export const TAG_BIT_NAME_SURROGATE = 0x20000000;
export const TAG_BIT_DIRECTORY = 0x10000000;
/** Bits 12..15 of the cloud-files tags carry a sub-type (CLOUD_1 .. CLOUD_F). */
export const IO_REPARSE_TAG_CLOUD_MASK = 0x0000f000;

export const IO_REPARSE_TAG_MOUNT_POINT = 0xa0000003;
export const IO_REPARSE_TAG_SYMLINK = 0xa000000c;
export const IO_REPARSE_TAG_NFS = 0x80000014;
export const IO_REPARSE_TAG_CLOUD = 0x9000001a;
export const IO_REPARSE_TAG_APPEXECLINK = 0x8000001b;
export const IO_REPARSE_TAG_LX_SYMLINK = 0xa000001d;

/** Everything LinkTools knows about one reparse tag. */
export interface TagInfo {
  /** The tag value as an unsigned 32-bit number. */
  readonly tag: number;
  /** The ntifs.h / MS-FSCC name, e.g. "IO_REPARSE_TAG_SYMLINK"; for unknown tags a synthetic name. */
  readonly name: string;
  /** Short lower-case label for display and records: "symlink", "junction", "cloud", ... */
  readonly label: string;
  /** True when the tag is in the table; false when the description was decoded from the bits. */
  readonly known: boolean;
  /** Does the reparse data name another path the audit can read from it? */
  readonly isLink: boolean;
  /** May an audit resolve through it without side effects (no recall, hydration, blocking)? */
  readonly followSafe: boolean;
  /** One sentence on why isLink / followSafe are what they are. */
  readonly reason: string;
  /** The M bit: owned by Microsoft, data has no GUID header. */
  readonly isMicrosoft: boolean;
  /** The N bit: the entry represents another named entity. */
  readonly isNameSurrogate: boolean;
  /** The D bit: a directory with this tag may have children. */
  readonly isDirectory: boolean;
  /** The tag is documented as obsolete. */
  readonly obsolete: boolean;
  /**
   * Does a normal file with this tag hold its own data (so it is a file, not a link)? 'yes': dedup,
   * WOF, SIS and the other filter-driver tags, and any unknown tag without the name-surrogate bit;
   * 'when-hydrated': placeholders (cloud files, OneDrive, HSM, ProjFS, Azure File Sync, ...), a file
   * only once its content is local; 'no': name surrogates (links), DFS, NFS and WSL special files,
   * sockets.
   */
  readonly holdsData: 'yes' | 'when-hydrated' | 'no';
}

interface Row {
  tag: number;
  name: string;
  label: string;
  isLink?: boolean;
  followSafe?: boolean;
  obsolete?: boolean;
  reason: string;
}

const NOT_A_LINK = 'stores data or state for a filter driver rather than naming another path';
const PLACEHOLDER = 'is a placeholder whose content lives elsewhere; opening it through the reparse point recalls or hydrates data';

const ROWS: readonly Row[] = [
  { tag: 0x00000000, name: 'IO_REPARSE_TAG_RESERVED_ZERO', label: 'reserved', reason: `A reserved tag value that no driver owns, so there is nothing to follow.` },
  { tag: 0x00000001, name: 'IO_REPARSE_TAG_RESERVED_ONE', label: 'reserved', reason: `A reserved tag value that no driver owns, so there is nothing to follow.` },
  { tag: 0x00000002, name: 'IO_REPARSE_TAG_RESERVED_TWO', label: 'reserved', reason: `A reserved tag value that no driver owns, so there is nothing to follow.` },
  {
    tag: IO_REPARSE_TAG_MOUNT_POINT,
    name: 'IO_REPARSE_TAG_MOUNT_POINT',
    label: 'junction',
    isLink: true,
    followSafe: true,
    reason: 'A junction or volume mount point names a local directory or volume; resolving it only reads that path.',
  },
  { tag: 0xc0000004, name: 'IO_REPARSE_TAG_HSM', label: 'hsm', obsolete: true, reason: `A legacy hierarchical-storage stub; it ${PLACEHOLDER}.` },
  { tag: 0x80000005, name: 'IO_REPARSE_TAG_DRIVE_EXTENDER', label: 'drive-extender', reason: `Windows Home Server Drive Extender ${NOT_A_LINK}; its file content is pooled on other disks.` },
  { tag: 0x80000006, name: 'IO_REPARSE_TAG_HSM2', label: 'hsm', obsolete: true, reason: `A legacy hierarchical-storage stub; it ${PLACEHOLDER}.` },
  { tag: 0x80000007, name: 'IO_REPARSE_TAG_SIS', label: 'sis', reason: `Single-instance storage ${NOT_A_LINK}: the content is a shared copy in the SIS common store.` },
  { tag: 0x80000008, name: 'IO_REPARSE_TAG_WIM', label: 'wim', reason: `The WIM mount filter ${NOT_A_LINK}; content is served from a mounted image.` },
  { tag: 0x80000009, name: 'IO_REPARSE_TAG_CSV', label: 'csv', obsolete: true, reason: `Cluster Shared Volumes v1 ${NOT_A_LINK}.` },
  { tag: 0x8000000a, name: 'IO_REPARSE_TAG_DFS', label: 'dfs', reason: 'A DFS namespace link is resolved by a server-side referral, not a path the audit can read locally.' },
  { tag: 0x8000000b, name: 'IO_REPARSE_TAG_FILTER_MANAGER', label: 'filter-manager', reason: `The filter manager test harness ${NOT_A_LINK}.` },
  {
    tag: IO_REPARSE_TAG_SYMLINK,
    name: 'IO_REPARSE_TAG_SYMLINK',
    label: 'symlink',
    isLink: true,
    followSafe: true,
    reason: 'A symbolic link names a file or directory path; resolving it only reads that path.',
  },
  { tag: 0xa0000010, name: 'IO_REPARSE_TAG_IIS_CACHE', label: 'iis-cache', reason: 'An IIS cache entry is a name surrogate in a private format, not a path LinkTools can read.' },
  { tag: 0x80000012, name: 'IO_REPARSE_TAG_DFSR', label: 'dfsr', reason: `The DFS replication filter ${NOT_A_LINK}.` },
  { tag: 0x80000013, name: 'IO_REPARSE_TAG_DEDUP', label: 'dedup', reason: `Data deduplication ${NOT_A_LINK}: the content is rebuilt from chunks in the chunk store.` },
  { tag: 0xc0000014, name: 'IO_REPARSE_TAG_APPXSTRM', label: 'appx-stream', reason: `AppX streaming ${NOT_A_LINK}; opening the file may stream package content in.` },
  {
    tag: IO_REPARSE_TAG_NFS,
    name: 'IO_REPARSE_TAG_NFS',
    label: 'nfs',
    reason: 'An NFS special file (symlink, device, FIFO or socket) that the NFS server or client interprets; an NFS symlink target is relative to the export, not this machine.',
  },
  { tag: 0x80000015, name: 'IO_REPARSE_TAG_FILE_PLACEHOLDER', label: 'placeholder', obsolete: true, reason: `A Windows 8.1 OneDrive file placeholder; it ${PLACEHOLDER}.` },
  { tag: 0x80000016, name: 'IO_REPARSE_TAG_DFM', label: 'dfm', reason: `The Dynamic File filter ${NOT_A_LINK}.` },
  { tag: 0x80000017, name: 'IO_REPARSE_TAG_WOF', label: 'wof', reason: `The Windows Overlay Filter (WIMBoot, compact OS) ${NOT_A_LINK}: the content is compressed or backed by an image.` },
  { tag: 0x80000018, name: 'IO_REPARSE_TAG_WCI', label: 'wci', reason: `Windows Container Isolation ${NOT_A_LINK}; the content comes from a container layer.` },
  { tag: 0x90001018, name: 'IO_REPARSE_TAG_WCI_1', label: 'wci', reason: `Windows Container Isolation (directory variant) ${NOT_A_LINK}.` },
  {
    tag: 0xa0000019,
    name: 'IO_REPARSE_TAG_GLOBAL_REPARSE',
    label: 'global-reparse',
    isLink: true,
    reason: 'A named-pipe link from a server silo into the host silo; it names an object-manager path outside the file system, so the audit must not open it.',
  },
  { tag: IO_REPARSE_TAG_CLOUD, name: 'IO_REPARSE_TAG_CLOUD', label: 'cloud', reason: `A cloud-files placeholder; it ${PLACEHOLDER} from the sync provider.` },
  ...Array.from({ length: 15 }, (_, i): Row => {
    const n = (i + 1).toString(16).toUpperCase();
    return {
      tag: (IO_REPARSE_TAG_CLOUD | ((i + 1) << 12)) >>> 0,
      name: `IO_REPARSE_TAG_CLOUD_${n}`,
      label: 'cloud',
      reason: `A cloud-files placeholder (sub-type ${n}); it ${PLACEHOLDER} from the sync provider.`,
    };
  }),
  {
    tag: IO_REPARSE_TAG_APPEXECLINK,
    name: 'IO_REPARSE_TAG_APPEXECLINK',
    label: 'app-exec-link',
    isLink: true,
    reason: 'An app execution alias names a packaged executable, but the system does not resolve it on open (it fails); use the parsed target path instead of following it.',
  },
  { tag: 0x9000001c, name: 'IO_REPARSE_TAG_PROJFS', label: 'projfs', reason: `A Projected File System placeholder; it ${PLACEHOLDER} from the provider.` },
  {
    tag: IO_REPARSE_TAG_LX_SYMLINK,
    name: 'IO_REPARSE_TAG_LX_SYMLINK',
    label: 'wsl-symlink',
    isLink: true,
    followSafe: true,
    reason: 'A WSL symbolic link names a POSIX path; resolving it only reads that path (relative to the distribution root when absolute).',
  },
  { tag: 0x8000001e, name: 'IO_REPARSE_TAG_STORAGE_SYNC', label: 'storage-sync', reason: `An Azure File Sync tiered file; it ${PLACEHOLDER} from the Azure file share.` },
  { tag: 0x90000027, name: 'IO_REPARSE_TAG_STORAGE_SYNC_FOLDER', label: 'storage-sync', reason: `An Azure File Sync tiered folder; it ${PLACEHOLDER} from the Azure file share.` },
  { tag: 0xa000001f, name: 'IO_REPARSE_TAG_WCI_TOMBSTONE', label: 'wci-tombstone', reason: 'A container-isolation tombstone marks a file deleted in the layer; it names nothing to follow.' },
  { tag: 0x80000020, name: 'IO_REPARSE_TAG_UNHANDLED', label: 'unhandled', reason: `Used by Windows Container Isolation for reparse points it does not handle; it ${NOT_A_LINK}.` },
  { tag: 0x80000021, name: 'IO_REPARSE_TAG_ONEDRIVE', label: 'onedrive', reason: `A OneDrive placeholder; it ${PLACEHOLDER}.` },
  { tag: 0xa0000022, name: 'IO_REPARSE_TAG_PROJFS_TOMBSTONE', label: 'projfs-tombstone', reason: 'A ProjFS tombstone marks a projected file deleted locally; it names nothing to follow.' },
  { tag: 0x80000023, name: 'IO_REPARSE_TAG_AF_UNIX', label: 'af-unix', reason: 'A Unix domain socket; there is no path to follow and opening it as a file fails.' },
  { tag: 0x80000024, name: 'IO_REPARSE_TAG_LX_FIFO', label: 'wsl-fifo', reason: 'A WSL FIFO; there is no path to follow and opening it could block.' },
  { tag: 0x80000025, name: 'IO_REPARSE_TAG_LX_CHR', label: 'wsl-char-device', reason: 'A WSL character device node; there is no path to follow.' },
  { tag: 0x80000026, name: 'IO_REPARSE_TAG_LX_BLK', label: 'wsl-block-device', reason: 'A WSL block device node; there is no path to follow.' },
  {
    tag: 0xa0000027,
    name: 'IO_REPARSE_TAG_WCI_LINK',
    label: 'wci-link',
    isLink: true,
    reason: 'A container-isolation link names a file in another container layer, which only the isolation filter can resolve.',
  },
  {
    tag: 0xa0001027,
    name: 'IO_REPARSE_TAG_WCI_LINK_1',
    label: 'wci-link',
    isLink: true,
    reason: 'A container-isolation link names a file in another container layer, which only the isolation filter can resolve.',
  },
  { tag: 0xa0000028, name: 'IO_REPARSE_TAG_DATALESS_CIM', label: 'dataless-cim', reason: `A dataless file backed by a composite image (CIM); it ${PLACEHOLDER}.` },
];

/** Labels of placeholder tags: their file holds data only when hydrated. */
const PLACEHOLDER_LABELS = new Set(['hsm', 'placeholder', 'cloud', 'projfs', 'storage-sync', 'onedrive', 'dataless-cim', 'appx-stream']);
/** Labels of tags that are not normal files at all (special files, sockets) or name a namespace path. */
const NOT_DATA_LABELS = new Set(['nfs', 'dfs', 'af-unix', 'wsl-fifo', 'wsl-char-device', 'wsl-block-device']);

function holdsDataOf(tag: number, label: string): TagInfo['holdsData'] {
  if ((tag & TAG_BIT_NAME_SURROGATE) !== 0 || NOT_DATA_LABELS.has(label)) return 'no';
  return PLACEHOLDER_LABELS.has(label) ? 'when-hydrated' : 'yes';
}

function bitsOf(tag: number): Pick<TagInfo, 'isMicrosoft' | 'isNameSurrogate' | 'isDirectory'> {
  return {
    isMicrosoft: (tag & TAG_BIT_MICROSOFT) !== 0,
    isNameSurrogate: (tag & TAG_BIT_NAME_SURROGATE) !== 0,
    isDirectory: (tag & TAG_BIT_DIRECTORY) !== 0,
  };
}

function fromRow(r: Row): TagInfo {
  return Object.freeze({
    tag: r.tag,
    name: r.name,
    label: r.label,
    known: true,
    isLink: r.isLink ?? false,
    followSafe: r.followSafe ?? false,
    reason: r.reason,
    ...bitsOf(r.tag),
    obsolete: r.obsolete ?? false,
    holdsData: holdsDataOf(r.tag, r.label),
  });
}

/** Every tag in the table, in table order. */
export const REPARSE_TAGS: readonly TagInfo[] = Object.freeze(ROWS.map(fromRow));

const BY_TAG: ReadonlyMap<number, TagInfo> = new Map(REPARSE_TAGS.map((t) => [t.tag, t]));

/** Format a tag the way Windows tools print it: 0xA000000C. */
export function formatTag(tag: number): string {
  return `0x${(tag >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

/** Is this a cloud-files tag (IO_REPARSE_TAG_CLOUD with any sub-type in the CLOUD_MASK bits)? */
export function isCloudTag(tag: number): boolean {
  return (tag & ~IO_REPARSE_TAG_CLOUD_MASK) >>> 0 === IO_REPARSE_TAG_CLOUD;
}

/**
 * Describe any 32-bit value as a reparse tag. Tags in the table get their row; anything else gets a
 * description decoded from the M, N and D bits, never follow-safe.
 */
export function describeTag(tag: number): TagInfo {
  const t = tag >>> 0;
  const row = BY_TAG.get(t);
  if (row) return row;
  const bits = bitsOf(t);
  const owner = bits.isMicrosoft ? 'Microsoft' : 'third-party';
  const what = bits.isNameSurrogate ? 'name surrogate' : bits.isDirectory ? 'directory-capable reparse point' : 'reparse point';
  return Object.freeze({
    tag: t,
    name: `IO_REPARSE_TAG_${bits.isMicrosoft ? 'MICROSOFT' : 'THIRD_PARTY'}_${formatTag(t).slice(2)}`,
    label: bits.isMicrosoft ? 'unknown-microsoft' : 'third-party',
    known: false,
    isLink: false,
    followSafe: false,
    reason: `An unknown ${owner} ${what}; LinkTools cannot tell what following it would do, so it does not.`,
    ...bits,
    obsolete: false,
    holdsData: holdsDataOf(t, bits.isMicrosoft ? 'unknown-microsoft' : 'third-party'),
  });
}
