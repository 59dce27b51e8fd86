// A picture of the window at a step of an extension-host test. The test runs inside the extension host,
// the browser is driven by the host runner (test/host/exthost-tier.mjs): the test logs a marker with a
// label, the runner saves `NN-label.png` in the run's screenshots folder, and the test waits for the file,
// so the picture shows the state the test reached. Without a runner that takes pictures (desktop VS Code),
// nothing is logged.
import fs from 'node:fs';
import { waitFor } from '../host/wait';

const SCREENSHOT_PREFIX = '[extension-host screenshot] ';

export async function screenshot(label: string): Promise<void> {
  const dir = process.env.SANDBOX_POLICY_HOST_SCREENSHOTS;
  if (!dir) return;
  const name = label.replace(/[^\w.-]+/g, '-');
  console.log(`${SCREENSHOT_PREFIX}${name}`);
  await waitFor(
    () => fs.existsSync(dir) && fs.readdirSync(dir).some((file) => file.endsWith(`-${name}.png`)),
    20_000,
    `the screenshot ${name}.png in ${dir}`,
    { seen: () => (fs.existsSync(dir) ? fs.readdirSync(dir).join(', ') || 'an empty folder' : 'no folder') },
  );
}
