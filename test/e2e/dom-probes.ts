// One-shot reads of the workbench's DOM, evaluated in the page. A probe never waits: Playwright's
// locator reads (innerText, getAttribute) wait up to their timeout for a missing element, which
// turns every poll of a waitFor into a 30-second stall. Probes are plain JavaScript source, because
// this project type-checks without the DOM library. The selectors are VS Code 1.139's (code-server
// 4.139.1); when VS Code changes its DOM, this file is the one place to follow it.

/** The error dialog's text, or null. */
export const ERROR_DIALOG = `(() => {
  const box = document.querySelector('.monaco-dialog-box');
  if (!box || box.getClientRects().length === 0) return null;
  const icon = box.querySelector('.dialog-icon');
  const isError = !!icon && (/codicon-(dialog-)?error/.test(icon.className) || icon.getAttribute('aria-label') === 'Error');
  if (!isError) return null;
  const text = (selector) => (box.querySelector(selector)?.textContent ?? '').replace(/\\s+/g, ' ').trim();
  return { message: text('.dialog-message-text'), detail: text('.dialog-message-detail') };
})()`;

/** Visible notification toasts: [{ severity, message }]. */
export const NOTIFICATIONS = `(() => [...document.querySelectorAll('.notifications-toasts .notification-list-item')]
  .filter((item) => item.getClientRects().length > 0)
  .map((item) => {
    const icon = item.querySelector('.notification-list-item-icon')?.className ?? '';
    const severity = icon.includes('codicon-error') ? 'error' : icon.includes('codicon-warning') ? 'warning' : 'info';
    const message = (item.querySelector('.notification-list-item-message')?.textContent ?? '').replace(/\\s+/g, ' ').trim();
    return { severity, message };
  }))()`;

/** The quick input's rows: [{ label, description, ariaLabel, focused }] (description: a file's folder). */
export const QUICK_INPUT_ROWS = `(() => [...document.querySelectorAll('.quick-input-widget .quick-input-list .monaco-list-row')]
  .map((row) => ({
    label: (row.querySelector('.label-name')?.textContent ?? '').replace(/\\s+/g, ' ').trim(),
    description: (row.querySelector('.label-description')?.textContent ?? '').trim(),
    ariaLabel: row.getAttribute('aria-label') ?? '',
    focused: row.classList.contains('focused'),
  })))()`;

/** The quick input's box: { visible, value, type, placeholder, message } (message: its prompt or validation). */
export const QUICK_INPUT_BOX = `(() => {
  const widget = document.querySelector('.quick-input-widget');
  const input = widget?.querySelector('.quick-input-box input');
  const visible = !!widget && widget.style.display !== 'none' && widget.getClientRects().length > 0;
  const message = (widget?.querySelector('.quick-input-message')?.textContent ?? '').replace(/\\s+/g, ' ').trim();
  return { visible, value: input?.value ?? '', type: input?.type ?? '', placeholder: input?.placeholder ?? '', message };
})()`;

/** Messages in the notification center (open it first), newest first. */
export const NOTIFICATION_CENTER = `(() => [...document.querySelectorAll('.notifications-center .notification-list-item-message')]
  .map((item) => (item.textContent ?? '').replace(/\\s+/g, ' ').trim()))()`;

/** Whether the quick input (palette, Quick Open) is showing. */
export const QUICK_INPUT_VISIBLE = `(() => {
  const widget = document.querySelector('.quick-input-widget');
  return !!widget && widget.style.display !== 'none' && widget.getClientRects().length > 0;
})()`;

/** Tabs: [{ label, active, activeGroup }]. */
export const TABS = `(() => [...document.querySelectorAll('.editor-group-container')].flatMap((group) =>
  [...group.querySelectorAll('.tabs-container .tab')].map((tab) => ({
    label: tab.getAttribute('aria-label') ?? '',
    active: tab.classList.contains('active'),
    activeGroup: group.classList.contains('active'),
  }))))()`;

/** Rows of the Problems panel as text, or null when the panel is not showing. */
export const PROBLEMS = `(() => {
  const panel = document.querySelector('.markers-panel');
  if (!panel || panel.getClientRects().length === 0) return null;
  return [...panel.querySelectorAll('.monaco-list-row')].map((row) => row.innerText.replace(/\\s+/g, ' ').trim());
})()`;

/** Rendered lines of the visible text editors. */
export const EDITOR_TEXT = `(() => [...document.querySelectorAll('.editor-group-container .monaco-editor .view-lines')]
  .filter((lines) => lines.getClientRects().length > 0)
  .map((lines) => lines.innerText)
  .join('\\n'))()`;

/**
 * Webviews and their titles: [{ title, frameName, visible }]. A webview is drawn in an overlay
 * anchored (CSS anchor positioning) to a view pane's body (title: the pane header) or to an editor
 * group's editor (title: the group's active tab). The overlay's id is the name of its iframe.
 */
export const WEBVIEWS = `(() => {
  const anchorOf = (element) => element && /anchor-name:\\s*([\\w-]+)/.exec(element.getAttribute('style') ?? '')?.[1];
  const hosts = [];
  for (const pane of document.querySelectorAll('.pane')) {
    const anchor = anchorOf(pane.querySelector('.pane-body'));
    const title = pane.querySelector('.pane-header h3.title')?.textContent?.trim();
    if (anchor && title) hosts.push({ title, anchor });
  }
  for (const group of document.querySelectorAll('.editor-group-container')) {
    const anchor = anchorOf(group.querySelector('.editor-instance'));
    const title = group.querySelector('.tab.active .tab-label')?.getAttribute('aria-label');
    if (anchor && title) hosts.push({ title, anchor });
  }
  const overlays = [...document.querySelectorAll('.webview-overlay-content')];
  return hosts.flatMap(({ title, anchor }) => {
    const overlay = overlays.find((o) => (o.getAttribute('style') ?? '').includes('position-anchor: ' + anchor));
    if (!overlay) return [];
    const visible = getComputedStyle(overlay).visibility === 'visible' && overlay.getBoundingClientRect().width > 0;
    return [{ title, frameName: overlay.id, visible }];
  });
})()`;

/** In a webview's content frame: its text. */
export const BODY_TEXT = `(() => document.body ? document.body.innerText : null)()`;
