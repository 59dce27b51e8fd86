// Records every run in the log channel and in a JSON-lines file in the extension's global storage
// (src/sandbox/audit.ts decides what an entry holds: never the code, its output or a key).
import * as vscode from 'vscode';
import { AuditLog, auditEntry, describeAuditEntry, type AuditEntry, type AuditInput } from '../sandbox/audit';
import { errorMessage } from './logger';

export const AUDIT_FILE_NAME = 'audit.jsonl';

export class RunAudit {
  private readonly file: AuditLog | undefined;

  constructor(
    globalStorageUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Global storage is a local folder for the Node extension host; anything else gets the channel only.
    this.file =
      globalStorageUri.scheme === 'file'
        ? new AuditLog(vscode.Uri.joinPath(globalStorageUri, AUDIT_FILE_NAME).fsPath)
        : undefined;
  }

  get filePath(): string | undefined {
    return this.file?.filePath;
  }

  async record(input: AuditInput): Promise<AuditEntry> {
    const entry = auditEntry(input);
    this.log.info(`[audit] ${describeAuditEntry(entry)}`);
    if (this.file) {
      await this.file.append(entry).catch((error: unknown) => {
        this.log.error(`Could not write the audit log ${this.file?.filePath}: ${errorMessage(error)}`);
      });
    }
    return entry;
  }
}
