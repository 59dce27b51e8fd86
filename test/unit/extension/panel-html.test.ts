import assert from 'node:assert/strict';
import { contentSecurityPolicy, panelHtml } from '../../../src/vscode/panel/panel-html';

const options = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  nonce: 'AbCdEfGhIjKlMnOpQrStUvWx',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/panel.css',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
};

describe('run panel page', () => {
  it('has a CSP that allows only our stylesheet, the nonce script and data: images', () => {
    const csp = contentSecurityPolicy(options.cspSource, options.nonce);
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, /style-src https:\/\/file\+\.vscode-resource\.vscode-cdn\.net;/);
    assert.match(csp, /img-src data:;/);
    assert.match(csp, /script-src 'nonce-AbCdEfGhIjKlMnOpQrStUvWx'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
  });

  it('loads exactly one script, with the nonce, and has no inline script, style or handler', () => {
    const html = panelHtml(options);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="AbCdEfGhIjKlMnOpQrStUvWx" src="[^"]+\/dist\/webview.js"><\/script>/);
    assert.doesNotMatch(html, /<style|style=|\son[a-z]+=/i);
  });

  it('refuses a weak nonce', () => {
    assert.throws(() => panelHtml({ ...options, nonce: 'abc' }), /nonce/);
  });
});
