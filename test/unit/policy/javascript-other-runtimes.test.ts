// Bun's and Deno's own namespaces reach what Node's modules do: `Bun.spawn`, `Bun.$` (a shell),
// `new Deno.Command(...)`, `Deno.writeTextFile`, `Deno.remove`, `Deno.listen`, `Deno.dlopen`, reached by name,
// destructured, through the global object or under a computed name. Their harmless members and a local of
// the same name are not.
import { itFlags, itQuiet } from './helpers';

describe('javascript: Bun and Deno', () => {
  describe('reports', () => {
    itFlags(
      [
        ['Bun.spawn', 'Bun.spawn(["sh", "-c", cmd]);\n', 'command-execution', 1],
        [
          'Bun.spawnSync destructured',
          'const { spawnSync } = Bun;\nspawnSync(["id"]);\n',
          'command-execution',
          2,
        ],
        ['Bun’s shell', 'await Bun.$`ls ${dir}`;\n', 'command-execution', 1],
        ['Bun through the global object', 'globalThis["Bu" + "n"].spawn(["id"]);\n', 'command-execution', 1],
        ['Bun.write', 'await Bun.write("/etc/cron.d/x", line);\n', 'file-write', 1],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a Deno.Command',
          'new Deno.Command("sh", { args: ["-c", cmd] }).spawn();\n',
          'command-execution',
          1,
        ],
        [
          'Deno.run under a computed name',
          'const D = Deno;\nD["run"]({ cmd: ["id"] });\n',
          'command-execution',
          2,
        ],
        ['Deno.writeTextFile', 'await Deno.writeTextFile("/etc/x", "y");\n', 'file-write', 1],
        ['Deno.remove', 'await Deno.remove(path, { recursive: true });\n', 'file-delete', 1],
        ['Deno.listen', 'const server = Deno.listen({ port: 8080 });\n', 'network-socket', 1],
        ['Deno.dlopen', 'Deno.dlopen("./libx.so", {});\n', 'native-code', 1],
      ],
      'typescript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        ['harmless members', 'console.log(Bun.version, typeof Deno !== "undefined" && Deno.args);\n'],
        ['a local named Bun', 'const Bun = { spawn() {} };\nBun.spawn();\n'],
        ['the word in a string', 'console.log("Deno.run and Bun.spawn");\n'],
      ],
      'javascript',
    );
  });
});
