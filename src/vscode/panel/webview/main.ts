// The run panel's script, bundled by esbuild for the browser into dist/webview.js and loaded with the
// page's nonce. Everything a program printed is untrusted: it reaches the DOM only through textContent
// (and PNG data only as a validated data: URI), never through innerHTML. Messages from the host are
// validated before use; the panel's state is kept with setState so a reload restores the last run.

import { AnsiParser, ansiClasses, stripAnsi } from '../ansi';
import {
  isBase64,
  parseHostMessage,
  type HostToWebview,
  type PanelFinding,
  type PanelStatus,
  type WebviewToHost,
} from '../messages';
import { notebookTracebackLinks, tracebackLinks } from '../traceback';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

/** Characters of output kept in the page; the host caps what it sends, this caps what a restore replays. */
const MAX_SAVED_OUTPUT = 200_000;

const STATUS_TEXT: Record<PanelStatus, string> = {
  ok: 'Finished',
  error: 'Failed with an error',
  timeout: 'Stopped: time limit',
  memory: 'Stopped: memory limit',
  output: 'Stopped: output limit',
  blocked: 'Refused by the policy',
  cancelled: 'Stopped by you',
  'rate-limited': 'Refused: rate limit',
  budget: 'Refused: budget limit',
};

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`run panel: #${id} is missing from the page`);
  return node;
}

const ui = {
  empty: byId('empty'),
  run: byId('run'),
  file: byId('file'),
  backend: byId('backend'),
  preset: byId('preset'),
  walls: byId('walls'),
  state: byId('state'),
  progress: byId('progress'),
  gate: byId('gate'),
  output: byId('output'),
  truncated: byId('truncated'),
  error: byId('error'),
  results: byId('results'),
  outcome: byId('outcome'),
  copy: byId('copy') as HTMLButtonElement,
  rerun: byId('rerun') as HTMLButtonElement,
  stop: byId('stop') as HTMLButtonElement,
};

let runId: number | undefined;
let file = '';
let running = false;
let ansi = new AnsiParser();
let droppedChars = 0;
/** A notebook run: each cell's header in the output, by cell index. */
let cellHeaders = new Map<number, HTMLElement>();
/** The messages of the current run, replayed on restore. */
let history: HostToWebview[] = [];
let savedOutputChars = 0;
let saveTimer: ReturnType<typeof setTimeout> | undefined;

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

function link(text: string, title: string, onActivate: () => void): HTMLAnchorElement {
  const anchor = element('a', 'link', text);
  anchor.href = '#';
  anchor.title = title;
  anchor.addEventListener('click', (event) => {
    event.preventDefault();
    onActivate();
  });
  return anchor;
}

function openLine(line: number, column = 0, cell?: number): void {
  if (runId === undefined) return;
  post(
    cell === undefined
      ? { type: 'openLocation', runId, line, column }
      : { type: 'openLocation', runId, line, column, cell },
  );
}

function place(line: number, cell?: number): string {
  return cell === undefined ? `line ${line + 1}` : `cell ${cell}, line ${line + 1}`;
}

function findingItem(finding: PanelFinding): HTMLLIElement {
  const item = element('li', `finding severity-${finding.severity.toLowerCase()}`);
  item.append(
    element('span', 'severity', finding.severity),
    ' ',
    link(finding.ruleId, `Show the documentation of ${finding.ruleId}`, () =>
      post({ type: 'openRuleDocs', ruleId: finding.ruleId }),
    ),
    ' ',
    link(place(finding.line, finding.cell), 'Show this line in the editor', () =>
      openLine(finding.line, finding.column, finding.cell),
    ),
    element('span', 'message', `: ${finding.message}`),
  );
  if (finding.violation) item.append(element('span', 'badge', 'violation'));
  return item;
}

function renderFindings(target: HTMLElement, title: string, findings: PanelFinding[]): void {
  target.replaceChildren();
  if (findings.length === 0) {
    target.hidden = true;
    return;
  }
  const list = element('ul', 'findings');
  for (const finding of findings) list.append(findingItem(finding));
  target.append(element('h2', undefined, title), list);
  target.hidden = false;
}

function appendOutput(stream: 'stdout' | 'stderr', text: string): void {
  for (const segment of ansi.push(text)) {
    const span = element('span', [stream, ...ansiClasses(segment.style)].join(' '), segment.text);
    ui.output.append(span);
  }
  ui.output.hidden = false;
}

function showTruncation(): void {
  if (droppedChars === 0) return;
  ui.truncated.textContent =
    `Output truncated in the panel: ${droppedChars.toLocaleString()} more characters were not shown. ` +
    'Copy Output copies everything the run kept.';
  ui.truncated.hidden = false;
}

function renderTraceback(target: HTMLElement, traceback: string, failedCell?: number): void {
  const plain = stripAnsi(traceback);
  let at = 0;
  const links =
    failedCell === undefined ? tracebackLinks(plain, file) : notebookTracebackLinks(plain, failedCell);
  for (const found of links) {
    target.append(plain.slice(at, found.start));
    target.append(
      link(plain.slice(found.start, found.end), `Show ${place(found.line, found.cell)} in the editor`, () =>
        openLine(found.line, 0, found.cell),
      ),
    );
    at = found.end;
  }
  target.append(plain.slice(at));
}

function setRunning(value: boolean): void {
  running = value;
  ui.stop.disabled = !value;
  ui.rerun.disabled = value;
  ui.copy.disabled = false;
  ui.progress.hidden = !value;
}

function startRun(message: Extract<HostToWebview, { type: 'runStarted' }>): void {
  runId = message.runId;
  file = message.file;
  ansi = new AnsiParser();
  droppedChars = 0;
  cellHeaders = new Map();
  history = [];
  savedOutputChars = 0;
  ui.empty.hidden = true;
  ui.run.hidden = false;
  ui.file.textContent = message.file;
  ui.backend.textContent = message.backend === 'e2b' ? 'E2B cloud sandbox' : 'Pyodide (local)';
  ui.preset.textContent = `preset ${message.preset}`;
  ui.walls.textContent = message.walls ?? '';
  ui.walls.hidden = message.walls === undefined;
  ui.state.textContent = 'Running…';
  ui.state.className = 'state running';
  ui.progress.textContent = '';
  for (const section of [ui.output, ui.truncated, ui.error, ui.results, ui.outcome]) {
    section.replaceChildren();
    section.hidden = true;
  }
  const title =
    message.gate === 'warned'
      ? 'Policy violations (running anyway: gate mode "warn")'
      : message.gate === 'overridden'
        ? 'Policy violations (you chose to run anyway)'
        : 'Policy findings';
  renderFindings(ui.gate, title, message.findings);
  setRunning(true);
}

function finishRun(message: Extract<HostToWebview, { type: 'finished' }>): void {
  setRunning(false);
  ui.state.textContent = STATUS_TEXT[message.status];
  ui.state.className = `state status-${message.status}`;
  if (message.status === 'blocked') {
    renderFindings(
      ui.gate,
      'Refused: the code breaks the policy',
      message.findings.filter((f) => f.violation),
    );
  }
  const stopped = message.stoppedAtCell;
  if (stopped !== undefined) {
    cellHeaders.get(stopped)?.classList.add('cell-stopped');
    const header = cellHeaders.get(stopped);
    if (header)
      header.textContent = `Cell ${stopped}: stopped the run (${STATUS_TEXT[message.status].toLowerCase()})`;
  }
  // A refusal's reason is already in the footer and its findings above: no error block for it.
  if (message.error && message.status !== 'blocked') {
    const where = stopped === undefined ? '' : `Cell ${stopped}: `;
    const heading = element(
      'h2',
      undefined,
      `${where}${message.error.name}: ${stripAnsi(message.error.value)}`,
    );
    ui.error.append(heading);
    if (message.error.traceback) {
      const pre = element('pre', 'traceback');
      renderTraceback(pre, message.error.traceback, stopped);
      ui.error.append(pre);
    }
    ui.error.hidden = false;
  }
  const facts: string[] = [`${(message.durationMs / 1000).toFixed(2)} s`];
  if (stopped !== undefined) facts.push(`stopped at cell ${stopped}; the cells after it did not run`);
  if (message.limit) facts.push(`limit hit: ${message.limit.kind} (${message.limit.message})`);
  if (message.message) facts.push(message.message);
  ui.outcome.append(element('span', undefined, facts.join(' · ')));
  if (message.status !== 'blocked' && message.findings.some((f) => f.violation)) {
    const section = element('section', 'run-findings');
    renderFindings(section, 'Policy findings of this run', message.findings);
    ui.outcome.append(section);
  }
  ui.outcome.hidden = false;
  showTruncation();
}

function handle(message: HostToWebview, replaying: boolean): void {
  if (message.type === 'runStarted') startRun(message);
  else if (message.runId !== runId)
    return; // a late message of an earlier run
  else if (message.type === 'status') ui.progress.textContent = message.message;
  else if (message.type === 'cell') {
    const header = element('div', 'cell-header', `Cell ${message.index}`);
    header.dataset.cell = String(message.index);
    cellHeaders.set(message.index, header);
    ansi = new AnsiParser();
    ui.output.append(header);
    ui.output.hidden = false;
  } else if (message.type === 'output') {
    for (const chunk of message.chunks) appendOutput(chunk.stream, chunk.text);
    droppedChars += message.droppedChars;
    showTruncation();
  } else if (message.type === 'image') {
    if (!isBase64(message.png)) return;
    const figure = element('figure');
    const image = element('img');
    image.src = `data:image/png;base64,${message.png}`;
    image.alt = message.text ?? 'Image returned by the program';
    figure.append(image);
    if (message.text) figure.append(element('figcaption', undefined, message.text));
    // A notebook's images stay with the cell that made them, in the output.
    const target = cellHeaders.size > 0 ? ui.output : ui.results;
    target.append(figure);
    target.hidden = false;
  } else if (message.type === 'resultText') {
    ui.results.append(element('pre', 'result-text', stripAnsi(message.text)));
    ui.results.hidden = false;
  } else if (message.type === 'finished') finishRun(message);
  if (!replaying) remember(message);
}

/** Keeps the run's messages for a restore, dropping output past a cap (the marker then says so). */
function remember(message: HostToWebview): void {
  if (message.type === 'output') {
    const size = message.chunks.reduce((sum, chunk) => sum + chunk.text.length, 0);
    if (savedOutputChars + size > MAX_SAVED_OUTPUT) {
      const last = history[history.length - 1];
      if (last?.type === 'output' && last.chunks.length === 0)
        last.droppedChars += size + message.droppedChars;
      else
        history.push({
          type: 'output',
          runId: message.runId,
          chunks: [],
          droppedChars: size + message.droppedChars,
        });
      scheduleSave();
      return;
    }
    savedOutputChars += size;
  }
  if (message.type === 'image' && message.png.length > 2_000_000) return;
  history.push(message);
  // Output is saved at most every 250 ms; the start and the end of a run at once, so a reload right
  // after a run still restores how it ended.
  if (message.type === 'output') scheduleSave();
  else saveNow();
}

function saveNow(): void {
  if (saveTimer !== undefined) clearTimeout(saveTimer);
  saveTimer = undefined;
  vscode.setState({ version: 1, history });
}

function scheduleSave(): void {
  if (saveTimer === undefined) saveTimer = setTimeout(saveNow, 250);
}

function restore(): void {
  const state = vscode.getState();
  if (typeof state !== 'object' || state === null) return;
  const saved = (state as { version?: unknown; history?: unknown }).history;
  if ((state as { version?: unknown }).version !== 1 || !Array.isArray(saved)) return;
  for (const raw of saved) {
    const message = parseHostMessage(raw);
    if (message) handle(message, true);
  }
  history = saved.map(parseHostMessage).filter((m): m is HostToWebview => m !== undefined);
  if (runId === undefined) return;
  // The window was reloaded: the extension no longer knows this run, so its buttons and links are off,
  // and a run that had not ended in the saved state did not survive (or ended unsaved).
  if (running) {
    setRunning(false);
    ui.state.textContent = 'Cut short by a reload (or ended after the last save)';
    ui.state.className = 'state status-cancelled';
  }
  ui.rerun.disabled = true;
  ui.copy.disabled = true;
  ui.progress.textContent =
    'Restored after a window reload. Run the file again to use Re-run, Copy Output and the links.';
  ui.progress.hidden = false;
}

ui.copy.addEventListener('click', () => {
  if (runId !== undefined) post({ type: 'copyOutput', runId });
});
ui.rerun.addEventListener('click', () => {
  if (runId !== undefined) post({ type: 'rerun', runId });
});
ui.stop.addEventListener('click', () => {
  if (runId !== undefined && running) post({ type: 'stop', runId });
});

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const message = parseHostMessage(event.data);
  if (message) handle(message, false);
});

restore();
post({ type: 'ready' });
