// A `data:` URL as a module specifier is code: Node loads `import("data:text/javascript,...")`,
// `import "data:..."` and `export * from "data:..."` from the URL's own text. A constant URL's text
// (percent- or base64-decoded) is analysed as part of the file; a URL built from a constant `data:` start
// is reported as well.
import { itFlags, itQuiet } from './helpers';

describe('javascript: data: URLs imported as modules', () => {
  describe('reports', () => {
    itFlags(
      [
        ['import() of a data: URL', 'import("data:text/javascript,console.log(1)");\n', 'dynamic-code', 1],
        [
          'import() of a data: URL built by concatenation',
          'const code = "export default 1";\nawait import("data:text/javascript," + encodeURIComponent(code));\n',
          'dynamic-code',
          2,
        ],
        [
          'import() of a data: URL built by a template',
          'await import(`data:text/javascript;base64,${payload}`);\n',
          'dynamic-code',
          1,
        ],
        [
          'the code inside a percent-encoded data: URL',
          'import("data:text/javascript,import%20cp%20from%20%22child_process%22%3B%20cp.execSync(%22id%22)");\n',
          'command-execution',
          1,
        ],
        [
          'the code inside a base64 data: URL',
          'const url = "data:text/javascript;base64,aW1wb3J0IGNwIGZyb20gImNoaWxkX3Byb2Nlc3MiOyBjcC5leGVjU3luYygiaWQiKTs=";\nimport(url);\n',
          'command-execution',
          2,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a static import of a data: URL',
          'import "data:text/javascript,process.exit(1)";\n',
          'dynamic-code',
          1,
        ],
        [
          'a re-export from a data: URL',
          'export * from "data:text/javascript,export const x = 1";\n',
          'dynamic-code',
          1,
        ],
        [
          'the code of a statically imported data: URL',
          "import { x } from \"data:text/javascript,import { execSync } from 'child_process'; export const x = execSync('id')\";\n",
          'command-execution',
          1,
        ],
      ],
      'typescript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        ['import() of a relative module', 'const m = await import("./plugin.js");\nm.run();\n'],
        ['a JSON import', 'import data from "./data.json" with { type: "json" };\nconsole.log(data);\n'],
        ['a data: URL that is only a string', 'const s = "data:text/plain,hi";\nconsole.log(s);\n'],
      ],
      'javascript',
    );
  });
});
