/**
 * Audit settings: the --config file (validated against auditConfig.schema.json with the generated
 * ajv validator) merged with command-line options. Command-line options win; --rule narrows the
 * rule set to the rules named; --disable-rule switches rules off.
 */
import type { AuditConfig } from '../../contract/types.js';
import * as validators from '../../contract/validators.js';
import { LinkToolsError } from '../../errors.js';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../remote/index.js';
import { SensitivePaths } from './paths.js';
import type { FailOn, Severity } from '../../contract/types.js';
import { RULES, RULE_BY_ID, type RuleId } from './rules.js';

interface RuleSetting {
  enabled: boolean;
  severity: Severity;
}

export interface AuditSettings {
  rules: Map<RuleId, RuleSetting>;
  maxChain: number;
  /** The remote client's SymlinkEvaluation policy; null = remote-unresolvable cannot run. */
  policy: Policy | null;
  sensitive: SensitivePaths;
  writableScope: 'tree' | 'world-writable';
  failOn: FailOn;
  include: string[];
  exclude: string[];
}

export interface AuditCliOptions {
  rule?: string[];
  disableRule?: string[];
  maxChain?: number;
  remotePolicy?: string;
  /** --manifest was given (turns on manifest-drift). */
  manifest?: boolean;
  failOn?: string;
  include?: string[];
  exclude?: string[];
}

const DEFAULT_MAX_CHAIN = 8;
const FAIL_ON = ['info', 'warning', 'error', 'never'];

/** Describe ajv errors in one line: "/rules/x/severity must be equal to one of the allowed values (info, warning, error)". */
export function ajvMessage(errors: readonly { instancePath?: string; message?: string; params?: Record<string, unknown> }[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const where = e.instancePath || '(top level)';
      const extra =
        e.params && 'allowedValues' in e.params
          ? ` (${(e.params.allowedValues as unknown[]).join(', ')})`
          : e.params && 'additionalProperty' in e.params
            ? `: "${String(e.params.additionalProperty)}"`
            : '';
      return `${where} ${e.message ?? 'is not valid'}${extra}`;
    })
    .join('; ');
}

/** Parse and validate config text. Throws LT_BAD_CONFIG with the ajv error in the message. */
export function parseConfig(text: string, file = 'the configuration'): AuditConfig {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new LinkToolsError('LT_BAD_CONFIG', `${file} is not JSON: ${(e as Error).message}`, file);
  }
  const v = validators.auditConfig;
  if (!v(doc)) throw new LinkToolsError('LT_BAD_CONFIG', `${file} does not match the auditConfig schema: ${ajvMessage(v.errors)}`, file, { errors: v.errors });
  const cfg = doc as AuditConfig;
  for (const id of Object.keys(cfg.rules ?? {})) {
    if (!RULE_BY_ID.has(id)) throw new LinkToolsError('LT_BAD_CONFIG', `${file}: /rules/${id} is not a rule id (known: ${RULES.map((r) => r.id).join(', ')})`, file);
  }
  if (cfg.remotePolicy) {
    try {
      parsePolicy(cfg.remotePolicy);
    } catch (e) {
      throw new LinkToolsError('LT_BAD_CONFIG', `${file}: /remotePolicy: ${(e as Error).message}`, file);
    }
  }
  return cfg;
}

function checkRuleIds(ids: readonly string[], option: string): RuleId[] {
  for (const id of ids) {
    if (!RULE_BY_ID.has(id)) throw new LinkToolsError('LT_INVALID_ARGUMENT', `${option} ${JSON.stringify(id)} is not a rule id (known: ${RULES.map((r) => r.id).join(', ')}).`);
  }
  return ids as RuleId[];
}

export function resolveSettings(cfg: AuditConfig | null, cli: AuditCliOptions): AuditSettings {
  const only = cli.rule && cli.rule.length > 0 ? new Set(checkRuleIds(cli.rule, '--rule')) : null;
  const off = new Set(checkRuleIds(cli.disableRule ?? [], '--disable-rule'));

  let policy: Policy | null = null;
  if (cli.remotePolicy !== undefined && cli.remotePolicy !== '') policy = parsePolicy(cli.remotePolicy);
  else if (cfg?.remotePolicy) policy = parsePolicy(cfg.remotePolicy);

  const rules = new Map<RuleId, RuleSetting>();
  for (const r of RULES) {
    const c = cfg?.rules?.[r.id];
    let enabled = c?.enabled ?? ('optIn' in r && r.optIn ? false : true);
    if (r.id === 'remote-unresolvable' && policy && c?.enabled === undefined) enabled = true;
    if (r.id === 'manifest-drift' && cli.manifest && c?.enabled === undefined) enabled = true;
    if (only) enabled = only.has(r.id);
    if (off.has(r.id)) enabled = false;
    rules.set(r.id, { enabled, severity: c?.severity ?? r.severity });
  }
  // Asking for remote-unresolvable by name without a policy evaluates Windows' default policy.
  if (rules.get('remote-unresolvable')!.enabled && !policy) policy = { ...DEFAULT_POLICY };

  const maxChain = cli.maxChain ?? cfg?.maxChain ?? DEFAULT_MAX_CHAIN;
  if (!Number.isInteger(maxChain) || maxChain < 1) throw new LinkToolsError('LT_INVALID_ARGUMENT', `--max-chain must be a whole number >= 1, not ${maxChain}.`);
  const failOn = cli.failOn ?? cfg?.failOn ?? 'warning';
  if (!FAIL_ON.includes(failOn)) throw new LinkToolsError('LT_INVALID_ARGUMENT', `--fail-on must be one of ${FAIL_ON.join(', ')}, not ${JSON.stringify(failOn)}.`);

  return {
    rules,
    maxChain,
    policy,
    sensitive: new SensitivePaths(cfg?.sensitivePaths ?? [], cfg?.defaultSensitivePaths !== false),
    writableScope: cfg?.writableScope ?? 'tree',
    failOn: failOn as FailOn,
    include: [...(cfg?.include ?? []), ...(cli.include ?? [])],
    exclude: [...(cfg?.exclude ?? []), ...(cli.exclude ?? [])],
  };
}

export function enabledRules(s: AuditSettings): RuleId[] {
  return [...s.rules].filter(([, v]) => v.enabled).map(([k]) => k);
}
