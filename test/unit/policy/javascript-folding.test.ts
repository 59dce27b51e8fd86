// Constant folding with JavaScript's semantics (issue 11): what JavaScript folds to a dangerous name is
// reported, and what only Python's rules would produce (`"eval" * 1` as a string, `%` formatting, list
// repetition, unbounded shifts) is not.
import { itFlags, itQuiet } from './helpers';

describe('javascript constant folding', () => {
  describe('folds to a dangerous name as JavaScript does', () => {
    itFlags(
      [
        [
          '+ with an array operand (ToPrimitive joins it)',
          'globalThis["ev" + ["al"]]("1");\n',
          'dynamic-code',
          1,
        ],
        ['+ of two arrays', 'require(["child"] + ["_process"]).exec("ls");\n', 'command-execution', 1],
        ['a template literal', 'require(`child_${"process"}`).exec("ls");\n', 'command-execution', 1],
        [
          'a template with a joined array',
          'globalThis[`${["e", "v", "a", "l"].join("")}`]("1");\n',
          'dynamic-code',
          1,
        ],
        [
          'a boolean spelled by +',
          'const name = "tru" + "e" === String(true) ? "eval" : "nothing";\nglobalThis[name]("1");\n',
          'dynamic-code',
          2,
        ],
        [
          'String.fromCharCode',
          'globalThis[String.fromCharCode(101, 118, 97, 108)]("1");\n',
          'dynamic-code',
          1,
        ],
        [
          'String.fromCharCode of a spread array',
          'globalThis[String.fromCharCode(...[101, 118, 97, 108])]("1");\n',
          'dynamic-code',
          1,
        ],
        ['atob', 'require(atob("Y2hpbGRfcHJvY2Vzcw==")).exec("ls");\n', 'command-execution', 1],
        [
          'Buffer.from(..., "base64").toString()',
          'require(Buffer.from("Y2hpbGRfcHJvY2Vzcw==", "base64").toString()).execSync("ls");\n',
          'command-execution',
          1,
        ],
        [
          'Buffer.from(..., "hex").toString()',
          'require(Buffer.from("6368696c645f70726f63657373", "hex").toString("utf8")).execSync("ls");\n',
          'command-execution',
          1,
        ],
        [
          'Buffer.from of char codes',
          'require(Buffer.from([99, 104, 105, 108, 100, 95, 112, 114, 111, 99, 101, 115, 115]).toString()).exec("ls");\n',
          'command-execution',
          1,
        ],
        [
          'split, reverse and join',
          'require("ssecorp_dlihc".split("").reverse().join("")).exec("ls");\n',
          'command-execution',
          1,
        ],
        [
          'a spread string reversed',
          'require([..."ssecorp_dlihc"].reverse().join("")).exec("ls");\n',
          'command-execution',
          1,
        ],
        ['String concat', 'require("child_".concat("process")).exec("ls");\n', 'command-execution', 1],
        [
          'array concat and join',
          'require(["child"].concat(["process"]).join("_")).exec("ls");\n',
          'command-execution',
          1,
        ],
        ['slice', 'require("xxchild_process".slice(2)).exec("ls");\n', 'command-execution', 1],
        ['substring', 'require("child_processxx".substring(0, 13)).exec("ls");\n', 'command-execution', 1],
        [
          'replace with a $& pattern',
          'globalThis["ev".replace("v", "$&a") + "l"]("1");\n',
          'dynamic-code',
          1,
        ],
        ['a number in base 36', 'globalThis[(693741).toString(36)]("1");\n', 'dynamic-code', 1],
        [
          'decodeURIComponent',
          'require(decodeURIComponent("%63hild_process")).exec("ls");\n',
          'command-execution',
          1,
        ],
        ['String() of an array', 'require(String(["child_process"])).exec("ls");\n', 'command-execution', 1],
        [
          'Array.from a string',
          'require(Array.from("child_process").join("")).exec("ls");\n',
          'command-execution',
          1,
        ],
        ['a power of two as a size', 'Buffer.alloc(2 ** 40);\n', 'resource-exhaustion', 1],
      ],
      'javascript',
    );
  });

  describe('does not fold what JavaScript would not produce', () => {
    itQuiet(
      [
        ['a string times a number (NaN)', 'globalThis["eval" * 1]("1");\n'],
        ['a string repeated with * (NaN)', 'globalThis["ev" + "al" * 1]("1");\n'],
        ['% formatting (NaN)', 'globalThis["%sal" % "ev"]("1");\n'],
        ['a string minus a string (NaN)', 'globalThis["evalx" - "x"]("1");\n'],
        ['an array times a number (NaN)', 'globalThis[["eval"] * 1]("1");\n'],
        ['atob of URL-safe characters (throws)', 'globalThis[atob("ZXZh_A==")]("1");\n', 'dynamic-code'],
        ['a shift past 32 bits (wraps)', 'new Array(1 << 40);\n'],
        [
          'a shadowed atob',
          'function atob(s) { return "x"; }\nglobalThis[atob("ZXZhbA==")]("1");\n',
          'dynamic-code',
        ],
        [
          'a shadowed String',
          'const String = { fromCharCode: () => "x" };\nglobalThis[String.fromCharCode(101, 118, 97, 108)]("1");\n',
          'dynamic-code',
        ],
        ['a repeat of Infinity (throws)', '"x".repeat(2 ** 1024);\n'],
        ['split with a limit', 'globalThis["e|v|a|l".split("|", 3).join("")]("1");\n'],
      ],
      'javascript',
    );
  });
});
