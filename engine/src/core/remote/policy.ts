/**
 * The opener's SymlinkEvaluation policy (fsutil behavior set SymlinkEvaluation): which symbolic-link
 * classes it follows, parsed from fsutil's pair form (`L2L:1,R2L:0`) or its sentences, and the class
 * of one link. The first letter is where the link is, seen from the opener (L: a local volume, R:
 * reached over SMB); the second is where the stored target points, seen from the link's machine.
 */
import type { EvaluationClass } from '../../contract/types.js';
import { LinkToolsError } from '../../errors.js';
import { parseTarget } from './paths.js';

/** Which symbolic-link classes the opening machine follows. */
export type Policy = { L2L: boolean; L2R: boolean; R2L: boolean; R2R: boolean };

export const EVALUATION_CLASSES: readonly EvaluationClass[] = ['L2L', 'L2R', 'R2L', 'R2R'];

/** Windows' default: local links are followed to local and remote targets; remote links are not. */
export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({ L2L: true, L2R: true, R2L: false, R2R: false });

export const CLASS_WORDS: Record<EvaluationClass, string> = {
  L2L: 'local link to a local target',
  L2R: 'local link to a remote target',
  R2L: 'remote link to a local target',
  R2R: 'remote link to a remote target',
};

const FSUTIL_SENTENCE = /\b(local|remote)\s+to\s+(local|remote)\s+symbolic\s+links\s+are\s+(enabled|disabled)\b/gi;

function badPolicy(detail: string): LinkToolsError {
  return new LinkToolsError(
    'LT_INVALID_ARGUMENT',
    `The symbolic-link evaluation policy is not valid: ${detail} (use "L2L:1,L2R:1,R2L:0,R2R:0" or a list of the enabled classes such as "L2L,L2R").`,
  );
}

function toClass(word: string): EvaluationClass | undefined {
  const upper = word.trim().toUpperCase();
  return (EVALUATION_CLASSES as readonly string[]).includes(upper) ? (upper as EvaluationClass) : undefined;
}

/**
 * Read a SymlinkEvaluation policy. Three forms are accepted (class names are case-insensitive;
 * items are separated by commas, semicolons or white space, or given as array elements):
 *
 * 1. Pairs, as `fsutil behavior set SymlinkEvaluation` takes them: `"L2L:1 R2R:0"`. A class that is
 *    not named keeps its Windows default, exactly as fsutil leaves unnamed classes unchanged.
 * 2. A list of names: `"L2L,R2R"` or `["L2L", "R2R"]`. The named classes are enabled, every other
 *    class is disabled.
 * 3. The text `fsutil behavior query SymlinkEvaluation` prints ("Local to remote symbolic links are
 *    enabled." …). Sentences not present keep the default. Nothing but those sentences (and white
 *    space and full stops) may be present: other text, such as a pair, a class name or a localised
 *    line, is refused rather than dropped.
 *
 * Mixing pairs and bare names (or either with fsutil's sentences), an unknown class, a value other
 * than 0/1, a class given twice with different values, or no item at all is refused with
 * LT_INVALID_ARGUMENT.
 */
export function parsePolicy(spec: string | readonly string[]): Policy {
  if (typeof spec !== 'string' && !Array.isArray(spec)) throw badPolicy('expected a string or a list of strings');

  if (typeof spec === 'string') {
    const sentences = [...spec.matchAll(FSUTIL_SENTENCE)];
    if (sentences.length > 0) {
      // Only fsutil's sentences may be present: anything else (a pair such as "L2L:0", a class name, a
      // line in another language) would otherwise be dropped silently and its class left at the default.
      const rest = spec.replace(FSUTIL_SENTENCE, ' ').replace(/[\s.]+/g, '');
      if (rest.length > 0) {
        throw badPolicy('the text of fsutil behavior query SymlinkEvaluation cannot be mixed with pairs, class names or other text');
      }
      const policy: Policy = { ...DEFAULT_POLICY };
      const seen = new Map<EvaluationClass, boolean>();
      for (const m of sentences) {
        const cls = `${m[1]![0]!.toUpperCase()}2${m[2]![0]!.toUpperCase()}` as EvaluationClass;
        const on = m[3]!.toLowerCase() === 'enabled';
        if (seen.has(cls) && seen.get(cls) !== on) throw badPolicy(`${cls} is reported both enabled and disabled`);
        seen.set(cls, on);
        policy[cls] = on;
      }
      return policy;
    }
  }

  const items = (typeof spec === 'string' ? [spec] : [...spec]).flatMap((s) => {
    if (typeof s !== 'string') throw badPolicy('every item must be a string');
    return s.split(/[\s,;]+/).filter((x) => x.length > 0);
  });
  if (items.length === 0) throw badPolicy('no class was given');

  const pairs = items.filter((x) => x.includes(':'));
  if (pairs.length > 0 && pairs.length < items.length) {
    throw badPolicy('pairs such as "R2L:1" and bare names such as "R2L" cannot be mixed');
  }

  const seen = new Map<EvaluationClass, boolean>();
  const set = (cls: EvaluationClass, on: boolean): void => {
    if (seen.has(cls) && seen.get(cls) !== on) throw badPolicy(`${cls} is given both on and off`);
    seen.set(cls, on);
  };

  if (pairs.length > 0) {
    for (const item of items) {
      const m = /^([^:]+):([^:]*)$/.exec(item);
      const cls = m ? toClass(m[1]!) : undefined;
      if (!m || !cls) throw badPolicy(`"${item}" does not name L2L, L2R, R2L or R2R`);
      if (m[2] !== '0' && m[2] !== '1') throw badPolicy(`"${item}" must end in :0 or :1`);
      set(cls, m[2] === '1');
    }
    const policy: Policy = { ...DEFAULT_POLICY };
    for (const [cls, on] of seen) policy[cls] = on;
    return policy;
  }

  for (const item of items) {
    const cls = toClass(item);
    if (!cls) throw badPolicy(`"${item}" does not name L2L, L2R, R2L or R2R`);
    set(cls, true);
  }
  return { L2L: seen.has('L2L'), L2R: seen.has('L2R'), R2L: seen.has('R2L'), R2R: seen.has('R2R') };
}

/** The policy in fsutil's pair form, always all four classes: "L2L:1,L2R:1,R2L:0,R2R:0". */
export function formatPolicy(policy: Policy): string {
  return EVALUATION_CLASSES.map((c) => `${c}:${policy[c] ? 1 : 0}`).join(',');
}

/**
 * The class a symbolic link falls in: whether the opener reaches the link over SMB, and whether
 * the stored target is a UNC path. Relative and drive/volume targets count as local to the
 * link's machine.
 */
export function symlinkEvaluationClass(linkIsRemote: boolean, target: string): EvaluationClass {
  const form = parseTarget(target).form;
  return `${linkIsRemote ? 'R' : 'L'}2${form === 'unc' ? 'R' : 'L'}` as EvaluationClass;
}

export function checkPolicy(policy: Policy): void {
  if (!policy || typeof policy !== 'object' || EVALUATION_CLASSES.some((c) => typeof policy[c] !== 'boolean')) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', 'The symbolic-link evaluation policy must give L2L, L2R, R2L and R2R as true or false (see parsePolicy).');
  }
}
