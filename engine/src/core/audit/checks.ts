/**
 * The per-link checks. Each takes the facts the walk and `inspect` already gathered (no extra
 * file-system calls, except type-mismatch's one lstat of an existing final target and the
 * world-writable test) and returns findings. Rule meanings are in rules.ts.
 */
import fs from 'node:fs';
import type { LinkInfo } from '../../contract/types.js';
import type { LinkData, Platform } from '../../platform/types.js';
import { actualTargetType } from '../info.js';
import { resolveLink, type AccessContext, type LinkDescription } from '../remote.js';
import { classifyNtPath, describeTag, ntToDos } from '../reparse/index.js';
import type { AuditSettings } from './config.js';
import { atOrBelow, looksWindows, MountTable } from './paths.js';
import type { RuleId } from './rules.js';

export interface RawFinding {
  rule: RuleId;
  path: string;
  message: string;
  details: Record<string, unknown>;
}

export interface LinkContext {
  info: LinkInfo;
  data: LinkData;
  /** The root the link was found under, and its real path when it differs. */
  root: string;
  rootAliases: readonly string[];
  /** The link's path relative to the root, `/` separators. */
  rel: string;
}

/** Reparse tags whose opening recalls or streams content (labels from the tag table). */
const HYDRATING_LABELS = new Set(['cloud', 'onedrive', 'placeholder', 'hsm', 'projfs', 'storage-sync', 'appx-stream', 'dataless-cim']);

export class LinkChecker {
  private readonly mounts: MountTable | null;
  private lastDir: string | null = null;
  private lastDirWorldWritable = false;

  constructor(
    private readonly platform: Platform,
    private readonly s: AuditSettings,
    mounts: MountTable | null,
  ) {
    this.mounts = mounts;
  }

  private on(id: RuleId): boolean {
    return this.s.rules.get(id)!.enabled;
  }

  check(c: LinkContext): RawFinding[] {
    const out: RawFinding[] = [];
    const { info, data } = c;
    const p = info.path;
    const target = info.target;
    const kind = info.kind;
    const add = (rule: RuleId, message: string, details: Record<string, unknown>) => out.push({ rule, path: p, message, details });
    const isSymlinkish = kind === 'symlink' || kind === 'lxSymlink';
    const isJunctionish = kind === 'junction' || kind === 'mountPoint';
    const chainPaths = info.chain.map((h) => h.path);

    // link-loop / broken-target / chain-too-long: from the chain inspect followed.
    if (info.loop) {
      if (this.on('link-loop')) {
        const last = info.chain[info.chain.length - 1];
        const back = last?.resolvedTarget ?? null;
        const at = back === null ? -1 : chainPaths.indexOf(back);
        const cycle = at >= 0 ? chainPaths.slice(at) : null;
        const inCycle = at === 0;
        add(
          'link-loop',
          cycle === null
            ? `Following ${p} does not end: more than the hop limit of links (or the OS reports a loop).`
            : inCycle
              ? `${p} is part of a link loop: ${[...cycle, cycle[0]].join(' -> ')}.`
              : `${p} leads into a link loop: ${[...cycle, cycle[0]].join(' -> ')}.`,
          { target, chain: chainPaths, cycle, inCycle },
        );
      }
    } else if (info.targetExists === false) {
      if (this.on('broken-target')) {
        const last = info.chain[info.chain.length - 1];
        const missing = last?.resolvedTarget ?? null;
        add(
          'broken-target',
          info.chain.length > 1
            ? `${p} is broken: its chain ends at ${missing ?? last?.target ?? '?'}, which does not exist (hop ${info.chain.length}).`
            : `${p} is broken: its target ${target ?? '?'} does not exist.`,
          { target, resolvedTarget: info.resolvedTarget, missing, brokenAt: last?.path ?? p, hops: info.chain.length },
        );
      }
    } else if (info.chain.length > this.s.maxChain && this.on('chain-too-long')) {
      add('chain-too-long', `${p} resolves only through ${info.chain.length} links (more than ${this.s.maxChain}).`, {
        hops: info.chain.length,
        maxChain: this.s.maxChain,
        chain: chainPaths,
        finalTarget: info.finalTarget,
      });
    }

    // escapes-root: this link's own hop, resolved lexically.
    if (this.on('escapes-root') && info.resolvedTarget !== null) {
      const inside = c.rootAliases.some((r) => atOrBelow(r, info.resolvedTarget!));
      if (!inside) {
        add('escapes-root', `${p} points outside the audited root ${c.root}: ${info.resolvedTarget}.`, {
          target,
          resolvedTarget: info.resolvedTarget,
          root: c.root,
        });
      }
    }

    if (this.on('absolute-target') && isSymlinkish && info.isRelative === false) {
      add('absolute-target', `${p} stores the absolute target ${target}; it breaks when the tree moves.`, { target });
    }

    const sub = info.reparse?.substituteName ?? null;
    const ntTarget = sub ?? target;
    const ntKind = ntTarget !== null && ntTarget.length > 0 ? classifyNtPath(ntTarget) : null;
    const winShaped = info.reparse !== null || (ntTarget !== null && (ntTarget.startsWith('\\') || /^[A-Za-z]:/.test(ntTarget))) || this.platform.defaultBackend.path.sep === '\\';

    if (this.on('remote-target')) {
      if (ntKind === 'unc' && winShaped && kind !== 'appExecLink') {
        const m = /^(?:\\\\\?\\UNC\\|\\\?\?\\UNC\\|[\\/]{2})([^\\/]+)[\\/]([^\\/]+)/i.exec(ntTarget!);
        add('remote-target', `${p} points to another machine: ${ntTarget}.`, { target, via: 'unc', host: m?.[1] ?? null, share: m?.[2] ?? null });
      } else if (this.mounts && info.resolvedTarget && !looksWindows(info.resolvedTarget)) {
        const tm = this.mounts.find(info.finalTarget ?? info.resolvedTarget);
        if (MountTable.isNetwork(tm) && this.mounts.find(p) !== tm) {
          add('remote-target', `${p} points to a network file system (${tm!.fsType} ${tm!.source}).`, {
            target,
            via: 'network-mount',
            fsType: tm!.fsType,
            source: tm!.source,
            mountPoint: tm!.mountPoint,
          });
        }
      }
    }

    if (this.on('junction-not-local') && isJunctionish && ntKind !== null && (ntKind === 'unc' || ntKind === 'relative' || ntKind === 'rooted')) {
      add('junction-not-local', `${p} is a ${kind === 'junction' ? 'junction' : 'mount point'} to ${ntTarget}, which is not a local absolute path; Windows will not follow it.`, {
        target,
        substituteName: sub,
        pathKind: ntKind,
      });
    }

    if (this.on('type-mismatch') && data.declaredType && (kind === 'symlink' || isJunctionish) && info.targetExists) {
      const actual = actualTargetType(this.platform, info);
      if (actual && actual !== data.declaredType) {
        add('type-mismatch', `${p} is declared a ${data.declaredType} link but its target ${info.finalTarget} is a ${actual}.`, {
          declaredType: data.declaredType,
          actualType: actual,
          target,
          finalTarget: info.finalTarget,
        });
      }
    }

    if (this.on('remote-unresolvable') && this.s.policy && target && (kind === 'symlink' || isJunctionish)) {
      const r = this.remote(c, kind === 'symlink' ? 'symlink' : kind === 'junction' ? 'junction' : 'mountPoint', target);
      if (r) add('remote-unresolvable', `${p} will not resolve for a remote client: ${r.reason}`, r.details);
    }

    if (this.on('sensitive-target')) {
      const hit = this.sensitive(c);
      if (hit) add('sensitive-target', `${p} points into the system location ${hit.location}: ${hit.path}.`, { target, resolvedTarget: info.resolvedTarget, sensitivePath: hit.location, hop: hit.path, scope: this.s.writableScope });
    }

    const rp = info.reparse;
    if (this.on('print-name-mismatch') && rp && rp.printName && rp.substituteName && (kind === 'symlink' || isJunctionish)) {
      const subDos = ntToDos(rp.substituteName).path;
      const norm = (s: string) => s.replace(/\//g, '\\').replace(/\\+$/, '').toLowerCase();
      if (norm(rp.printName) !== norm(subDos) && norm(rp.printName) !== norm(rp.substituteName)) {
        add('print-name-mismatch', `${p} shows "${rp.printName}" but really leads to "${subDos}".`, {
          printName: rp.printName,
          substituteName: rp.substituteName,
          substituteAsDos: subDos,
        });
      }
    }

    if (this.on('object-manager-target') && ntKind === 'device' && winShaped && (kind === 'symlink' || isJunctionish)) {
      add('object-manager-target', `${p} targets the object-manager path ${ntTarget}, not a file.`, { target, substituteName: sub, pathKind: ntKind });
    }

    if (this.on('unsafe-reparse-tag') && rp) {
      const t = describeTag(rp.tag);
      if (!t.known || HYDRATING_LABELS.has(t.label)) {
        add('unsafe-reparse-tag', `${p} is a ${t.known ? t.label : 'unknown'} reparse point (${t.name}); the audit did not open it. ${t.reason}`, {
          tag: rp.tag,
          tagHex: rp.tagHex,
          tagName: t.name,
          label: t.label,
          known: t.known,
          reason: t.reason,
        });
      }
    }
    return out;
  }

  private remote(c: LinkContext, kind: LinkDescription['kind'], target: string): { reason: string; details: Record<string, unknown> } | null {
    // A Windows path is used as is; a POSIX tree is treated as the root of a share (X:\ = the root).
    let linkPath = c.info.path;
    if (!looksWindows(linkPath)) linkPath = `X:\\${c.rel.split('/').join('\\')}`;
    const ctx: AccessContext = { mode: 'remote', client: 'REMOTE-CLIENT', policy: this.s.policy! };
    try {
      const r = resolveLink({ kind, target, linkPath, machine: 'LINK-HOST' }, ctx);
      if (r.ok) return null;
      return {
        reason: r.reason,
        details: { target, failure: r.failure, evaluationClass: r.evaluationClass, policy: r.policy, accessPath: r.accessPath, osError: r.osError },
      };
    } catch {
      return null; // a target the model cannot place (e.g. not a Windows path form): no verdict
    }
  }

  private sensitive(c: LinkContext): { location: string; path: string } | null {
    const sens = this.s.sensitive;
    if (sens.match(c.info.path)) return null; // system locations link among themselves
    // An app execution alias is only read by CreateProcess: file I/O never follows it, so it cannot
    // redirect a privileged write (every alias in WindowsApps points into Program Files).
    if (c.info.kind === 'appExecLink') return null;
    if (this.s.writableScope === 'world-writable' && !this.worldWritable(c)) return null;
    const hops = [...c.info.chain.map((h) => h.resolvedTarget), c.info.finalTarget];
    if (c.info.target && looksWindows(c.info.target)) hops.push(c.info.target);
    for (const h of hops) {
      if (!h) continue;
      const loc = sens.match(h);
      if (loc) return { location: loc, path: h };
    }
    return null;
  }

  private worldWritable(c: LinkContext): boolean {
    const b = this.platform.forPath(c.info.path);
    const dir = b.path.dirname(c.info.path);
    if (dir === this.lastDir) return this.lastDirWorldWritable;
    this.lastDir = dir;
    this.lastDirWorldWritable = false;
    if (b.name === 'posix' || b.name === 'ntfs3g') {
      try {
        this.lastDirWorldWritable = (fs.statSync(dir).mode & 0o002) !== 0;
      } catch {
        /* unreadable folder: not known to be writable */
      }
    }
    return this.lastDirWorldWritable;
  }
}
