// What the server and its clients agree on beyond LSP itself: the settings section, the options a client
// may pass at initialize, and the one notification of our own (workspace trust). No vscode import: the
// extension's client (src/vscode/language-client.ts) and the server (src/server/) both use it.

export const SERVER_NAME = 'sandbox-policy';
export const SETTINGS_SECTION = 'sandboxPolicy';
export const DIAGNOSTIC_SOURCE = 'sandbox-policy';

/** The `sandboxPolicy` settings the server reads (a client may send more; the rest is ignored). */
export interface ServerSettings {
  preset?: unknown;
  threshold?: unknown;
  restrictedModules?: unknown;
  allowedModules?: unknown;
  ruleOverrides?: unknown;
  customPatterns?: unknown;
  inlineSuppressions?: unknown;
  documentSizeLimitMb?: unknown;
}

export interface InitializationOptions {
  /** Settings for clients that do not answer `workspace/configuration`. */
  settings?: ServerSettings;
  /**
   * Whether the user trusts the workspace (VS Code's Workspace Trust). Untrusted: the loosening keys of a
   * `sandbox-policy.toml` / `.sandbox-policy.json` are ignored. Clients without a notion of trust leave it
   * out, and the workspace counts as trusted (the user chose to open it, as with Ruff's `ruff.toml`).
   */
  workspaceTrusted?: boolean;
  /**
   * A client-side command that opens a rule's documentation (VS Code's `sandboxPolicy.showRuleDocumentation`,
   * called with the rule id). Without it the "Show documentation" action runs the server's own command,
   * which asks the client to open the rule's page (`window/showDocument`).
   */
  showRuleDocsCommand?: string;
}

/** Sent by the client when the workspace's trust changes (VS Code: when the user grants it). */
export const DID_CHANGE_TRUST_NOTIFICATION = 'sandboxPolicy/didChangeWorkspaceTrust';
export interface DidChangeTrustParams {
  trusted: boolean;
}

/** The server's own command behind "Show documentation for <rule>" (arguments: [ruleId]). */
export const OPEN_RULE_DOCS_COMMAND = 'sandbox-policy.openRuleDocumentation';

/** What a diagnostic's `data` carries for the code actions. */
export interface DiagnosticData {
  ruleId: string;
}
