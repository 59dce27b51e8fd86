// The three output formats of `sandbox-policy check`: text (like Ruff), JSON v1 and SARIF 2.1.0.
// JSON and SARIF use 1-based lines and columns (columns in UTF-16 code units, SARIF's default).
import type { ResolvedPolicy } from '../policy/config';
import { RULES, UNREADABLE_SOURCE, ruleDocsUrl } from '../policy/rules';
import type { Finding, Severity } from '../policy/types';
import type { SkippedFile } from './check-files';

export interface CheckedFile {
  /** As shown to the user: relative to the working directory when inside it. */
  path: string;
  safe: boolean;
  syntaxErrors: boolean;
  truncated: boolean;
  findings: Finding[];
}

export interface CheckReport {
  policy: ResolvedPolicy;
  files: CheckedFile[];
  skipped: Array<SkippedFile & { path: string }>;
}

export type OutputFormat = 'text' | 'json' | 'sarif';

/** Why a file with no violation can still be not safe: the analysis stopped part way. */
const TRUNCATED_NOTE = 'too large or deeply nested to check completely; treated as unsafe';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'sarif'];

/** A notebook's findings (src/notebook/analyze.ts) name their cell; positions are then within the cell. */
function cellOf(finding: Finding): number | undefined {
  const cell = (finding as Finding & { cell?: number }).cell;
  return typeof cell === 'number' ? cell : undefined;
}

function oneBased(finding: Finding) {
  const { start, end } = finding.range;
  const cell = cellOf(finding);
  const place = cell === undefined ? {} : { cell };
  return {
    start: { ...place, line: start.line + 1, column: start.column + 1 },
    end: { ...place, line: end.line + 1, column: end.column + 1 },
  };
}

export function formatText(report: CheckReport): { stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  let shown = 0;
  let violations = 0;
  let suppressed = 0;
  for (const file of report.files) {
    if (file.syntaxErrors)
      stderr += `${file.path}: note: syntax errors; checked what the parser could read\n`;
    if (file.truncated) stderr += `${file.path}: warning: ${TRUNCATED_NOTE}\n`;
    for (const finding of file.findings) {
      if (finding.suppressed) {
        suppressed++;
        continue;
      }
      const { start } = finding.range;
      const cell = cellOf(finding);
      // A notebook's position is `path:cell N:line:col`, as Ruff writes it.
      const where = cell === undefined ? file.path : `${file.path}:cell ${cell}`;
      stdout += `${where}:${start.line + 1}:${start.column + 1}: ${finding.severity} ${finding.ruleId} ${finding.message}\n`;
      shown++;
      if (finding.violation) violations++;
    }
  }
  for (const skip of report.skipped) stderr += `${skip.path}: skipped: ${skip.reason}\n`;
  const unsafe = report.files.filter((file) => !file.safe).length;
  const parts = [
    `${shown} finding${shown === 1 ? '' : 's'}`,
    `${violations} violation${violations === 1 ? '' : 's'} at or above ${report.policy.threshold}`,
  ];
  if (suppressed) parts.push(`${suppressed} suppressed`);
  // A directory that could not be listed hides files that were never checked: never "all files are safe".
  const unread = report.skipped.length;
  const verdict = [
    ...(unsafe === 0 && unread === 0 ? ['all files are safe'] : []),
    ...(unsafe ? [`${unsafe} file${unsafe === 1 ? '' : 's'} not safe`] : []),
    ...(unread ? [`${unread} director${unread === 1 ? 'y' : 'ies'} could not be read, so not safe`] : []),
  ];
  stdout += `${shown || suppressed ? '\n' : ''}Checked ${report.files.length} file${report.files.length === 1 ? '' : 's'} with the ${
    report.policy.preset
  } policy: ${parts.join(', ')}; ${verdict.join('; ')}.\n`;
  return { stdout, stderr };
}

/** A 1-based position in JSON, at the nesting of `range.start` in a finding of a file (14 spaces). */
function jsonPosition(line: number, column: number, cell: number | undefined): string {
  const at = '\n              ';
  return `{${cell === undefined ? '' : `${at}"cell": ${cell},`}${at}"line": ${line + 1},${at}"column": ${column + 1}\n            }`;
}

function jsonFindings(findings: readonly Finding[]): string {
  if (findings.length === 0) return '[]';
  const items = findings.map((finding) => {
    const { start, end } = finding.range;
    const cell = cellOf(finding);
    return `
        {
          "ruleId": ${JSON.stringify(finding.ruleId)},
          "severity": ${JSON.stringify(finding.severity)},
          "violation": ${finding.violation},
          "suppressed": ${finding.suppressed},
          "message": ${JSON.stringify(finding.message)},
          "range": {
            "start": ${jsonPosition(start.line, start.column, cell)},
            "end": ${jsonPosition(end.line, end.column, cell)}
          }
        }`;
  });
  return `[${items.join(',')}\n      ]`;
}

/** Text per JSON chunk: large enough for few writes, small enough that one odd character does not widen all. */
const JSON_CHUNK = 1 << 16;

/**
 * The JSON report (version 1), exactly as `JSON.stringify(report, null, 2)` lays it out, in chunks to write
 * one after the other: written by hand because the whole document as one string costs more to build and
 * encode than the run's cache lookups (a single non-Latin-1 character makes V8 store all of it two bytes
 * per character). Strings are escaped by JSON.stringify.
 */
export function formatJson(report: CheckReport): string[] {
  const chunks: string[] = [];
  let out = `{
  "version": 1,
  "preset": ${JSON.stringify(report.policy.preset)},
  "threshold": ${JSON.stringify(report.policy.threshold)},
  "files": [`;
  report.files.forEach((file, index) => {
    out += `${index === 0 ? '' : ','}
    {
      "path": ${JSON.stringify(file.path)},
      "safe": ${file.safe},
      "syntaxErrors": ${file.syntaxErrors},
      "truncated": ${file.truncated},
      "findings": ${jsonFindings(file.findings)}
    }`;
    if (out.length >= JSON_CHUNK) {
      chunks.push(out);
      out = '';
    }
  });
  out += report.files.length === 0 ? '],' : '\n  ],';
  const skipped = report.skipped.map(
    (skip) => `
    {
      "path": ${JSON.stringify(skip.path)},
      "reason": ${JSON.stringify(skip.reason)}
    }`,
  );
  out += `\n  "skipped": ${skipped.length === 0 ? '[]' : `[${skipped.join(',')}\n  ]`}\n}\n`;
  chunks.push(out);
  return chunks;
}

const LEVEL: Record<Severity, 'error' | 'warning' | 'note' | 'none'> = {
  HIGH: 'error',
  MEDIUM: 'warning',
  LOW: 'note',
  SAFE: 'none',
};

/** GitHub code scanning's security-severity scale (0-10). */
const SECURITY_SEVERITY: Record<Severity, string> = { HIGH: '8.0', MEDIUM: '5.0', LOW: '2.0', SAFE: '0.0' };

export function formatSarif(report: CheckReport, toolVersion: string, cwdUri: string): string {
  const ruleIndex = new Map(RULES.map((rule, index) => [rule.id, index]));
  const rules = RULES.map((rule) => {
    // unreadable-source is no policy rule: always HIGH.
    const setting = rule.id === UNREADABLE_SOURCE ? 'HIGH' : report.policy.rules[rule.id];
    const severity: Severity = setting === 'off' ? 'SAFE' : setting;
    return {
      id: rule.id,
      name: rule.id
        .split('-')
        .map((word) => word[0].toUpperCase() + word.slice(1))
        .join(''),
      shortDescription: { text: rule.title },
      fullDescription: { text: rule.description },
      helpUri: ruleDocsUrl(rule.id),
      help: { text: `${rule.description} See ${ruleDocsUrl(rule.id)}` },
      defaultConfiguration: { enabled: setting !== 'off', level: LEVEL[severity] },
      properties: { tags: ['security', rule.family], 'security-severity': SECURITY_SEVERITY[severity] },
    };
  });
  const results = report.files.flatMap((file) =>
    file.findings.map((finding) => {
      const range = oneBased(finding);
      const cell = cellOf(finding);
      return {
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId as never) ?? -1,
        level: LEVEL[finding.severity],
        // SARIF has no notion of cells: the region is within the cell, and the message names it.
        message: { text: cell === undefined ? finding.message : `${finding.message} (cell ${cell})` },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: encodeURI(file.path.split('\\').join('/')), uriBaseId: '%SRCROOT%' },
              region: {
                startLine: range.start.line,
                startColumn: range.start.column,
                endLine: range.end.line,
                endColumn: range.end.column,
              },
            },
          },
        ],
        ...(finding.suppressed
          ? { suppressions: [{ kind: 'inSource', justification: 'sandbox-policy: ignore comment' }] }
          : {}),
        properties: {
          severity: finding.severity,
          violation: finding.violation,
          ...(cell === undefined ? {} : { cell }),
        },
      };
    }),
  );
  const notifications = [
    ...report.skipped.map((skip) => ({
      level: 'warning',
      message: { text: `${skip.path}: skipped: ${skip.reason}` },
    })),
    ...report.files
      .filter((file) => file.syntaxErrors)
      .map((file) => ({
        level: 'note',
        message: { text: `${file.path}: syntax errors; checked what the parser could read` },
      })),
    ...report.files
      .filter((file) => file.truncated)
      .map((file) => ({
        level: 'warning',
        message: { text: `${file.path}: ${TRUNCATED_NOTE}` },
      })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'sandbox-policy',
            version: toolVersion,
            informationUri: 'https://github.com/sandbox-policy/sandbox-policy',
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: cwdUri } },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        results,
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
