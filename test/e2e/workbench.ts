// The browser end-to-end harness: a VS Code (code-server) workbench in headless Chromium, driven the
// way a person drives it (keyboard, palette, panels), with a screenshot of every step.
// test/host/run.mjs creates one Workbench per run and hands it to the e2e test files through
// `workbench()`; a test file only imports this module. See docs/testing.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import {
  WaitTimeoutError,
  describeValue,
  waitFor as poll,
  type Awaitable,
  type WaitOptions,
} from '../host/wait';
import * as probes from './dom-probes';

export { WaitTimeoutError } from '../host/wait';
export { expectError } from '../host/expected-errors';

/** Default deadline of one UI step (a palette opening, a panel showing, a file opening). */
export const STEP_TIMEOUT_MS = 15000;
/** How long one opening of the palette is given to offer a command before it is opened again. */
const PALETTE_REOPEN_MS = 3000;

export interface WorkbenchOptions {
  /** Where step screenshots go (test-results/screenshots/RUN). */
  screenshotsDir: string;
  /** The workspace folder open in the window (a fresh copy of test/fixtures/workspace). */
  workspace: string;
  /** The code-server URL that opened the window. */
  url: string;
}

export interface Notification {
  severity: 'error' | 'warning' | 'info';
  message: string;
}

interface QuickInputRow {
  label: string;
  description: string;
  ariaLabel: string;
  focused: boolean;
}

export interface QuickInputBox {
  visible: boolean;
  value: string;
  /** "password" for a password box. */
  type: string;
  placeholder: string;
  /** The prompt or validation message under the box. */
  message: string;
}

interface Tab {
  label: string;
  active: boolean;
  activeGroup: boolean;
}

interface WebviewHost {
  title: string;
  frameName: string;
  visible: boolean;
}

type Falsy = undefined | null | false | '' | 0;

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'step'
  );
}

/** Collapses runs of whitespace so texts from the DOM compare and print on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export class Workbench {
  private step = 0;

  constructor(
    readonly page: Page,
    readonly options: WorkbenchOptions,
  ) {
    fs.mkdirSync(options.screenshotsDir, { recursive: true });
    // A locator call of a test that finds nothing fails after a step's deadline, not Playwright's 30 s.
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
  }

  /** Absolute path of a file of the workspace. */
  file(relativePath: string): string {
    return path.join(this.options.workspace, relativePath);
  }

  /** Saves a numbered screenshot of the whole window; returns its path. */
  async screenshot(label: string): Promise<string> {
    this.step += 1;
    const file = path.join(
      this.options.screenshotsDir,
      `${String(this.step).padStart(2, '0')}-${slug(label)}.png`,
    );
    await this.page.screenshot({ path: file });
    return file;
  }

  /**
   * Polls `check` until it gives a truthy value (returned), as test/host/wait.ts does, but gives up at
   * once when VS Code shows an error (a dialog or an error notification): that error is what was seen.
   * Takes a screenshot of the state it waited for: every awaited state is a step worth a picture.
   */
  async waitFor<T>(
    check: () => Awaitable<T | Falsy>,
    timeoutMs: number,
    what: string,
    options: WaitOptions = {},
  ): Promise<T> {
    const value = await this.until(check, timeoutMs, what, options);
    await this.screenshot(what);
    return value;
  }

  /** waitFor without the screenshot, for the helpers' own intermediate states. */
  private async until<T>(
    check: () => Awaitable<T | Falsy>,
    timeoutMs: number,
    what: string,
    options: WaitOptions = {},
  ): Promise<T> {
    let last: unknown;
    const outcome = await poll<{ value: T } | { error: string }>(
      async () => {
        try {
          last = await check();
        } catch (error) {
          last = error;
        }
        if (last && !(last instanceof Error)) return { value: last as T };
        const shownError = await this.visibleError();
        return shownError ? { error: shownError } : undefined;
      },
      timeoutMs,
      what,
      { ...options, seen: options.seen ?? (() => describeValue(last)) },
    );
    if ('error' in outcome) {
      await this.screenshot(`error while waiting for ${what}`);
      throw new Error(
        `While waiting for ${what}, VS Code showed an error.\n  Expected: ${what}\n  Saw: ${outcome.error}`,
      );
    }
    return outcome.value;
  }

  /** Waits until the workbench has loaded and the Explorer lists the workspace folder. */
  async ready(timeoutMs = 60000): Promise<void> {
    await poll(
      () => this.page.locator('.monaco-workbench .part.statusbar').isVisible(),
      timeoutMs,
      'the VS Code workbench to load',
    );
    await poll(
      () => this.page.locator('.explorer-folders-view .monaco-list-row').first().isVisible(),
      timeoutMs,
      'the Explorer to list the workspace folder',
    );
    await this.screenshot('workbench ready');
  }

  /** The text of an error VS Code shows right now (an error dialog or error notification), if any. */
  async visibleError(): Promise<string | undefined> {
    const dialog = await this.page.evaluate<{ message: string; detail: string } | null>(probes.ERROR_DIALOG);
    if (dialog) return `error dialog: ${dialog.message}${dialog.detail ? ` — ${dialog.detail}` : ''}`;
    const errors = (await this.notifications()).filter((n) => n.severity === 'error');
    return errors.length > 0 ? `error notification: ${errors.map((n) => n.message).join(' | ')}` : undefined;
  }

  /** Notifications currently shown as toasts. */
  async notifications(): Promise<Notification[]> {
    return this.page.evaluate<Notification[]>(probes.NOTIFICATIONS);
  }

  private quickInputRows(): Promise<QuickInputRow[]> {
    return this.page.evaluate<QuickInputRow[]>(probes.QUICK_INPUT_ROWS);
  }

  private async describeQuickInput(): Promise<string> {
    const rows = await this.quickInputRows();
    return rows.length === 0
      ? 'no rows'
      : `rows ${JSON.stringify(rows.map((row) => (row.focused ? `> ${row.ariaLabel}` : row.ariaLabel)))}`;
  }

  /** The label (without keybinding or detail) of the quick input's focused row. */
  private async focusedQuickInputLabel(): Promise<string | undefined> {
    return (await this.quickInputRows()).find((row) => row.focused)?.label;
  }

  private async quickInputClosed(what: string): Promise<void> {
    await this.until(
      async () => !(await this.page.evaluate<boolean>(probes.QUICK_INPUT_VISIBLE)),
      STEP_TIMEOUT_MS,
      what,
    );
  }

  /** Opens the quick input with `key` and types `text` over whatever it holds. */
  private async typeIntoQuickInput(key: string, text: string, what: string): Promise<void> {
    await this.page.keyboard.press(key);
    await this.until(() => this.page.evaluate<boolean>(probes.QUICK_INPUT_VISIBLE), STEP_TIMEOUT_MS, what);
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.type(text);
  }

  /**
   * Opens a workspace file by its path with Quick Open (Ctrl+P), as a person would: types the path,
   * moves to the row of that file if another one (a recently opened namesake) is first, Enter.
   */
  async openFile(relativePath: string): Promise<void> {
    const name = path.basename(relativePath);
    const folder = path.dirname(relativePath) === '.' ? '' : path.dirname(relativePath);
    const isTarget = (row: QuickInputRow) =>
      row.label === name && row.description.replace(/\\/g, '/').replace(/\/$/, '') === folder;
    await this.typeIntoQuickInput('Control+P', relativePath, 'Quick Open to show its input box');
    for (let moves = 0; ; moves++) {
      const rows = await this.until(
        async () => {
          const current = await this.quickInputRows();
          return current.some((row) => row.focused) && current.some(isTarget) ? current : undefined;
        },
        STEP_TIMEOUT_MS,
        `Quick Open to offer ${relativePath}`,
        { seen: () => this.describeQuickInput() },
      );
      const focused = rows.findIndex((row) => row.focused);
      const target = rows.findIndex(isTarget);
      if (focused === target) break;
      if (moves >= rows.length) {
        throw new Error(
          `Expected: to move Quick Open to ${relativePath}\n  Saw: ${await this.describeQuickInput()}`,
        );
      }
      await this.page.keyboard.press(target > focused ? 'ArrowDown' : 'ArrowUp');
    }
    await this.page.keyboard.press('Enter');
    await this.until(
      async () => (await this.activeTab())?.startsWith(name),
      STEP_TIMEOUT_MS,
      `an editor tab for ${relativePath} to be active`,
      { seen: async () => `tabs: ${JSON.stringify(await this.tabs())}; active: ${await this.activeTab()}` },
    );
    await this.screenshot(`open ${relativePath}`);
  }

  /** Label of the active tab of the active editor group (where Quick Open opens a file). */
  async activeTab(): Promise<string | undefined> {
    const tabs = await this.page.evaluate<Tab[]>(probes.TABS);
    return tabs.find((tab) => tab.active && tab.activeGroup)?.label;
  }

  /** Labels of the open editor tabs. */
  async tabs(): Promise<string[]> {
    return (await this.page.evaluate<Tab[]>(probes.TABS)).map((tab) => tab.label);
  }

  /**
   * Runs a command from the palette: F1, its title (e.g. "Sandbox Policy: Show Effective Policy"),
   * Enter. Resolves when the palette has closed, or, with `{ input: true }` for a command that asks
   * for something (an input box, a pick), when its own box shows (see quickInput()). The command's
   * effect is for the caller to wait for.
   */
  async runCommand(title: string, options: { input?: boolean } = {}): Promise<void> {
    // The palette lists the commands whose `when` clause held when it opened: one that a context key
    // enables a moment later (the extension still activating after the file opened) shows only in a
    // palette opened again.
    const giveUpAt = Date.now() + STEP_TIMEOUT_MS;
    for (;;) {
      await this.typeIntoQuickInput('F1', `>${title}`, 'the command palette');
      const lastTry = Date.now() + PALETTE_REOPEN_MS * 2 >= giveUpAt;
      try {
        await this.until(
          async () => (await this.focusedQuickInputLabel()) === title,
          lastTry ? Math.max(giveUpAt - Date.now(), PALETTE_REOPEN_MS) : PALETTE_REOPEN_MS,
          `the palette to offer the command "${title}" first`,
          { seen: () => this.describeQuickInput() },
        );
        break;
      } catch (error) {
        if (lastTry || !(error instanceof WaitTimeoutError)) throw error;
        await this.page.keyboard.press('Escape');
        await this.quickInputClosed('the palette to close before it is opened again');
      }
    }
    await this.screenshot(`palette ${title}`);
    await this.page.keyboard.press('Enter');
    if (!options.input) {
      await this.quickInputClosed(`the palette to close after running "${title}"`);
      return;
    }
    await this.until(
      async () => {
        const box = await this.quickInput();
        return box.visible && !box.value.startsWith('>');
      },
      STEP_TIMEOUT_MS,
      `"${title}" to ask for input`,
      { seen: async () => `quick input: ${JSON.stringify(await this.quickInput())}` },
    );
    await this.screenshot(`${title} asks for input`);
  }

  /** The quick input's box as it is now (visible, value, type, placeholder, message). */
  async quickInput(): Promise<QuickInputBox> {
    return this.page.evaluate<QuickInputBox>(probes.QUICK_INPUT_BOX);
  }

  /**
   * Every notification of the session, also those whose toast has gone (the notification center:
   * opened, read, closed again).
   */
  async allNotifications(): Promise<string[]> {
    await this.runCommand('Notifications: Show Notifications');
    // Plain polling: an error notification is something to read here, not a reason to stop.
    const messages = await poll(
      async () =>
        (await this.page.locator('.notifications-center').isVisible()) &&
        this.page.evaluate<string[]>(probes.NOTIFICATION_CENTER),
      STEP_TIMEOUT_MS,
      'the notification center to open',
    );
    await this.page.keyboard.press('Escape');
    return messages;
  }

  /** Opens the Problems panel (Ctrl+Shift+M) if needed and returns its rows as text, one string per row. */
  async readProblems(): Promise<string[]> {
    let rows = await this.page.evaluate<string[] | null>(probes.PROBLEMS);
    if (rows === null) {
      await this.page.keyboard.press('Control+Shift+M');
      rows = await this.until(
        () => this.page.evaluate<string[] | null>(probes.PROBLEMS),
        STEP_TIMEOUT_MS,
        'the Problems panel to open',
      );
    }
    return rows;
  }

  /**
   * Text of the webview titled `title`, or undefined while none is showing: a webview view (a pane
   * with that title) or a webview panel (the active editor tab with that title).
   */
  async readWebview(title: string): Promise<string | undefined> {
    for (const frame of await this.webviewFrames(title)) {
      const text = await frame.evaluate<string | null>(probes.BODY_TEXT).catch(() => null);
      if (text !== null) return text;
    }
    return undefined;
  }

  /** The content frames of the visible webviews titled `title` (views and editor panels). */
  async webviewFrames(title: string): Promise<Frame[]> {
    const frames: Frame[] = [];
    for (const webview of await this.page.evaluate<WebviewHost[]>(probes.WEBVIEWS)) {
      if (webview.title !== title || !webview.visible) continue;
      const outer = this.page.frame({ name: webview.frameName });
      for (const child of outer?.childFrames() ?? []) {
        const element = await child.frameElement().catch(() => undefined);
        if (element && (await element.getAttribute('id')) === 'active-frame') frames.push(child);
      }
    }
    return frames;
  }

  /** Titles of the webviews in the window (for "what was seen" messages); hidden ones say so. */
  async webviewTitles(): Promise<string[]> {
    const webviews = await this.page.evaluate<WebviewHost[]>(probes.WEBVIEWS);
    return webviews.map((webview) => (webview.visible ? webview.title : `${webview.title} (hidden)`));
  }

  /** Text of the visible editors (only the rendered lines, as a person sees them). */
  async editorText(): Promise<string> {
    return this.page.evaluate<string>(probes.EDITOR_TEXT);
  }

  /** Closes every editor and notification, so that a test starts from a quiet window. */
  async reset(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    await this.runCommand('Notifications: Clear All Notifications');
  }
}

let current: Workbench | undefined;

/** The workbench of this e2e run; only test/host/run.mjs creates it. */
export function workbench(): Workbench {
  if (!current) {
    throw new Error(
      'No workbench: e2e tests run through `npm run test:host` (see docs/testing.md), not plain mocha',
    );
  }
  return current;
}

/** Used by the runner. */
export function setWorkbench(value: Workbench | undefined): void {
  current = value;
}
