// The classes behind Node's factory functions do what the factories do: `new cp.ChildProcess().spawn(...)`
// runs a program as `cp.spawn` does, `new http.ClientRequest(url)` is `http.request(url)`, `new net.Server()`
// is `net.createServer()`, `new fs.WriteStream(path)` is `fs.createWriteStream(path)`; `process.execve`
// replaces the process with another program. A class only compared with (`x instanceof net.Socket`) is
// never run.
import { itFlags, itQuiet } from './helpers';

describe('javascript: the classes behind the factories', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'a ChildProcess constructed and spawned',
          'const cp = require("child_process");\nnew cp.ChildProcess().spawn({ file: "sh", args: ["sh", "-c", cmd] });\n',
          'command-execution',
          2,
        ],
        [
          'ChildProcess destructured',
          'const { ChildProcess } = require("node:child_process");\nconst c = new ChildProcess();\nc.spawn(options);\n',
          'command-execution',
        ],
        [
          'the process replaced by execve',
          'process.execve("/bin/sh", ["sh", "-c", cmd]);\n',
          'command-execution',
          1,
        ],
        [
          'an http.ClientRequest',
          'const http = require("http");\nnew http.ClientRequest("http://x.example/").end();\n',
          'network-http',
          2,
        ],
        [
          'an undici Client',
          'const { Client } = require("undici");\nnew Client("http://x.example").request({ path: "/", method: "GET" });\n',
          'network-http',
        ],
        [
          'an undici Pool by member',
          'const undici = require("undici");\nnew undici.Pool(origin).request({ path: "/" });\n',
          'network-http',
          2,
        ],
        [
          'a net.Server',
          'const net = require("net");\nnew net.Server().listen(8080);\n',
          'network-socket',
          2,
        ],
        [
          'a net.Stream',
          'const net = require("net");\nnew net.Stream().connect(80, host);\n',
          'network-socket',
          2,
        ],
        [
          'a tls.TLSSocket',
          'const tls = require("node:tls");\nnew tls.TLSSocket(socket).connect();\n',
          'network-socket',
          2,
        ],
        [
          'a dgram.Socket',
          'const dgram = require("dgram");\nnew dgram.Socket("udp4").send(buf, 53, host);\n',
          'network-socket',
          2,
        ],
        [
          'an http2 server',
          'const http2 = require("http2");\nhttp2.createServer().listen(8080);\n',
          'network-socket',
          2,
        ],
        [
          'an fs.WriteStream',
          'const fs = require("fs");\nnew fs.WriteStream("/etc/cron.d/x").write(line);\n',
          'file-write',
          2,
        ],
        [
          'an fs.ReadStream outside the working directory',
          'const fs = require("fs");\nnew fs.ReadStream("/etc/shadow").pipe(out);\n',
          'read-outside-workdir',
          2,
        ],
      ],
      'javascript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        [
          'classes compared with by instanceof',
          'const net = require("net");\nconst cp = require("child_process");\nif (s instanceof net.Socket || c instanceof cp.ChildProcess) s.end();\n',
          'network-socket',
        ],
        [
          'a child process compared with by instanceof',
          'const { ChildProcess } = require("child_process");\nconsole.log(c instanceof ChildProcess);\n',
          'command-execution',
        ],
        [
          'an https.Agent for keep-alive',
          'const https = require("https");\nconst agent = new https.Agent({ keepAlive: true });\n',
          'network-socket',
        ],
        [
          'an undici Agent set as the dispatcher',
          'const { Agent, setGlobalDispatcher } = require("undici");\nsetGlobalDispatcher(new Agent({ connect: { timeout: 1000 } }));\n',
          'network-http',
        ],
        [
          'an fs.ReadStream inside the working directory',
          'const fs = require("fs");\nnew fs.ReadStream("./data.csv").pipe(out);\n',
          'read-outside-workdir',
        ],
      ],
      'javascript',
    );
  });
});
