import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { engineLanguage, runFileName } from '../../../src/vscode/documents';

function doc(scheme: string, languageId: string, path = '/w/a.py'): vscode.TextDocument {
  return { uri: { scheme, path }, languageId } as unknown as vscode.TextDocument;
}

describe('which documents are checked', () => {
  it('checks Python, JavaScript and TypeScript files and untitled buffers', () => {
    assert.equal(engineLanguage(doc('file', 'python')), 'python');
    assert.equal(engineLanguage(doc('untitled', 'python')), 'python');
    assert.equal(engineLanguage(doc('file', 'javascript')), 'javascript');
    assert.equal(engineLanguage(doc('file', 'javascriptreact')), 'javascript');
    assert.equal(engineLanguage(doc('file', 'typescript')), 'typescript');
  });

  it('leaves output channels, diffs, settings and other languages alone', () => {
    for (const scheme of ['output', 'git', 'vscode-userdata', 'sandbox-policy', 'vscode-notebook-cell']) {
      assert.equal(engineLanguage(doc(scheme, 'python')), undefined, scheme);
    }
    assert.equal(engineLanguage(doc('file', 'markdown')), undefined);
    assert.equal(engineLanguage(doc('file', 'toString')), undefined);
  });

  it('names untitled buffers so tracebacks and the panel can refer to them', () => {
    assert.equal(runFileName(doc('file', 'python', '/w/src/main.py')), 'main.py');
    assert.equal(runFileName(doc('untitled', 'python', 'Untitled-1')), 'Untitled-1.py');
  });
});
