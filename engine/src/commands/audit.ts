/**
 * `linktools audit <root...>`: scan, check every link against the rules (docs/audit-rules.md),
 * stream finding and drift records, then one auditSummary.
 *
 * Outputs: NDJSON records on stdout always. --format json|csv|markdown|html|sarif needs --out FILE
 * (written atomically). --graph mermaid|dot: to --out when --format is ndjson; beside the report
 * (same name, .mmd / .dot) when --format writes a document there; else as one `graph` record on
 * stdout before the summary. --save-baseline FILE writes the links found (atomically).
 * Exit: 0 clean, 1 findings at or above --fail-on, 2 bad input, 3 a root could not be read.
 */
import path from 'node:path';
import type { Argv } from 'yargs';
import type { AuditConfig, Baseline, Graph } from '../contract/types.js';
import { runAudit } from '../core/audit/audit.js';
import { parseBaseline } from '../core/audit/baseline.js';
import { parseConfig, resolveSettings } from '../core/audit/config.js';
import { RULE_BY_ID } from '../core/audit/rules.js';
import { buildGraph, csvBomFor, renderReport, REPORT_FORMATS, toDot, toMermaid, type ReportData, type ReportFormat } from '../core/report/index.js';
import { LinkToolsError } from '../errors.js';
import { ENGINE_VERSION, SCHEMA_VERSION } from '../version.js';
import { parseManifest } from './ensure.js';
import { intOption, type CommandContext, type CommonArgs, type ExitCode } from './common.js';
import { scanOptions, walkArgs, type ScanArgs } from './scan.js';

interface AuditArgs extends ScanArgs {
  rule: string[];
  disableRule: string[];
  config?: string;
  baseline?: string;
  saveBaseline?: string;
  format: ReportFormat;
  out?: string;
  graph?: 'mermaid' | 'dot';
  failOn?: string;
  maxChain?: number;
  remotePolicy?: string;
  manifest?: string;
  manifestBase?: string;
  csvNoBom?: boolean;
}

export const command = 'audit <roots..>';
export const describe = 'Audit the links under the roots: broken, looping, escaping, dangerous; reports, graph and baseline drift.';

export function builder(y: Argv<CommonArgs>): Argv<AuditArgs> {
  return scanOptions(y.positional('roots', { type: 'string', array: true, describe: 'Folders to audit' }))
    .option('rule', { type: 'string', array: true, default: [] as string[], describe: 'Run only these rules (repeat)' })
    .option('disable-rule', { type: 'string', array: true, default: [] as string[], describe: 'Do not run this rule (repeat)' })
    .option('config', { type: 'string', describe: 'JSON settings file (auditConfig schema): rules, maxChain, remotePolicy, sensitivePaths' })
    .option('baseline', { type: 'string', describe: 'Compare with this baseline and emit drift records' })
    .option('save-baseline', { type: 'string', describe: 'Write the links found to this baseline file' })
    .option('format', { type: 'string', choices: REPORT_FORMATS as unknown as string[], default: 'ndjson', describe: 'Report format written to --out' })
    .option('out', { type: 'string', describe: 'Report file (needed by every --format but ndjson)' })
    .option('graph', { type: 'string', choices: ['mermaid', 'dot'], describe: 'Also write the link graph' })
    .option('fail-on', { type: 'string', choices: ['info', 'warning', 'error', 'never'], describe: 'Exit 1 when a finding is at least this severe (default warning)' })
    .option('max-chain', { type: 'number', describe: 'chain-too-long fires above this many hops (default 8)' })
    .option('remote-policy', { type: 'string', describe: 'Client SymlinkEvaluation classes, e.g. L2L,L2R or R2L:1 (turns on remote-unresolvable)' })
    .option('manifest', { type: 'string', describe: 'Also report drift from this link manifest (the one of `linktools ensure`) as manifest-drift findings' })
    .option('manifest-base', { type: 'string', describe: "With --manifest: the folder its relative link paths start from (default: the manifest's own folder)" })
    .option('csv-no-bom', { type: 'boolean', describe: 'csv: no UTF-8 byte-order mark (written by default to *.csv files)' }) as unknown as Argv<AuditArgs>;
}

/** Beyond any sane chain (Windows stops at 63 reparse points). */
const MAX_CHAIN_LIMIT = 4096;

function sideFile(out: string, ext: string): string {
  const p = path.parse(out);
  return path.join(p.dir, `${p.name}${ext}`);
}

export async function run(argv: AuditArgs, { platform, io }: CommandContext): Promise<void> {
  const walk = walkArgs(argv);
  const maxChain = intOption('max-chain', argv.maxChain, 1, MAX_CHAIN_LIMIT);
  const both = argv.rule.filter((r) => argv.disableRule.includes(r));
  if (both.length > 0) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `--rule and --disable-rule both name ${both.join(', ')}: run a rule or disable it, not both.`);
  }
  const format = argv.format;
  if (format !== 'ndjson' && !argv.out) {
    throw new LinkToolsError('LT_INVALID_ARGUMENT', `--format ${format} writes a document: give the file with --out FILE (stdout carries the NDJSON records).`);
  }
  const cfg: AuditConfig | null = argv.config ? parseConfig(io.readInputFile(argv.config, 'LT_BAD_CONFIG', 'configuration'), path.resolve(argv.config)) : null;
  const baseline: Baseline | null = argv.baseline ? parseBaseline(io.readInputFile(argv.baseline, 'LT_BAD_BASELINE', 'baseline'), path.resolve(argv.baseline)) : null;
  const settings = resolveSettings(cfg, {
    rule: argv.rule,
    disableRule: argv.disableRule,
    maxChain,
    remotePolicy: argv.remotePolicy,
    manifest: argv.manifest !== undefined,
    failOn: argv.failOn,
    include: argv.include,
    exclude: argv.exclude,
  });
  const collect = format !== 'ndjson' || Boolean(argv.graph);
  if (argv.manifestBase !== undefined && argv.manifest === undefined) throw new LinkToolsError('LT_INVALID_ARGUMENT', '--manifest-base goes with --manifest.');
  const manifestFile = argv.manifest !== undefined ? path.resolve(argv.manifest) : null;
  const manifestDir = argv.manifestBase !== undefined ? path.resolve(argv.manifestBase) : manifestFile ? path.dirname(manifestFile) : null;
  const manifest = manifestFile && manifestDir ? { manifest: parseManifest(io.readInputFile(manifestFile, 'LT_BAD_MANIFEST', 'manifest'), manifestFile), dir: manifestDir } : null;

  const result = runAudit(
    platform,
    {
      roots: walk.roots,
      maxDepth: walk.maxDepth,
      oneFileSystem: argv.oneFileSystem,
      kinds: argv.kind,
      progressIntervalMs: walk.progressIntervalMs,
      settings,
      baseline,
      collect,
      saveBaseline: Boolean(argv.saveBaseline),
      manifest: manifest ?? undefined,
    },
    {
      finding: (f) => io.record(f),
      drift: (d) => io.record(d),
      error: (err) => io.error(err),
      progress: argv.progress ? (p) => io.progress(p) : undefined,
    },
  );
  const summary = result.summary;

  const write = (file: string, text: string): string | null => {
    try {
      return io.writeFile(file, text);
    } catch (e) {
      io.error(e);
      summary.exitCode = 3;
      return null;
    }
  };

  if (argv.saveBaseline && result.baseline) summary.baselinePath = write(argv.saveBaseline, JSON.stringify(result.baseline, null, 1) + '\n');

  if (format !== 'ndjson' && argv.out) {
    const data: ReportData = {
      summary,
      findings: result.findings,
      drift: result.drift,
      links: result.links,
      rules: summary.rulesRun!.map((id) => ({ ...RULE_BY_ID.get(id)!, effectiveSeverity: settings.rules.get(id as never)!.severity })),
      generatedAt: new Date().toISOString(),
      engineVersion: ENGINE_VERSION,
    };
    summary.reportPath = path.resolve(argv.out);
    const text = renderReport(format, data, { csvBom: csvBomFor(argv.out, argv.csvNoBom) });
    if (write(argv.out, text) === null) summary.reportPath = null;
  }

  if (argv.graph) {
    const g = buildGraph(result.links, summary.roots);
    const text = argv.graph === 'dot' ? toDot(g) : toMermaid(g);
    if (argv.out) {
      const file = format === 'ndjson' ? argv.out : sideFile(argv.out, argv.graph === 'dot' ? '.dot' : '.mmd');
      summary.graphPath = write(file, text);
    } else {
      const rec: Graph = { recordType: 'graph', schemaVersion: SCHEMA_VERSION, format: argv.graph, nodes: g.nodes.length, edges: g.edges.length, truncated: g.truncated, text };
      io.record(rec);
    }
  }

  io.record(summary);
  io.raise(summary.exitCode as ExitCode);
}
