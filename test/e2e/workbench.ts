// The browser end-to-end harness: a VS Code (code-server) workbench in headless Chromium, driven the
// way a person drives it (keyboard, palette, panels), with a screenshot after every step.
// test/host/run.mjs creates one Workbench per run and hands it to the e2e test files through
// `workbench()`; a test file only imports this module. See docs/testing.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describeValue, waitFor as poll, type Awaitable, type WaitOptions } from '../host/wait';

export { WaitTimeoutError } from '../host/wait';

/** Default deadline of one UI step (a palette opening, a panel showing, a file opening). */
export const STEP_TIMEOUT_MS = 15000;

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

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_BOX = `${QUICK_INPUT} .quick-input-box input`;
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;

function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60) || 'step'
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
    check: () => Awaitable<T | undefined | null | false | '' | 0>,
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
    check: () => Awaitable<T | undefined | null | false | '' | 0>,
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

  /** Waits until the workbench has loaded the folder and its extension host is running. */
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
    const dialog = this.page.locator('.monaco-dialog-box');
    if (await dialog.isVisible()) {
      const icon = dialog.locator('.dialog-icon');
      const isError =
        (await icon.count()) > 0 &&
        (/codicon-(dialog-)?error/.test((await icon.first().getAttribute('class')) ?? '') ||
          (await icon.first().getAttribute('aria-label')) === 'Error');
      if (isError) {
        const text = oneLine(
          await dialog
            .locator('.dialog-message-text')
            .innerText()
            .catch(() => ''),
        );
        const detail = oneLine(
          await dialog
            .locator('.dialog-message-detail')
            .innerText()
            .catch(() => ''),
        );
        return `error dialog: ${text}${detail ? ` — ${detail}` : ''}`;
      }
    }
    const errors = (await this.notifications()).filter((n) => n.severity === 'error');
    return errors.length > 0 ? `error notification: ${errors.map((n) => n.message).join(' | ')}` : undefined;
  }

  /** Notifications currently shown as toasts. */
  async notifications(): Promise<Notification[]> {
    const items = this.page.locator('.notifications-toasts .notification-list-item');
    const result: Notification[] = [];
    for (const item of await items.all()) {
      if (!(await item.isVisible())) continue;
      const icon = (await item.locator('.notification-list-item-icon').getAttribute('class')) ?? '';
      const severity = icon.includes('codicon-error')
        ? 'error'
        : icon.includes('codicon-warning')
          ? 'warning'
          : 'info';
      const message = oneLine(await item.locator('.notification-list-item-message').innerText());
      result.push({ severity, message });
    }
    return result;
  }

  /** Rows of the quick input (palette, quick open) as their accessible labels. */
  private async quickInputRows(): Promise<string[]> {
    const rows = await this.page.locator(QUICK_INPUT_ROWS).all();
    return Promise.all(
      rows.map(async (row) => (await row.getAttribute('aria-label')) ?? oneLine(await row.innerText())),
    );
  }

  private async quickInputClosed(what: string): Promise<void> {
    await this.until(async () => !(await this.page.locator(QUICK_INPUT).isVisible()), STEP_TIMEOUT_MS, what);
  }

  /** Opens a workspace file by name with Quick Open (Ctrl+P), as a person would. */
  async openFile(relativePath: string): Promise<void> {
    const name = path.basename(relativePath);
    await this.page.keyboard.press('Control+P');
    const box = this.page.locator(QUICK_INPUT_BOX);
    await poll(() => box.isVisible(), STEP_TIMEOUT_MS, 'Quick Open to show its input box');
    await box.fill(relativePath);
    await this.until(
      async () => {
        const focused = this.page.locator(`${QUICK_INPUT_ROWS}.focused`);
        return (
          (await focused.count()) > 0 && ((await focused.getAttribute('aria-label')) ?? '').startsWith(name)
        );
      },
      STEP_TIMEOUT_MS,
      `Quick Open to offer ${relativePath} first`,
      { seen: async () => `Quick Open rows: ${JSON.stringify(await this.quickInputRows())}` },
    );
    await this.page.keyboard.press('Enter');
    await this.until(
      async () =>
        (
          (await this.page.locator('.tabs-container .tab.active').getAttribute('aria-label')) ?? ''
        ).startsWith(name),
      STEP_TIMEOUT_MS,
      `an editor tab for ${relativePath} to be active`,
      { seen: async () => `tabs: ${JSON.stringify(await this.tabs())}` },
    );
    await this.screenshot(`open ${relativePath}`);
  }

  /** Labels of the open editor tabs. */
  async tabs(): Promise<string[]> {
    const tabs = await this.page.locator('.tabs-container .tab').all();
    return Promise.all(tabs.map(async (tab) => (await tab.getAttribute('aria-label')) ?? ''));
  }

  /**
   * Runs a command from the palette: F1, its title (e.g. "Sandbox Policy: Show Effective Policy"),
   * Enter. Resolves when the palette has closed; the command's effect is for the caller to wait for.
   */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const box = this.page.locator(QUICK_INPUT_BOX);
    await poll(
      async () => (await box.isVisible()) && (await box.inputValue()) === '>',
      STEP_TIMEOUT_MS,
      'the palette',
    );
    await this.page.keyboard.type(title);
    await this.until(
      async () => {
        const focused = this.page.locator(`${QUICK_INPUT_ROWS}.focused`);
        return (await focused.count()) > 0 && (await focused.getAttribute('aria-label')) === title;
      },
      STEP_TIMEOUT_MS,
      `the palette to offer the command "${title}" first`,
      { seen: async () => `palette rows: ${JSON.stringify(await this.quickInputRows())}` },
    );
    await this.screenshot(`palette ${title}`);
    await this.page.keyboard.press('Enter');
    await this.quickInputClosed(`the palette to close after running "${title}"`);
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its rows as text, one string per row. */
  async readProblems(): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) {
      await this.page.keyboard.press('Control+Shift+M');
      await this.until(() => panel.isVisible(), STEP_TIMEOUT_MS, 'the Problems panel to open');
    }
    const rows = await panel.locator('.monaco-list-row').all();
    return Promise.all(rows.map(async (row) => oneLine(await row.innerText())));
  }

  /**
   * Text of the webview view titled `viewTitle` (e.g. "Sandbox Run"), or undefined while it is not
   * showing. VS Code draws a view's webview in an overlay anchored (CSS anchor positioning) to the
   * view's pane body; the content lives in a frame inside the overlay's iframe.
   */
  async readWebview(viewTitle: string): Promise<string | undefined> {
    for (const frame of await this.webviewFrames(viewTitle)) {
      const text = await frame
        .locator('body')
        .innerText()
        .catch(() => undefined);
      if (text !== undefined) return text;
    }
    return undefined;
  }

  /** The content frames of the visible webviews of the views titled `viewTitle`. */
  async webviewFrames(viewTitle: string): Promise<Frame[]> {
    const frames: Frame[] = [];
    const panes = this.page.locator('.pane').filter({
      has: this.page.locator('.pane-header h3.title', {
        hasText: new RegExp(`^${escapeRegExp(viewTitle)}$`),
      }),
    });
    for (const pane of await panes.all()) {
      const style = (await pane.locator('.pane-body').first().getAttribute('style')) ?? '';
      const anchor = /anchor-name:\s*([\w-]+)/.exec(style)?.[1];
      if (!anchor) continue;
      const iframe = this.page.locator(
        `.webview-overlay-content[style*="position-anchor: ${anchor}"] iframe.webview`,
      );
      if ((await iframe.count()) === 0 || !(await iframe.first().isVisible())) continue;
      const outer = await (await iframe.first().elementHandle())?.contentFrame();
      for (const child of outer?.childFrames() ?? []) {
        const id = await (await child.frameElement()).getAttribute('id');
        if (id === 'active-frame') frames.push(child);
      }
    }
    return frames;
  }

  /** Titles of the views that host a webview right now (for "what was seen" messages). */
  async webviewTitles(): Promise<string[]> {
    const titles: string[] = [];
    for (const pane of await this.page.locator('.pane').all()) {
      const style =
        (await pane
          .locator('.pane-body')
          .first()
          .getAttribute('style')
          .catch(() => null)) ?? '';
      const anchor = /anchor-name:\s*([\w-]+)/.exec(style)?.[1];
      if (!anchor) continue;
      if (
        (await this.page.locator(`.webview-overlay-content[style*="position-anchor: ${anchor}"]`).count()) ===
        0
      )
        continue;
      titles.push(
        oneLine(
          await pane
            .locator('.pane-header h3.title')
            .innerText()
            .catch(() => '(untitled)'),
        ),
      );
    }
    return titles;
  }

  /** Text of the visible editors (only the rendered lines, as a person sees them). */
  async editorText(): Promise<string> {
    const editors = await this.page.locator('.editor-group-container .monaco-editor .view-lines').all();
    const texts = await Promise.all(editors.map((editor) => editor.innerText()));
    return texts.join('\n');
  }

  /** Closes every editor and notification, so that a test starts from a quiet window. */
  async reset(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editors');
    const clear = this.page.locator('.notifications-toasts .codicon-notifications-clear-all');
    if (await clear.isVisible()) await clear.click();
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
