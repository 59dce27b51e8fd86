// The shape of a sink row (catalog/sinks.ts) and the argument checks a row can name (checks/index.ts).
import type { RuleId } from '../../rules';

/** How a call's arguments refine a finding (see sinks.ts). */
export type CallCheck =
  | 'subprocess' // shell=True, destructive command strings
  | 'shell-command' // always a shell: destructive command strings
  | 'open-mode' // file mode in any argument form; path outside the working directory
  | 'os-open-flags'
  | 'read-path' // a path argument outside the working directory
  | 'copy' // shutil.copy*(src, dst): dst is a write, src a read
  | 'rmtree'
  | 'yaml-load'
  | 'allow-pickle'
  | 'torch-load'
  | 'archive-mode' // tarfile.open/zipfile.ZipFile: a mode that writes
  | 'dbm-flag' // dbm.open: a flag that creates or writes
  | 'doctest' // runs the examples in the file's docstrings (analysed as embedded code)
  | 'thread' // only a finding when started in a loop
  | 'range' // huge ranges
  | 'alloc' // bytearray(n)/bytes(n) with a huge n
  | 'url' // a file: (or local_file:) URL is a file read
  | 'dns-lookup' // a host name computed at run time can carry data out
  | 'ruamel-yaml' // ruamel.yaml.YAML(typ=...) with a type that constructs arbitrary objects
  | 'debug-server' // a server started with the Werkzeug debugger runs code sent to it
  | 'trust-remote-code' // a hub loader told to run the repository's code
  | 'debug-switch'; // a setting stored by a call that turns on the Werkzeug debugger

export interface Sink {
  rule: RuleId;
  /** Short description used in messages, e.g. "runs a shell command". */
  what: string;
  check?: CallCheck;
  /**
   * Whether a mere reference (not a call) is a finding, e.g. `map(os.system, cmds)` or `os.environ`.
   * Defaults to true; false for sinks whose danger depends on the arguments.
   */
  onReference?: boolean;
}
