// Builds the .vsix of the extension under test with @vscode/vsce: `npm run package` for the real
// extension (the production bundle), plain `vsce package` for a fixture extension folder.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { CACHE, ROOT } from './setup.mjs';

const require = createRequire(import.meta.url);

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed (${result.status ?? result.signal}):\n` +
        `${result.stdout}${result.stderr}`,
    );
  }
}

/** Returns the path of a freshly built .vsix for the extension folder `extensionPath`. */
export function packageExtension(extensionPath) {
  if (path.resolve(extensionPath) === ROOT) {
    const vsix = path.join(ROOT, 'sandbox-policy.vsix');
    fs.rmSync(vsix, { force: true });
    // `npm run package`: the production bundle, then vsce package --no-dependencies.
    const npmCli = process.env.npm_execpath?.endsWith('.js') ? process.env.npm_execpath : undefined;
    if (npmCli) run(process.execPath, [npmCli, 'run', 'package'], ROOT);
    else run('npm', ['run', 'package'], ROOT);
    if (!fs.existsSync(vsix)) throw new Error(`npm run package did not produce ${vsix}`);
    return vsix;
  }
  const vsce = path.join(path.dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
  const vsix = path.join(CACHE, 'vsix', `${path.basename(extensionPath)}.vsix`);
  fs.mkdirSync(path.dirname(vsix), { recursive: true });
  fs.rmSync(vsix, { force: true });
  run(
    process.execPath,
    [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', vsix],
    extensionPath,
  );
  return vsix;
}
