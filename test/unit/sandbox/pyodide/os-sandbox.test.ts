// The OS sandbox around the sandbox process. A capability probe (test/fixtures/os-sandbox) runs in place
// of the jail's worker, as if JavaScript had escaped the jail, and tries what an attacker would: reach
// the host over TCP, UDP and a Unix socket, read /etc/passwd and the host's environment, write files,
// signal the host, start a shell, learn the host's name and network. Run bare, it can do all of it
// (the probe works); inside bubblewrap alone, with no Node flags at all, it can do none of it (the OS
// layer holds by itself); and with the production flags too.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pyodideDir } from '../../../../src/assets';
import { sandboxNodeFlags, scriptRoot } from '../../../../src/sandbox/pyodide/hardening';
import {
  findExecutable,
  linuxRuntimeBinds,
  probeOsSandbox,
  type OsSandboxStatus,
} from '../../../../src/sandbox/pyodide/os-sandbox';
import {
  WINDOWS_UNAVAILABLE,
  bubblewrapArgs,
  bubblewrapLaunch,
  seatbeltProfile,
  type OsSandboxLaunch,
} from '../../../../src/sandbox/pyodide/os-sandbox-policy';
import { PyodideRunner } from '../../../../src/sandbox/pyodide/runner';
import { DEFAULT_LIMITS } from '../../../../src/sandbox/run-types';
import { TEST_SNAPSHOT_CACHE_DIR } from '../../snapshot-cache-dir';

const PROBE = path.resolve(__dirname, '../../../../../test/fixtures/os-sandbox/capability-probe.js');
const CAPABILITIES = [
  'tcp',
  'udp',
  'unixSocket',
  'ownLoopback',
  'readPasswd',
  'readParentEnviron',
  'write',
  'signalParent',
  'spawnShell',
  'hostName',
  'networkInterfaces',
] as const;
type Capability = (typeof CAPABILITIES)[number];
type Report = Record<Capability, { allowed: boolean; detail: string }>;

/** Host-side listeners the probe tries to reach; each records what arrived. */
class Listeners {
  tcpConnections = 0;
  unixConnections = 0;
  datagrams: string[] = [];
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'os-sandbox-probe-'));
  readonly unixPath = path.join(this.dir, 'host.sock');
  private readonly tcp = net.createServer((socket) => {
    this.tcpConnections++;
    socket.resume();
  });
  private readonly unix = net.createServer((socket) => {
    this.unixConnections++;
    socket.resume();
  });
  private readonly udp = dgram.createSocket('udp4');
  private readonly waiting: Array<{ text: string; resolve: () => void }> = [];

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.tcp.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => this.unix.listen(this.unixPath, resolve));
    await new Promise<void>((resolve) => this.udp.bind(0, '127.0.0.1', resolve));
    this.udp.on('message', (message) => {
      const text = message.toString();
      this.datagrams.push(text);
      for (const waiter of this.waiting.filter((w) => w.text === text)) waiter.resolve();
    });
  }

  get ports(): { tcpPort: number; udpPort: number } {
    return {
      tcpPort: (this.tcp.address() as net.AddressInfo).port,
      udpPort: this.udp.address().port,
    };
  }

  /**
   * Datagrams on one socket arrive in order: once a sentinel sent now has arrived, any datagram the
   * (already exited) probe managed to send has arrived too. No waiting for a timeout.
   */
  async settleDatagrams(): Promise<void> {
    const text = `sentinel ${Math.random()}`;
    const arrived = new Promise<void>((resolve) => this.waiting.push({ text, resolve }));
    const sender = dgram.createSocket('udp4');
    await new Promise<void>((resolve) =>
      sender.send(text, this.udp.address().port, '127.0.0.1', () => resolve()),
    );
    sender.close();
    await arrived;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.tcp.close(resolve));
    await new Promise((resolve) => this.unix.close(resolve));
    this.udp.close();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs the probe as the runner would run its worker: `[osSandbox] node [flags] script`. */
async function runProbe(
  listeners: Listeners,
  options: { osSandbox?: OsSandboxLaunch; nodeFlags: string[] },
): Promise<Report> {
  const config = JSON.stringify({
    hostPid: process.pid,
    hostName: os.hostname(),
    unixPath: listeners.unixPath,
    writableDir: listeners.dir,
    ...listeners.ports,
  });
  const nodeArgs = [...options.nodeFlags, PROBE, config];
  const [command, args] = options.osSandbox
    ? [options.osSandbox.command, [...options.osSandbox.args, process.execPath, ...nodeArgs]]
    : [process.execPath, nodeArgs];
  const before = listeners.datagrams.length;
  const child = spawn(command, args, { env: {}, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.equal(code, 0, `the probe failed: ${stdout} ${stderr}`);
  const report = JSON.parse(stdout) as Report;
  await listeners.settleDatagrams();
  const arrived = listeners.datagrams.slice(before).some((text) => text.startsWith('probe '));
  report.udp = { allowed: arrived, detail: `${report.udp.detail}; ${arrived ? 'arrived' : 'never arrived'}` };
  return report;
}

/** The libc this process has mapped (its path differs between distributions). */
function mappedLibc(): string {
  const libc = fs
    .readFileSync('/proc/self/maps', 'utf8')
    .split('\n')
    .map((line) => line.split(/\s+/).slice(5).join(' '))
    .find((file) => /\/libc(\.so\.6|-[\d.]+\.so)$/.test(file));
  assert.ok(libc, 'this process maps a libc');
  return libc;
}

function allowedOf(report: Report): Capability[] {
  return CAPABILITIES.filter((capability) => report[capability].allowed);
}

describe('OS sandbox: policy text', () => {
  it('bubblewrap: every namespace, no capabilities, a read-only root holding only what was bound', () => {
    const args = bubblewrapArgs([
      { source: '/opt/node/bin/node', target: '/opt/node/bin/node' },
      { source: '/srv/ext/dist', target: '/srv/ext/dist' },
    ]);
    for (const flag of [
      '--unshare-user',
      '--unshare-net',
      '--unshare-pid',
      '--unshare-ipc',
      '--unshare-uts',
      '--die-with-parent',
      '--new-session',
    ]) {
      assert.ok(args.includes(flag), flag);
    }
    assert.deepEqual(args.slice(args.indexOf('--cap-drop'), args.indexOf('--cap-drop') + 2), [
      '--cap-drop',
      'ALL',
    ]);
    const binds = args.flatMap((arg, index) => (arg === '--ro-bind' ? [args[index + 2]] : []));
    assert.deepEqual(binds, ['/opt/node/bin/node', '/srv/ext/dist']);
    assert.ok(!args.includes('--bind') && !args.includes('--tmpfs'), 'nothing writable is mounted');
    assert.ok(!args.some((arg) => arg.startsWith('/home')), 'no home');
    assert.ok(
      args.indexOf('--remount-ro') > args.lastIndexOf('--ro-bind'),
      'the root is made read-only last',
    );
  });

  it('bubblewrap with the network down: unshare makes the namespace and bubblewrap gets no --unshare-net', () => {
    const binds = [{ source: '/opt/node/bin/node', target: '/opt/node/bin/node' }];
    const launch = bubblewrapLaunch({
      bwrap: '/usr/bin/bwrap',
      unshare: '/usr/bin/unshare',
      network: 'down',
      binds,
      uid: 1000,
      gid: 1001,
    });
    assert.equal(launch.command, '/usr/bin/unshare');
    assert.equal(launch.network, 'down');
    const bwrapAt = launch.args.indexOf('/usr/bin/bwrap');
    assert.deepEqual(launch.args.slice(0, bwrapAt), ['--user', '--map-root-user', '--net', '--']);
    const bwrapArgs = launch.args.slice(bwrapAt + 1);
    assert.deepEqual(bwrapArgs.slice(0, 4), ['--uid', '1000', '--gid', '1001']);
    assert.ok(!bwrapArgs.includes('--unshare-net'), "bubblewrap's --unshare-net would bring lo up");
    assert.ok(!bwrapArgs.includes('--share-net'));
    assert.ok(
      bwrapArgs.includes('--unshare-user'),
      'a user namespace nested in unshare’s: no caps over its network',
    );
    const capDrop = bwrapArgs.indexOf('--cap-drop');
    assert.deepEqual(bwrapArgs.slice(capDrop, capDrop + 2), ['--cap-drop', 'ALL']);
    // The fallback keeps bubblewrap's own network namespace; the down network never goes without unshare.
    const loopback = bubblewrapLaunch({
      bwrap: '/usr/bin/bwrap',
      network: 'loopback',
      binds,
      uid: 1,
      gid: 1,
    });
    assert.equal(loopback.command, '/usr/bin/bwrap');
    assert.ok(loopback.args.includes('--unshare-net'));
    assert.throws(
      () => bubblewrapLaunch({ bwrap: '/usr/bin/bwrap', network: 'down', binds, uid: 1, gid: 1 }),
      /needs unshare/,
    );
  });

  it('bubblewrap for an Electron layout (binary, its libraries and data files beside it, resources/): the argv', function () {
    if (process.platform !== 'linux') this.skip();
    // VS Code on Linux: /usr/share/code/code (Electron, run as Node), libffmpeg.so and icudtl.dat,
    // v8_context_snapshot.bin beside it, resources/app/ under it; the extension lives in the user's home.
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'electron-layout-'));
    try {
      const appDir = path.join(root, 'share', 'code');
      fs.mkdirSync(path.join(appDir, 'resources', 'app'), { recursive: true });
      // A real ELF binary stands in for Electron, so the loader it names is found as for the real one.
      fs.copyFileSync(fs.realpathSync('/bin/true'), path.join(appDir, 'code'));
      for (const file of ['libffmpeg.so', 'icudtl.dat', 'v8_context_snapshot.bin', 'resources.pak']) {
        fs.writeFileSync(path.join(appDir, file), '');
      }
      fs.mkdirSync(path.join(root, 'bin'));
      fs.symlinkSync(path.join(appDir, 'code'), path.join(root, 'bin', 'code'));
      const libc = mappedLibc();
      const maps = [
        `00400000-00401000 r-xp 00000000 08:01 1 ${appDir}/code`,
        `7f0000000000-7f0000001000 r-xp 00000000 08:01 2 ${appDir}/libffmpeg.so`,
        `7f0000002000-7f0000003000 r--p 00000000 08:01 3 ${appDir}/icudtl.dat`,
        `7f0000004000-7f0000005000 r--p 00000000 08:01 4 ${appDir}/v8_context_snapshot.bin`,
        `7f0000006000-7f0000007000 r-xp 00000000 08:01 5 ${libc}`,
        `7f0000008000-7f0000009000 rw-s 00000000 00:01 6 /dev/shm/.org.chromium.Chromium.x (deleted)`,
        `7ffd00000000-7ffd00001000 rw-p 00000000 00:00 0 [stack]`,
      ].join('\n');
      const extensionDist = path.join(root, 'home', 'ann', '.vscode', 'extensions', 'sp', 'dist');
      fs.mkdirSync(extensionDist, { recursive: true });
      const binds = linuxRuntimeBinds(path.join(root, 'bin', 'code'), maps, [extensionDist]);
      const launch = bubblewrapLaunch({
        bwrap: '/usr/bin/bwrap',
        unshare: '/usr/bin/unshare',
        network: 'down',
        binds,
        uid: 1000,
        gid: 1000,
      });
      const bound = launch.args.flatMap((arg, index) =>
        arg === '--ro-bind' ? [`${launch.args[index + 1]} -> ${launch.args[index + 2]}`] : [],
      );
      const real = (file: string) => fs.realpathSync(file);
      const expected = [
        `${real(path.join(appDir, 'code'))} -> ${real(path.join(appDir, 'code'))}`,
        // The launcher symlink the editor runs is there too, pointing at the same binary.
        `${real(path.join(appDir, 'code'))} -> ${path.join(root, 'bin', 'code')}`,
        `${real(path.join(appDir, 'libffmpeg.so'))} -> ${path.join(appDir, 'libffmpeg.so')}`,
        `${real(libc)} -> ${libc}`,
        // The whole folder: resources/, the .pak files and the snapshot Electron opens after start-up.
        `${real(appDir)} -> ${appDir}`,
        `${real(extensionDist)} -> ${extensionDist}`,
      ];
      for (const line of expected) assert.ok(bound.includes(line), `${line} in\n${bound.join('\n')}`);
      const interpreter = bound.find((line) => /ld-linux|ld-musl|ld\.so/.test(line));
      assert.ok(interpreter, `the ELF loader is bound: ${bound.join('\n')}`);
      assert.ok(
        !bound.some((line) => line.includes('/dev/shm')),
        'a deleted shared-memory file is not bound',
      );
      assert.ok(!bound.some((line) => line.endsWith(`-> ${path.join(root, 'home')}`)), 'not the home folder');
      assert.ok(
        !bound.some((line) => / -> \/(usr\/)?(s?bin|lib|share)?$/.test(line)),
        'no system folder wholesale',
      );
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('bubblewrap on this machine binds the runtime and its libraries, never /home, /etc or /tmp', function () {
    if (process.platform !== 'linux') this.skip();
    const maps = fs.readFileSync('/proc/self/maps', 'utf8');
    const given = [scriptRoot(PROBE), pyodideDir()];
    const binds = linuxRuntimeBinds(process.execPath, maps, given);
    const targets = binds.map((bind) => bind.target);
    // The folders handed in are bound wherever the checkout lives (CI may clone under /tmp); the rule is
    // about everything else.
    const inGiven = (target: string) =>
      given.some((dir) => target === path.resolve(dir) || target.startsWith(`${path.resolve(dir)}/`));
    assert.ok(targets.includes(fs.realpathSync(process.execPath)));
    assert.ok(targets.includes(path.resolve(pyodideDir())));
    assert.ok(
      targets.some((target) => /libc\.so\.6$/.test(target)),
      'libc under the name the loader looks for',
    );
    for (const target of targets.filter((t) => !inGiven(t))) {
      assert.ok(!/^\/(home|etc|tmp|root|var)(\/|$)/.test(target), target);
      assert.ok(
        target !== '/usr' && target !== '/usr/lib' && target !== '/usr/bin',
        `${target} is too broad`,
      );
    }
  });

  it('Seatbelt: deny by default; no network, no writes but /dev/null, exec of the runtime only', () => {
    const profile = seatbeltProfile({
      nodePath: '/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper',
      readableDirs: ['/Users/ann/.vscode/extensions/sandbox-policy/dist', '/tmp/odd "quoted" \\ dir'],
    });
    const lines = profile.trim().split('\n');
    assert.equal(lines[0], '(version 1)');
    assert.equal(lines[1], '(deny default)');
    assert.ok(!/network/.test(profile), 'no network rule is allowed');
    assert.ok(!/process-fork/.test(profile), 'no new processes');
    assert.match(
      profile,
      /\(allow process-exec \(literal "\/Applications\/Visual Studio Code\.app\/Contents\/Frameworks\/Code Helper"\)\)/,
    );
    assert.match(profile, /\(subpath "\/Users\/ann\/\.vscode\/extensions\/sandbox-policy\/dist"\)/);
    assert.ok(
      profile.includes('(subpath "/tmp/odd \\"quoted\\" \\\\ dir")'),
      'quotes and backslashes are escaped',
    );
    assert.deepEqual(
      lines.filter((line) => line.includes('file-write')),
      ['(allow file-write-data (literal "/dev/null"))'],
    );
    assert.ok(!/\/Users\/ann"|\(subpath "\/Users"\)/.test(profile), 'no home folder');
  });

  it('Windows (platform mocked): no OS sandbox, and it says why', async () => {
    const status = await probeOsSandbox({
      platform: 'win32',
      nodePath: process.execPath,
      env: {},
      readableDirs: [],
    });
    assert.deepEqual(status, { available: false, reason: WINDOWS_UNAVAILABLE });
  });

  it('macOS without sandbox-exec (platform mocked on a machine that lacks it): unavailable, with why', async function () {
    if (fs.existsSync('/usr/bin/sandbox-exec')) this.skip();
    const status = await probeOsSandbox({
      platform: 'darwin',
      nodePath: process.execPath,
      env: {},
      readableDirs: [],
    });
    assert.deepEqual(status, { available: false, reason: 'sandbox-exec is missing from /usr/bin' });
  });
});

describe('OS sandbox: the runner setting', function () {
  this.timeout(120_000);

  it('required, where there is none (Windows mocked): every run is refused and says why', async () => {
    const runner = new PyodideRunner({ osSandbox: 'required', platform: 'win32', warmSpare: false });
    try {
      const result = await runner.run({ code: 'print(1)', filename: 'a.py', limits: DEFAULT_LIMITS });
      assert.equal(result.status, 'error');
      assert.equal(result.error?.name, 'SandboxStartError');
      assert.match(result.error?.value ?? '', /OS sandbox is required .*Windows has no sandbox/);
      assert.equal(result.stdout, '');
      assert.equal(result.boundaries?.osSandbox, 'none');
    } finally {
      await runner.dispose();
    }
  });

  it('required in thread isolation: refused (a thread of the host cannot be put in an OS sandbox)', async () => {
    const runner = new PyodideRunner({ osSandbox: 'required', isolation: 'thread', warmSpare: false });
    try {
      const result = await runner.run({ code: 'print(1)', filename: 'a.py', limits: DEFAULT_LIMITS });
      assert.equal(result.status, 'error');
      assert.match(result.error?.value ?? '', /OS sandbox is required .*inside the host process/);
    } finally {
      await runner.dispose();
    }
  });

  it('auto where there is none (Windows mocked) and off: the boundaries say so', async () => {
    const auto = new PyodideRunner({ osSandbox: 'auto', platform: 'win32', warmSpare: false });
    const off = new PyodideRunner({ osSandbox: 'off', warmSpare: false });
    assert.deepEqual(await auto.boundaries(), {
      jail: true,
      isolation: 'process',
      permissionModel: (await off.boundaries()).permissionModel,
      osSandbox: 'none',
      osSandboxNote: WINDOWS_UNAVAILABLE,
    });
    assert.equal((await off.boundaries()).osSandbox, 'none');
    assert.match((await off.boundaries()).osSandboxNote ?? '', /turned off/);
    await Promise.all([auto.dispose(), off.dispose()]);
  });

  it('rejects an unknown setting by name', () => {
    assert.throws(
      () => new PyodideRunner({ osSandbox: 'sometimes' as never, warmSpare: false }),
      /osSandbox must be "auto", "required" or "off", got "sometimes"/,
    );
  });
});

describe('OS sandbox: a capability probe in place of the jail worker (Linux, bubblewrap)', function () {
  this.timeout(120_000);
  let listeners: Listeners;
  let status: OsSandboxStatus;

  before(async function () {
    if (process.platform !== 'linux') this.skip();
    if (spawnSync('bwrap', ['--version']).status !== 0) {
      // test/setup-os-sandbox.mjs (run by npm run test:unit) installs it when it can.
      console.log('    bubblewrap is not installed (apt-get install bubblewrap): skipping the probe tests');
      this.skip();
    }
    status = await probeOsSandbox({
      platform: 'linux',
      nodePath: process.execPath,
      env: {},
      readableDirs: [scriptRoot(PROBE), pyodideDir()],
    });
    assert.ok(
      status.available,
      `bubblewrap is installed but does not work here: ${status.available || status.reason}`,
    );
    listeners = new Listeners();
    await listeners.start();
  });

  after(async () => {
    await listeners?.stop();
  });

  it('bare, with no flags: the probe can do every one of these (so it can tell)', async () => {
    const report = await runProbe(listeners, { nodeFlags: [] });
    const expected = CAPABILITIES.filter(
      // A machine whose only interface is loopback has nothing to reveal.
      (capability) =>
        capability !== 'networkInterfaces' || Object.keys(os.networkInterfaces()).some((n) => n !== 'lo'),
    );
    assert.deepEqual(allowedOf(report), expected, JSON.stringify(report, null, 2));
    assert.ok(listeners.tcpConnections > 0 && listeners.unixConnections > 0);
  });

  it('inside bubblewrap alone (no Node permission flags): none of them', async () => {
    assert.ok(status.available);
    const tcpBefore = listeners.tcpConnections;
    const unixBefore = listeners.unixConnections;
    const report = await runProbe(listeners, { osSandbox: status.launch, nodeFlags: [] });
    assert.deepEqual(allowedOf(report), [], JSON.stringify(report, null, 2));
    assert.equal(listeners.tcpConnections, tcpBefore);
    assert.equal(listeners.unixConnections, unixBefore);
    // Not merely "no listener there" (ECONNREFUSED, as behind an up loopback): no route at all.
    assert.equal(report.tcp.detail, 'ENETUNREACH', JSON.stringify(report.tcp));
    assert.match(report.udp.detail, /^ENETUNREACH;/, JSON.stringify(report.udp));
    assert.equal(report.ownLoopback.detail, 'ENETUNREACH', 'not even its own server on 127.0.0.1');
  });

  it('the network is down on this machine (unshare makes it), not bubblewrap’s own loopback', () => {
    assert.ok(status.available);
    assert.equal(status.launch.network, 'down', status.note);
    assert.equal(status.launch.command, findExecutable('unshare'));
    assert.equal(status.note, undefined);
  });

  it('bubblewrap’s own network namespace (the fallback where unshare cannot make one): only its loopback', async () => {
    assert.ok(status.available);
    const bwrap = findExecutable('bwrap');
    assert.ok(bwrap);
    const binds = linuxRuntimeBinds(process.execPath, fs.readFileSync('/proc/self/maps', 'utf8'), [
      scriptRoot(PROBE),
    ]);
    const launch = bubblewrapLaunch({ bwrap, network: 'loopback', binds, uid: 0, gid: 0 });
    const report = await runProbe(listeners, { osSandbox: launch, nodeFlags: [] });
    // What that fallback lacks, and the note says: the sandbox reaches a server of its own on 127.0.0.1.
    assert.deepEqual(allowedOf(report), ['ownLoopback'], JSON.stringify(report, null, 2));
    assert.equal(report.tcp.detail, 'ECONNREFUSED');
  });

  it('inside bubblewrap with the production flags: none of them', async () => {
    assert.ok(status.available);
    const hardening = sandboxNodeFlags({
      nodePath: process.execPath,
      workerScript: PROBE,
      pyodideDir: pyodideDir(),
      permissionModel: true,
    });
    const report = await runProbe(listeners, { osSandbox: status.launch, nodeFlags: hardening.flags });
    assert.deepEqual(allowedOf(report), [], JSON.stringify(report, null, 2));
  });

  it('a run through the runner is inside it, and the result says so', async () => {
    // Restored from the cached snapshot (inside bubblewrap too): a cold boot is not what this tests.
    const runner = new PyodideRunner({
      osSandbox: 'required',
      warmSpare: false,
      snapshots: true,
      snapshotCacheDir: TEST_SNAPSHOT_CACHE_DIR,
    });
    try {
      const result = await runner.run({
        code: 'print("inside")',
        filename: 'a.py',
        limits: DEFAULT_LIMITS,
      });
      assert.equal(result.status, 'ok', JSON.stringify(result.error));
      assert.equal(result.stdout, 'inside\n');
      assert.equal(result.boundaries?.osSandbox, 'bubblewrap');
      assert.equal(result.boundaries?.isolation, 'process');
    } finally {
      await runner.dispose();
    }
  });
});
