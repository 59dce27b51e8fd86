// The run panel's page: static markup only (everything dynamic is added by the script through
// textContent), a CSP that allows nothing but our stylesheet, our nonce'd script and data: images, and
// no inline styles or handlers. No vscode import, so the CSP is unit tested.

export interface PanelPageOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random nonce per page load. */
  nonce: string;
  /** `asWebviewUri` of media/panel.css and dist/webview.js. */
  styleUri: string;
  scriptUri: string;
}

const NONCE = /^[A-Za-z0-9+/=_-]{16,}$/;

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    'img-src data:',
    `script-src 'nonce-${nonce}'`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function attribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function panelHtml(options: PanelPageOptions): string {
  if (!NONCE.test(options.nonce))
    throw new Error('run panel: the nonce must be 16+ random base64 characters');
  const csp = attribute(contentSecurityPolicy(options.cspSource, options.nonce));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attribute(options.styleUri)}">
<title>Sandbox Run</title>
</head>
<body>
<p id="empty">No run yet. Open a Python file and run "Sandbox Policy: Run Sandboxed".</p>
<main id="run" hidden>
<header>
<span id="file"></span>
<span id="backend" class="meta"></span>
<span id="preset" class="meta"></span>
<span id="walls" class="meta"></span>
<span id="state" class="state"></span>
</header>
<div class="toolbar">
<button id="stop" type="button" disabled>Stop</button>
<button id="rerun" type="button" class="secondary" disabled>Re-run</button>
<button id="copy" type="button" class="secondary" disabled>Copy Output</button>
</div>
<p id="progress" hidden></p>
<section id="gate" hidden></section>
<pre id="output" role="log" aria-label="Program output" hidden></pre>
<p id="truncated" hidden></p>
<section id="error" hidden></section>
<section id="results" hidden></section>
<footer id="outcome" hidden></footer>
</main>
<script nonce="${options.nonce}" src="${attribute(options.scriptUri)}"></script>
</body>
</html>`;
}
