// A dangerous value handed on by throwing it (src/policy/javascript/handoffs.ts: the `catch` around the
// throw, in the same function or around a call of the function that throws) or by settling a promise with
// it (promises.ts: an executor's resolve or reject, `Promise.resolve`, `Promise.reject`), and read back
// through the catch parameter, `.then`, `.catch` or `await`. Errors and constants thrown or resolved stay
// quiet. `Promise.resolve(cp).then(...)` and `await Promise.resolve(cp)` were followed before (the
// propagators' examples, adversarial-javascript).
import { itFlags, itQuiet } from './helpers';

const CP = 'const cp = require("child_process");\n';

describe('javascript: values handed on by throw and by promises', () => {
  describe('reports', () => {
    itFlags(
      [
        [
          'throw cp, caught as e',
          `${CP}try {\n  throw cp;\n} catch (e) {\n  e.exec("id");\n}\n`,
          'command-execution',
          5,
        ],
        [
          'throw an object, destructured by the catch',
          `${CP}try { throw { m: cp } } catch ({ m }) {\n  m.exec("id");\n}\n`,
          'command-execution',
          3,
        ],
        ['throw eval', 'try { throw eval } catch (e) {\n  e("x");\n}\n', 'dynamic-code', 2],
        [
          'a try without catch lets it through',
          `${CP}try {\n  try { throw cp } finally {}\n} catch (e) {\n  e.exec("id");\n}\n`,
          'command-execution',
          5,
        ],
        [
          'a function that throws, called in the try',
          `${CP}function t() { throw cp }\ntry { t() } catch (e) {\n  e.exec("id");\n}\n`,
          'command-execution',
          4,
        ],
        [
          'an async function that throws, awaited',
          `${CP}async function t() { throw cp }\nasync function m() {\n  try { await t() } catch (e) { e.exec("id") }\n}\n`,
          'command-execution',
          4,
        ],
        [
          'a callback that throws',
          `${CP}try { [1].forEach(() => { throw cp }) } catch (e) {\n  e.exec("id");\n}\n`,
          'command-execution',
          3,
        ],
        [
          'new Promise resolved by its executor',
          `${CP}new Promise((r) => r(cp)).then((m) => {\n  m.exec("id");\n});\n`,
          'command-execution',
          3,
        ],
        [
          'an executor written as a function',
          `${CP}new Promise(function (resolve, reject) { resolve(cp) }).then(function (m) {\n  m.exec("id");\n});\n`,
          'command-execution',
          3,
        ],
        [
          'rejected and caught',
          `${CP}new Promise((ok, fail) => fail(cp)).catch((m) => {\n  m.exec("id");\n});\n`,
          'command-execution',
          3,
        ],
        [
          'the promise kept in a variable',
          `${CP}const p = new Promise((r) => r(cp));\np.then((m) => m.exec("id"));\n`,
          'command-execution',
          3,
        ],
        [
          'resolved later and awaited',
          `${CP}async function g() {\n  const m = await new Promise((ok) => setTimeout(() => ok(cp), 1));\n  m.execSync("id");\n}\n`,
          'command-execution',
          4,
        ],
        [
          'Promise.reject(cp).catch',
          `${CP}Promise.reject(cp).catch((m) => m.exec("id"));\n`,
          'command-execution',
          2,
        ],
      ],
      'javascript',
    );
    itFlags(
      [
        [
          'a typed catch parameter',
          `${CP}try { throw cp } catch (e: any) {\n  e.exec("id");\n}\n`,
          'command-execution',
          3,
        ],
        [
          'a typed promise',
          `${CP}new Promise<any>((r) => r(cp)).then((m) => {\n  m.exec("id");\n});\n`,
          'command-execution',
          3,
        ],
      ],
      'typescript',
    );
  });

  describe('stays quiet on', () => {
    itQuiet(
      [
        ['throw new Error', 'try { throw new Error("x") } catch (e) { console.log(e.message) }\n'],
        ['a thrown string', 'try { throw "boom" } catch (e) { e.exec("id") }\n'],
        [
          'an error thrown beside a module',
          `${CP}try { throw new Error("x") } catch (e) { e.exec("id") }\n`,
          'command-execution',
        ],
        [
          'a throw in the catch itself, with no try around',
          `${CP}try { run() } catch (x) { throw cp }\n`,
          'command-execution',
        ],
        ['a promise of a number', 'new Promise((r) => r(1)).then((m) => m.exec("id"));\n'],
        [
          'a resolve function not of a promise',
          `${CP}function each(r) { r(cp) }\nnew Thing((r) => r(1)).then((m) => m.exec("id"));\n`,
          'command-execution',
        ],
      ],
      'javascript',
    );
  });
});
