// Findings as LSP diagnostics: the rule id as `code` with a link to its documentation, the severity the
// extension has always used (a violation is an Error), and `data` for the code actions. Suppressed
// findings are left out, as the extension always did. Pure: no I/O beyond the one look-up of the
// bundled docs folder.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type Range as LspRange } from 'vscode-languageserver';
import { ruleDocsUrl, unreadableFinding, type AnalysisResult, type Finding, type Range } from '../policy';
import { DIAGNOSTIC_SOURCE, type DiagnosticData } from './protocol';

export function diagnosticSeverity(finding: Finding): DiagnosticSeverity {
  if (finding.violation) return DiagnosticSeverity.Error;
  switch (finding.severity) {
    case 'HIGH':
    case 'MEDIUM':
      return DiagnosticSeverity.Warning;
    case 'LOW':
      return DiagnosticSeverity.Information;
    default:
      return DiagnosticSeverity.Hint;
  }
}

export function lspRange(range: Range): LspRange {
  return {
    start: { line: range.start.line, character: range.start.column },
    end: { line: range.end.line, character: range.end.column },
  };
}

/**
 * The rule pages shipped next to the bundle (dist/../docs/rules, as in the VS Code extension): offline and
 * matching the installed version. Without them (a bare CLI install, tests from out/) the online page.
 */
let bundledDocs: string | null | undefined;
function bundledDocsDir(): string | undefined {
  if (bundledDocs === undefined) {
    const dir = path.join(__dirname, '..', 'docs', 'rules');
    bundledDocs = fs.existsSync(path.join(dir, 'command-execution.md')) ? dir : null;
  }
  return bundledDocs ?? undefined;
}

const docsLinks = new Map<string, string>();
export function ruleDocsHref(ruleId: string): string {
  let href = docsLinks.get(ruleId);
  if (!href) {
    const dir = bundledDocsDir();
    const page = dir && path.join(dir, `${ruleId}.md`);
    href = page && fs.existsSync(page) ? pathToFileURL(page).toString() : ruleDocsUrl(ruleId);
    docsLinks.set(ruleId, href);
  }
  return href;
}

export function findingDiagnostic(finding: Finding): Diagnostic {
  const data: DiagnosticData = { ruleId: finding.ruleId };
  return {
    range: lspRange(finding.range),
    severity: diagnosticSeverity(finding),
    source: DIAGNOSTIC_SOURCE,
    code: finding.ruleId,
    codeDescription: { href: ruleDocsHref(finding.ruleId) },
    message: finding.message,
    data,
  };
}

const TOP: LspRange = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** One diagnostic at the top of the file that says something about the whole check. */
export function fileNotice(message: string, severity: DiagnosticSeverity): Diagnostic {
  return { range: TOP, severity, source: DIAGNOSTIC_SOURCE, message };
}

export function resultDiagnostics(result: AnalysisResult): Diagnostic[] {
  const diagnostics = result.findings.filter((f) => !f.suppressed).map(findingDiagnostic);
  if (result.truncated)
    diagnostics.push(
      fileNotice(
        'Sandbox Policy stopped analysing this file part way (too large, or nested deeper than it follows), so it is not known to be safe; Run Sandboxed refuses it.',
        DiagnosticSeverity.Warning,
      ),
    );
  return diagnostics;
}

export function tooLargeNotice(bytes: number, limitBytes: number): Diagnostic {
  const mb = (n: number) => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  return fileNotice(
    `Sandbox Policy does not check this file in the editor: it is ${mb(bytes)}, over the ${mb(limitBytes)} limit ` +
      '(sandboxPolicy.documentSizeLimitMb). It is not known to be safe; `sandbox-policy check` checks it.',
    DiagnosticSeverity.Information,
  );
}

/** The engine failed on this text: fail closed, as `check` and the run gate do (unreadable-source). */
export function failureNotice(reason: string): Diagnostic {
  return findingDiagnostic(unreadableFinding(`the engine failed (${reason})`));
}
