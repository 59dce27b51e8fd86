// One isolated run of the test host: a fresh folder with its own user data, extensions, HOME and
// XDG folders, a copy of the fixture workspace, and the environment code-server and Chromium get.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CACHE, ROOT } from './setup.mjs';

export const FIXTURE_WORKSPACE = path.join(ROOT, 'test', 'fixtures', 'workspace');
export const RESULTS = path.join(ROOT, 'test-results');

/** Settings of a run whose workspace opens untrusted (Restricted Mode), without the trust prompt. */
export const UNTRUSTED_SETTINGS = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
};

/** User settings of every run: nothing takes focus, nothing phones home, nothing updates. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  // The issue's `false`, in the form this VS Code stores: it rewrites `false` to "off" at startup,
  // and that save races the extension host's save participants ("Aborted onWillSaveTextDocument").
  'extensions.autoUpdate': 'off',
  // VS Code in the browser auto-saves after a delay by default. A test's dirty editor (typed diagnostics, a
  // quick fix, "runs the unsaved text") would be saved a second later, into the next test's files, and each
  // save waits on the extension host's save participants, which a run starting on a loaded machine holds up
  // past VS Code's 1750 ms ("Aborted onWillSaveTextDocument-event"). Tests save explicitly when they mean to.
  'files.autoSave': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'git.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  // The E2B stand-in listens on loopback; no "port forwarded" toast should take focus.
  'remote.autoForwardPorts': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  // The fixture workspace is ours; a trust prompt would only cover the window.
  'security.workspace.trust.enabled': false,
};

/**
 * The python3 a user's shell finds, resolved to the real binary while HOME is still the user's:
 * pyenv's shims look under $HOME and stop working once a run changes HOME.
 */
export function realPythonDir() {
  const result = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  const executable = result.status === 0 ? result.stdout.trim() : '';
  return executable ? path.dirname(executable) : undefined;
}

/**
 * Creates the folders of one run under .vscode-test/runs/NAME (removed first: every run is fresh)
 * and returns their paths and the environment for the processes of the run.
 */
export function createRun(name, { workspace = FIXTURE_WORKSPACE, settings = {} } = {}) {
  const dir = path.join(CACHE, 'runs', name);
  fs.rmSync(dir, { recursive: true, force: true });
  const run = {
    name,
    dir,
    userDataDir: path.join(dir, 'user-data'),
    extensionsDir: path.join(dir, 'extensions'),
    home: path.join(dir, 'home'),
    workspace: path.join(dir, 'workspace'),
    logsDir: path.join(RESULTS, 'logs', name),
    screenshotsDir: path.join(RESULTS, 'screenshots', name),
  };
  const xdg = {
    XDG_CONFIG_HOME: path.join(dir, 'xdg', 'config'),
    XDG_DATA_HOME: path.join(dir, 'xdg', 'data'),
    XDG_CACHE_HOME: path.join(dir, 'xdg', 'cache'),
    XDG_STATE_HOME: path.join(dir, 'xdg', 'state'),
    XDG_RUNTIME_DIR: path.join(dir, 'xdg', 'runtime'),
  };
  for (const folder of [run.userDataDir, run.extensionsDir, run.home, ...Object.values(xdg)]) {
    fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  }
  for (const folder of [run.logsDir, run.screenshotsDir]) {
    fs.rmSync(folder, { recursive: true, force: true });
    fs.mkdirSync(folder, { recursive: true });
  }
  // Tests may edit and create files: they get a copy, and the fixture stays clean.
  fs.cpSync(workspace, run.workspace, { recursive: true });
  const userSettings = path.join(run.userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(userSettings), { recursive: true });
  fs.writeFileSync(userSettings, `${JSON.stringify({ ...USER_SETTINGS, ...settings }, null, 2)}\n`);

  const pythonDir = realPythonDir();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      // A VS Code terminal's or npm's variables would make code-server talk to the wrong instance;
      // tokens and keys of the person running the tests have no business in a test run.
      ([key]) =>
        !/^(VSCODE_|ELECTRON_|npm_|CODE_SERVER_|E2B_|PASSWORD$|HASHED_PASSWORD$|GITHUB_TOKEN$)/.test(key),
    ),
  );
  run.env = {
    ...inherited,
    ...xdg,
    HOME: run.home,
    PATH: [pythonDir, process.env.PATH].filter(Boolean).join(path.delimiter),
    CS_DISABLE_GETTING_STARTED_OVERRIDE: '1',
  };
  return run;
}
