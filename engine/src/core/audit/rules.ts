/**
 * The audit rule table: one row per rule, with a stable kebab-case id, its default severity, and
 * what it means. Ids are part of the contract (config files, --rule, SARIF ruleId, baselines of
 * findings in other tools): never rename one, only add. docs/audit-rules.md is written from this.
 * Each rule is one function: `scope: 'link'` rules in checks.ts (LINK_CHECKS), judged on each link
 * as the walk finds it; `scope: 'tree'` rules in tree-checks.ts, judged on what the walk gathered
 * (hard-link groups, unreadable entries, the folder links of the whole tree).
 */

import type { Severity } from '../../contract/types.js';

export const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface RuleSpec {
  readonly id: string;
  /** PascalCase name (SARIF rule name; never equal to the id). */
  readonly name: string;
  /** Where the rule's function lives: per link (checks.ts) or over the walked tree (tree-checks.ts). */
  readonly scope: 'link' | 'tree';
  readonly severity: Severity;
  /** Short title (SARIF shortDescription). */
  readonly title: string;
  /** When the rule fires, precisely (SARIF fullDescription). */
  readonly meaning: string;
  /** What to do about it (SARIF help). */
  readonly help: string;
  /** Which link data the rule needs: 'any' works everywhere, 'ntfs' needs reparse data (Windows, ntfs-3g). */
  readonly needs: 'any' | 'ntfs' | 'remote-policy' | 'manifest';
  /** Off unless asked for (--rule, config, or the option that feeds it). */
  readonly optIn?: boolean;
}

export const RULES = [
  {
    id: 'broken-target',
    name: 'BrokenTarget',
    scope: 'link',
    severity: 'error',
    title: 'Link target does not exist',
    meaning: 'Following the link hop by hop ends at a path that does not exist (and the chain does not loop).',
    help: 'Point the link at an existing path, or remove it. The finding names the hop where the chain broke.',
    needs: 'any',
  },
  {
    id: 'link-loop',
    name: 'LinkLoop',
    scope: 'link',
    severity: 'error',
    title: 'Link chain loops',
    meaning:
      'Following the link comes back to a link already visited (or exceeds the OS hop limit). Every link on the cycle gets its own finding (details.inCycle = true); a link that only leads into a cycle gets one too (inCycle = false).',
    help: 'Break the cycle by retargeting one of the links in details.cycle to a real file or folder.',
    needs: 'any',
  },
  {
    id: 'chain-too-long',
    name: 'ChainTooLong',
    scope: 'link',
    severity: 'warning',
    title: 'Link chain is longer than allowed',
    meaning: 'The link resolves, but only through more than --max-chain links (default 8): the link itself counts as the first hop.',
    help: 'Retarget the link directly at the final target (details.finalTarget); long chains are fragile and slow to open.',
    needs: 'any',
  },
  {
    id: 'escapes-root',
    name: 'EscapesRoot',
    scope: 'link',
    severity: 'warning',
    title: 'Link target is outside the audited root',
    meaning:
      'The stored target, resolved lexically against the link\'s folder (".." applied, no links followed), lies outside the root the link was found under (the root as given or its real path). Each link is judged on its own hop.',
    help: 'Keep targets inside the tree (use a relative target), or exclude the link if leaving the tree is intended.',
    needs: 'any',
  },
  {
    id: 'absolute-target',
    name: 'AbsoluteTarget',
    scope: 'link',
    severity: 'info',
    title: 'Symbolic link stores an absolute target',
    meaning: 'A symbolic link (not a junction or mount point, which are always absolute) stores an absolute target, so it breaks when the tree is moved, copied or mounted elsewhere.',
    help: 'Use a relative target if the link and its target travel together.',
    needs: 'any',
  },
  {
    id: 'remote-target',
    name: 'RemoteTarget',
    scope: 'link',
    severity: 'warning',
    title: 'Link target is on another machine',
    meaning:
      'The stored target is a UNC path (\\\\host\\share\\…, \\??\\UNC\\…), or (POSIX) the resolved target lies on a network file system mount (nfs, cifs, smb3, sshfs, …) other than the one holding the link.',
    help: "Links to other machines fail when that machine or share is unreachable and may be followed with the opener's credentials; prefer a local target or a mapped path.",
    needs: 'any',
  },
  {
    id: 'junction-not-local',
    name: 'JunctionNotLocal',
    scope: 'link',
    severity: 'error',
    title: 'Junction target is not a local absolute path',
    meaning: 'A junction or mount point whose substitute name is a UNC, relative or rooted path: Windows only follows junctions to local absolute paths (drive or volume GUID).',
    help: 'Recreate it pointing at a local absolute path, or use a symbolic link for a network target.',
    needs: 'ntfs',
  },
  {
    id: 'type-mismatch',
    name: 'TypeMismatch',
    scope: 'link',
    severity: 'warning',
    title: 'Declared link type does not match the target',
    meaning: 'An NTFS symbolic link declared as a file link points to a directory, or declared as a directory link points to a file (also a junction to a file). Windows then fails to open it.',
    help: 'Recreate the link with the right type (mklink /D for directories).',
    needs: 'ntfs',
  },
  {
    id: 'remote-unresolvable',
    name: 'RemoteUnresolvable',
    scope: 'link',
    severity: 'warning',
    title: 'Link will not resolve for a remote client',
    meaning:
      'Opened by another machine over SMB through the admin share of its drive (a POSIX tree is treated as the root of a share), the link fails under the client SymlinkEvaluation policy given with --remote-policy (or config remotePolicy): e.g. R2L disabled, a junction to a non-local path, a relative target above the share root.',
    help: 'Use a relative target inside the share, enable the needed class on the clients (fsutil behavior set SymlinkEvaluation), or use a junction for local folders.',
    needs: 'remote-policy',
    optIn: true,
  },
  {
    id: 'sensitive-target',
    name: 'SensitiveTarget',
    scope: 'link',
    severity: 'error',
    title: 'Link in a writable tree points into a system location',
    meaning:
      'A link that is not itself inside a sensitive location has a hop that resolves at or below one. A sensitive location holds what configures or runs the system, its devices or kernel interfaces (defaults: /etc /bin /sbin /usr /lib* /boot /root /var/lib /var/spool/cron /dev /proc /sys, but not the scratch file systems /dev/shm /dev/mqueue /dev/hugepages /run/shm, which are merely other file systems (other-filesystem); C:\\Windows, C:\\Program Files*, C:\\ProgramData\\Microsoft, C:\\Boot, and any System32/SysWOW64/WinSxS folder; config sensitivePaths adds). "Writable" means: with writableScope "tree" (default) every folder of the audited tree, since trees are audited because others write to them; with "world-writable" only folders whose mode lets others write (POSIX o+w). App execution aliases (AppExecLink) are exempt: file I/O never follows them, only process creation reads them.',
    help: 'A privileged process that writes, deletes or chmods through such a link acts on the system file: remove the link, or make sure nothing privileged follows links in this tree.',
    needs: 'any',
  },
  {
    id: 'print-name-mismatch',
    name: 'PrintNameMismatch',
    scope: 'link',
    severity: 'warning',
    title: 'Reparse print name differs from substitute name',
    meaning:
      'The print name (what dir and Explorer show) of a symbolic link or junction names another path than the substitute name (where it really goes), compared case-insensitively after removing the \\??\\ prefix. An empty print name is not flagged.',
    help: 'A spoofed print name hides the real target: inspect details.substituteName and recreate the link.',
    needs: 'ntfs',
  },
  {
    id: 'object-manager-target',
    name: 'ObjectManagerTarget',
    scope: 'link',
    severity: 'error',
    title: 'Link targets an object-manager path',
    meaning:
      'The substitute name (or stored target) is an NT object-manager path that is not a drive, UNC or volume path: \\RPC Control\\…, \\??\\GLOBALROOT\\…, \\Device\\…, \\??\\pipe\\…, \\\\.\\PhysicalDrive0 — a classic step in link-following privilege escalation.',
    help: 'Treat as hostile unless you know the tool that made it; remove the link.',
    needs: 'ntfs',
  },
  {
    id: 'unsafe-reparse-tag',
    name: 'UnsafeReparseTag',
    scope: 'link',
    severity: 'warning',
    title: 'Unknown, malformed or hydrating reparse point',
    meaning:
      'A reparse point whose data is malformed (lengths past the buffer, odd UTF-16 lengths, an unknown version), whose tag is not in the tag table, or whose opening would recall or hydrate content (cloud/OneDrive placeholders, HSM, ProjFS, Azure File Sync, AppX streaming, dataless CIM). The audit reads only the reparse data and never opens these. A normal file that holds its own data (an unknown tag without the name-surrogate bit, dedup, WOF, a hydrated placeholder) is a file, not a link: no link rule, this one included, fires on it.',
    help: 'Tools that walk this tree may trigger downloads or block; exclude it from backups and scanners, or hydrate it deliberately.',
    needs: 'ntfs',
  },
  {
    id: 'directory-cycle',
    name: 'DirectoryCycle',
    scope: 'tree',
    severity: 'warning',
    title: 'Folder link leads back to its own ancestor',
    meaning:
      'A link to a folder whose real target is the folder holding the link or one of its ancestors (the audited root included), or a set of folder links each leading to a folder that holds the next (a -> b, b/x -> a). The tree is then infinite for every tool that follows folder links: find -L and du -L (which stop with "File system loop detected"), rsync -L, tar -h, cp -rL, grep -R, Get-ChildItem -Recurse -FollowSymlink, robocopy without /XJ (junctions), backup tools and indexers. Paths are compared as real paths (links on the way followed).',
    help: 'Make the link point somewhere that does not contain it, or exclude it from tools that follow links (robocopy /XJ, rsync without -L); details.cycle lists the links that form the cycle.',
    needs: 'any',
  },
  {
    id: 'messy-target',
    name: 'MessyTarget',
    scope: 'link',
    severity: 'info',
    title: 'Link target has needless path elements',
    meaning:
      'The stored target of a symbolic link holds elements that do nothing: an empty element (dir//f), a "." element (./dir/./f), a name followed by ".." (dir/../dir/f) or a trailing separator. details.tidyTarget is the target without them (lexically); details.sameTarget says whether it really leads to the same place (false when a name before ".." is itself a link, so the system goes elsewhere).',
    help: 'Recreate the link with details.tidyTarget when details.sameTarget is true (symlinks -c does the same on POSIX).',
    needs: 'any',
  },
  {
    id: 'lengthy-target',
    name: 'LengthyTarget',
    scope: 'link',
    severity: 'info',
    title: 'Relative link target climbs higher than needed',
    meaning:
      'A relative target (tidy, see messy-target) uses more ".." hops than needed to reach the same place from the link\'s real folder: ../b/f from inside b, ../../a/b/f from a/b. details.shorterTarget is the shortest relative target to the same path.',
    help: 'Recreate the link with details.shorterTarget; shorter targets survive renaming the folders they no longer name.',
    needs: 'any',
  },
  {
    id: 'other-filesystem',
    name: 'OtherFilesystem',
    scope: 'link',
    severity: 'info',
    title: 'Link target is on another file system',
    meaning:
      'The entry the link finally leads to lies on another device than the link itself (POSIX st_dev; Windows: another volume, by volume serial, or by drive, volume GUID or share when the target cannot be opened here). Such a link breaks when that file system is not mounted, and tools that stay on one file system (find -xdev, du -x, rsync -x) do not follow it.',
    help: 'Nothing to do if crossing file systems is intended; otherwise point the link at a path on the same volume.',
    needs: 'any',
  },
  {
    id: 'hardlink-group-escapes',
    name: 'HardlinkGroupEscapes',
    scope: 'tree',
    severity: 'warning',
    title: 'Hard-linked file has names outside the audit',
    meaning:
      "A regular file's link count is larger than the number of its names found under the roots: other names exist outside the audited tree (or in excluded parts), and writing through any name changes them all.",
    help: "Break the link (copy the file) if the tree must be independent; check details.names and the file's other names (find / -samefile, fsutil hardlink list).",
    needs: 'any',
  },
  {
    id: 'manifest-drift',
    name: 'ManifestDrift',
    scope: 'tree',
    severity: 'warning',
    title: 'Tree differs from its link manifest',
    meaning:
      'With --manifest FILE (the manifest of linktools ensure / Set-LinkState): a declared link is missing, points elsewhere, is a link of another kind or file/dir type, or a real file or folder stands where a link is declared. One finding per entry that ensure would change or cannot change; details.operation says what ensure would do (create, retarget, or create over the wrong link), details.code the error that blocks it.',
    help: 'Run linktools ensure FILE (Set-LinkState -Manifest FILE) to converge the tree, after checking the plan with --dry-run (-WhatIf); move a real file that blocks an entry out of the way by hand.',
    needs: 'manifest',
    optIn: true,
  },
  {
    id: 'unreadable',
    name: 'EntryUnreadable',
    scope: 'tree',
    severity: 'warning',
    title: 'Entry could not be read',
    meaning:
      "A folder could not be listed, or an entry could not be stat'ed or its link read, because it vanished during the walk or access was denied. The rest of the audit goes on; what lies below is not audited.",
    help: 'Rerun with rights to read it, or exclude it.',
    needs: 'any',
  },
] as const satisfies readonly RuleSpec[];

export type RuleId = (typeof RULES)[number]['id'];
/** Rules judged on each link (checks.ts). */
export type LinkRuleId = Extract<(typeof RULES)[number], { scope: 'link' }>['id'];

export const RULE_IDS: readonly RuleId[] = RULES.map((r) => r.id);

export const RULE_BY_ID: ReadonlyMap<string, RuleSpec> = new Map(RULES.map((r) => [r.id, r as RuleSpec]));
