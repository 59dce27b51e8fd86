// What `npm test` prints again at its very end for a failed lane (test/lanes.mjs): CI keeps only the end
// of a long log, and a lane's output is printed when the lane ends, often far from it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Digest = (lane: { name: string; status: string; output: string }) => string;

async function failureDigest(): Promise<Digest> {
  // The lane runner is plain ESM beside the tests' sources; from out/test/unit, three levels up.
  const url = pathToFileURL(path.resolve(__dirname, '../../../test/lanes.mjs')).href;
  return ((await import(url)) as { failureDigest: Digest }).failureDigest;
}

describe('the failure digest at the end of npm test', () => {
  it("shows each mocha failure block and each failed host step, not the passing lanes' noise", async () => {
    const digest = await failureDigest();
    const output = [
      ...Array.from({ length: 500 }, (_, i) => `    ✔ passing test ${i}`),
      '  500 passing (2m)',
      '  1 failing',
      '  1) feature: Run in Pyodide',
      '       stops an endless loop:',
      '     AssertionError: run ended timeout',
      '[host] PASS e2e: the extension in Chromium (72.2 s)',
      '[host] FAIL exthost: the extension in the extension host (41.0 s)',
      '  ✘ quick fix: Timed out after 20000 ms waiting for a diagnostic',
    ].join('\n');
    const text = digest({ name: 'host', status: 'FAILED (exit code 1)', output });
    assert.match(text, /what failed in lane host \(FAILED \(exit code 1\)\)/);
    assert.match(text, /1 failing\n {2}1\) feature: Run in Pyodide/);
    assert.match(text, /AssertionError: run ended timeout/);
    assert.match(text, /\[host\] FAIL exthost[^\n]*\n {2}✘ quick fix: Timed out/);
    assert.doesNotMatch(text, /passing test 1\b/);
  });

  it("shows a lane's last lines when it has no failure block (a crash, a lane that ran no test)", async () => {
    const digest = await failureDigest();
    const output = [
      ...Array.from({ length: 200 }, (_, i) => `line ${i}`),
      'Error: Cannot find module x',
    ].join('\n');
    const text = digest({ name: 'rest', status: 'FAILED (exit code 1, 0 tests run)', output });
    assert.match(text, /Error: Cannot find module x/);
    assert.match(text, /line 199/);
    assert.doesNotMatch(text, /line 10\n/);
  });
});
