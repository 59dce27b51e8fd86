// Creates the runners on first use and keeps them while their settings hold: one Pyodide runner (in a
// child process by default, started with VS Code's own Node through ELECTRON_RUN_AS_NODE so that a
// sandbox crash never takes the extension host down), one E2B runner per API key and settings. A change
// of key or settings disposes the old runner; deactivation disposes all (killing any live sandbox).
// The fresh interpreter's memory snapshot is kept in the user's cache folder (the one the CLI uses), so
// that the first run after VS Code starts restores it instead of booting Pyodide.
import os from 'node:os';
import type * as vscode from 'vscode';
import { sha256Hex } from '../sandbox/audit';
import { createE2BRunner, type E2BSettingsInput } from '../sandbox/e2b';
import type { KeyValueStore } from '../sandbox/limits/store';
import { createPyodideRunner } from '../sandbox/pyodide';
import { userCacheDir } from '../sandbox/pyodide/cache-dir';
import type { PyodideRunner } from '../sandbox/pyodide/runner';
import { describeSnapshotCacheEvent } from '../sandbox/pyodide/snapshot-cache-event';
import type { Runner } from '../sandbox/run-types';
import type { Isolation, OsSandboxSetting } from './settings-interpret';
import { errorMessage } from '../error-message';

interface Cached<R extends Runner = Runner> {
  signature: string;
  runner: R;
}

export class RunnerPool {
  private pyodide: Cached<PyodideRunner> | undefined;
  private e2b: Cached | undefined;

  constructor(
    private readonly store: KeyValueStore,
    private readonly log: Pick<vscode.LogOutputChannel, 'info' | 'warn' | 'error'>,
    /** Where the interpreter snapshot is kept between sessions. */
    private readonly snapshotCacheDir = userCacheDir({
      platform: process.platform,
      env: process.env,
      homedir: os.homedir(),
    }),
  ) {}

  pyodideRunner(isolation: Isolation, osSandbox: OsSandboxSetting): PyodideRunner {
    const signature = `${isolation}:${osSandbox}`;
    if (this.pyodide?.signature === signature) return this.pyodide.runner;
    this.retire(this.pyodide);
    const runner = createPyodideRunner({
      isolation,
      osSandbox,
      warmSpare: true,
      // In the extension host process.execPath is VS Code's Electron; this env makes it plain Node. Only
      // this variable is passed: the sandbox process gets none of the extension host's environment.
      nodePath: process.execPath,
      env: { ELECTRON_RUN_AS_NODE: '1' },
      snapshotCacheDir: this.snapshotCacheDir,
      onSnapshotCache: (event) => this.log.info(describeSnapshotCacheEvent(event)),
    });
    this.pyodide = { signature, runner };
    this.log.info(`Pyodide runner created (isolation: ${isolation}, OS sandbox: ${osSandbox}).`);
    // Said once per runner: runs go on without the OS sandbox (the run panel's header says it each run).
    void runner.boundaries().then((walls) => {
      if (osSandbox === 'auto' && walls.osSandbox === 'none') {
        this.log.warn(
          `No OS sandbox around the local Python sandbox: ${walls.osSandboxNote}. Runs are still jailed; set sandboxPolicy.run.osSandbox to "required" to refuse them instead.`,
        );
      }
    });
    return runner;
  }

  e2bRunner(apiKey: string, settings: E2BSettingsInput): Runner {
    // A hash tells keys apart without keeping the key itself in the cache's signature.
    const signature = `${sha256Hex(apiKey).slice(0, 16)}:${JSON.stringify(settings)}`;
    if (this.e2b?.signature === signature) return this.e2b.runner;
    this.retire(this.e2b);
    const runner = createE2BRunner({
      apiKey,
      store: this.store,
      settings,
      log: (line) => this.log.info(`[e2b] ${line}`),
    });
    this.e2b = { signature, runner };
    this.log.info('E2B runner created.');
    return runner;
  }

  /** Drops the E2B runner (the key changed or was cleared). */
  resetE2B(): void {
    this.retire(this.e2b);
    this.e2b = undefined;
  }

  private retire(cached: Cached | undefined): void {
    if (!cached) return;
    cached.runner
      .dispose()
      .catch((error: unknown) => this.log.error(`Disposing a runner failed: ${errorMessage(error)}`));
  }

  async dispose(): Promise<void> {
    const runners = [this.pyodide?.runner, this.e2b?.runner].filter((r): r is Runner => r !== undefined);
    this.pyodide = undefined;
    this.e2b = undefined;
    await Promise.allSettled(runners.map((runner) => runner.dispose()));
  }
}
