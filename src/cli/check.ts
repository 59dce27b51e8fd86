// `sandbox-policy check`: checks files and directories against a policy, for pre-commit hooks and CI.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PolicyEngine } from '../policy';
import { collectTargets, readSource } from './check-files';
import {
  OUTPUT_FORMATS,
  formatJson,
  formatSarif,
  formatText,
  type CheckReport,
  type CheckedFile,
  type OutputFormat,
} from './check-format';
import { EXIT_FAILURE, EXIT_OK, UsageError, type CliIO } from './io';
import { POLICY_OPTIONS_HELP, loadPolicy, readPolicyFlag, type PolicyFlags } from './policy-options';

export const CHECK_USAGE = `Usage: sandbox-policy check [--preset NAME] [--config FILE] [--threshold LEVEL] [--format text|json|sarif] PATH...

Checks .py, .js, .mjs, .cjs and .ts files (directories are walked; .gitignore, .git, node_modules and
virtual environments are skipped) against a policy.

${POLICY_OPTIONS_HELP}
  --format FORMAT     text (default, one line per finding), json (version 1) or sarif (2.1.0)

Exit codes: 0 no file has a violation, 1 some file has one, 2 usage or configuration error.
`;

interface CheckOptions {
  policy: PolicyFlags;
  format: OutputFormat;
  paths: string[];
}

function parseArgs(args: readonly string[]): CheckOptions | 'help' {
  const options: CheckOptions = { policy: {}, format: 'text', paths: [] };
  let formatGiven = false;
  for (let i = 0; i < args.length;) {
    const arg = args[i];
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '--') {
      options.paths.push(...args.slice(i + 1));
      break;
    }
    const used = readPolicyFlag(args, i, options.policy);
    if (used) {
      i += used;
      continue;
    }
    if (arg === '--format' || arg.startsWith('--format=')) {
      const value = arg === '--format' ? args[i + 1] : arg.slice('--format='.length);
      if (value === undefined) throw new UsageError('--format needs a value: text, json or sarif');
      if (formatGiven) throw new UsageError('--format given twice');
      if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) {
        throw new UsageError(
          `--format: "${value}" is not a format; expected one of ${OUTPUT_FORMATS.join(', ')}`,
        );
      }
      options.format = value as OutputFormat;
      formatGiven = true;
      i += arg === '--format' ? 2 : 1;
      continue;
    }
    if (arg.startsWith('-') && arg !== '-')
      throw new UsageError(`unknown option "${arg}" (see sandbox-policy check --help)`);
    options.paths.push(arg);
    i++;
  }
  if (options.paths.length === 0)
    throw new UsageError('check needs at least one PATH (a file or a directory)');
  return options;
}

function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
}

function toolVersion(): string {
  for (let dir = __dirname, i = 0; i < 5; dir = path.dirname(dir), i++) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'sandbox-policy' && manifest.version) return manifest.version;
    } catch {
      // keep looking upwards
    }
  }
  return '0.0.0';
}

export async function runCheckCommand(args: string[], io: CliIO): Promise<number> {
  const options = parseArgs(args);
  if (options === 'help') {
    io.stdout(CHECK_USAGE);
    return EXIT_OK;
  }
  const policy = loadPolicy(options.policy, io.cwd);
  const { targets, skipped } = collectTargets(options.paths, io.cwd);
  const engine = await PolicyEngine.create();
  const report: CheckReport = {
    policy,
    files: [],
    skipped: skipped.map((s) => ({ ...s, path: displayPath(s.file, io.cwd) })),
  };
  try {
    for (const target of targets) {
      if (io.signal.aborted) break;
      const shown = displayPath(target.file, io.cwd);
      const source = readSource(target.file);
      if ('skip' in source) {
        report.skipped.push({ file: target.file, path: shown, reason: source.skip });
        continue;
      }
      const result = engine.analyze(source.text, target.language, policy, { path: target.file });
      const checked: CheckedFile = {
        path: shown,
        safe: result.safe,
        syntaxErrors: result.syntaxErrors,
        truncated: result.truncated === true,
        findings: result.findings,
      };
      report.files.push(checked);
    }
  } finally {
    engine.dispose();
  }
  if (options.format === 'json') io.stdout(formatJson(report));
  else if (options.format === 'sarif')
    io.stdout(formatSarif(report, toolVersion(), `${pathToFileURL(io.cwd).href}/`));
  else {
    const text = formatText(report);
    io.stdout(text.stdout);
    if (text.stderr) io.stderr(text.stderr);
  }
  return report.files.some((file) => !file.safe) ? EXIT_FAILURE : EXIT_OK;
}
