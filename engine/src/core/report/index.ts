/** Report rendering by format name. `ndjson` has no document: the records on stdout are the report. */
import { csvBomFor, renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import type { ReportData, ReportFormat } from './model.js';
import { renderSarif } from './sarif.js';

export { REPORT_FORMATS, type ReportData, type ReportFormat, type ReportRule } from './model.js';
export { buildGraph, toDot, toMermaid, type LinkGraph } from './graph.js';

export { csvBomFor };

interface RenderOptions {
  /** csv: start with a UTF-8 BOM (see csvBomFor: on for *.csv files unless --csv-no-bom). */
  csvBom?: boolean;
}

export function renderReport(format: Exclude<ReportFormat, 'ndjson'>, d: ReportData, opts: RenderOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(d);
    case 'csv':
      return renderCsv(d, { bom: opts.csvBom ?? false });
    case 'markdown':
      return renderMarkdown(d);
    case 'html':
      return renderHtml(d);
    case 'sarif':
      return renderSarif(d);
  }
}
