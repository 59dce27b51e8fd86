// Calls that run (or compile) Python source given as an argument: where each takes the source. A constant
// source is analysed as embedded code, as `exec("...")` is, and what it does is reported at the call.
// Arguments that are not code are left out on purpose: `code.interact(banner=...)` prints its banner,
// `runpy.run_path(path)` takes a file name.
import { lookupTable } from '../../shared/lookup';

/** The source argument of a call: its position and the keywords it may be passed by. */
export interface CodeArgument {
  position: number;
  keywords: readonly string[];
}

const first = (...keywords: string[]): CodeArgument => ({ position: 0, keywords });
const second = (...keywords: string[]): CodeArgument => ({ position: 1, keywords });

export const CODE_ARGUMENTS = lookupTable<readonly CodeArgument[]>({
  'builtins.eval': [first('source', 'object')],
  'builtins.exec': [first('source', 'object')],
  'builtins.compile': [first('source', 'object')],
  // Interactive interpreters: each line or source pushed is compiled and run.
  'code.InteractiveConsole.push': [first('line')],
  'code.InteractiveConsole.runsource': [first('source')],
  'code.InteractiveConsole.runcode': [first('code')],
  'code.InteractiveInterpreter.runsource': [first('source')],
  'code.InteractiveInterpreter.runcode': [first('code')],
  'code.compile_command': [first('source')],
  'codeop.compile_command': [first('source')],
  // Subinterpreters: the script runs in another interpreter of the same process.
  '_xxsubinterpreters.run_string': [second('script', 'code')],
  '_xxsubinterpreters.exec': [second('code')],
  '_interpreters.run_string': [second('script', 'code')],
  '_interpreters.exec': [second('code')],
  'concurrent.interpreters.Interpreter.exec': [first('code')],
  'concurrent.interpreters.Interpreter.run': [first('code')],
  '_testcapi.run_in_subinterp': [first('code')],
  '_testcapi.run_in_subinterp_with_config': [first('code')],
  '_testinternalcapi.run_in_subinterp_with_config': [first('code')],
  'test.support.run_in_subinterp': [first('code')],
  'test.support.run_in_subinterp_with_config': [first('code')],
  // Runners that take a statement (and a set-up statement) as a string.
  'timeit.timeit': [first('stmt'), second('setup')],
  'timeit.repeat': [first('stmt'), second('setup')],
  'timeit.Timer': [first('stmt'), second('setup')],
  'pdb.run': [first('statement')],
  'pdb.runeval': [first('expression')],
  'pdb.runctx': [first('statement')],
  'cProfile.run': [first('statement')],
  'cProfile.runctx': [first('statement')],
  'profile.run': [first('statement')],
  'profile.runctx': [first('statement')],
  'trace.Trace.run': [first('cmd')],
  'trace.Trace.runctx': [first('cmd')],
  'doctest.debug_src': [first('src')],
});
