// Log lines that code-server and Chromium print on every run of this offline host and that say
// nothing about the extension under test. Each pattern says why it is expected. Everything else
// that looks like an error is reported.
export const EXPECTED_NOISE = [
  // The extension gallery is open-vsx.org, which this network cannot reach.
  { pattern: /open-vsx\.org/i, why: 'no extension gallery offline' },
  // vsda (the VS Code signing module) ships only with Microsoft's builds.
  { pattern: /vsda/i, why: 'vsda is not in code-server' },
  // With no GitHub sign-in (offline, no token) the built-in GitHub extensions give up waiting.
  {
    pattern: /Timed out waiting for authentication provider 'github' to register/,
    why: 'no GitHub authentication offline',
  },
  // code-server's server process logs a SIGPIPE when an extension host's pipe closes while the
  // window shuts down at the end of a run.
  { pattern: /Unexpected SIGPIPE/, why: 'extension host pipe closing at shutdown' },
  // The workbench's connection to the remote extension host is a socket from the browser; when a tier
  // closes Chromium, the extension host may log the reset. Only a bare reset with nothing but Node's own
  // stream frame matches: an error with a stack through any extension's code is still reported.
  {
    pattern:
      /\[error\] Error: read ECONNRESET\s+at TCP\.onStreamRead \(node:internal\/stream_base_commons:\d+:\d+\)\s*$/,
    why: 'the browser connection resets when a tier closes Chromium',
  },
];

/** True when a log line is known, harmless noise of this host. */
export function isNoise(text) {
  return EXPECTED_NOISE.some(({ pattern }) => pattern.test(text));
}
