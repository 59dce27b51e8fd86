// Native functions reached through ctypes (`ctypes.windll.kernel32.VirtualAlloc`, a `WinDLL("kernel32")` or
// `CDLL("libc.so.6")` in a variable): each is native code, and the message says what the function is used
// for; those that start programs or download files are reported under the rule of what they do.
import type { RuleId } from '../../rules';
import { lookupTable } from '../../shared/lookup';

export interface NativeApi {
  rule: RuleId;
  what: string;
}

const TABLE: Record<string, NativeApi> = {};

function api(rule: RuleId, what: string, names: string): void {
  for (const name of names.trim().split(/\s+/)) TABLE[name] = { rule, what };
}

api(
  'command-execution',
  'starts a program through the Windows API',
  `WinExec ShellExecute ShellExecuteEx CreateProcess CreateProcessAsUser CreateProcessWithLogon
   CreateProcessWithToken`,
);
api(
  'command-execution',
  'runs a program through the C library',
  'system popen execv execve execvp execvpe execl execle execlp posix_spawn posix_spawnp',
);
api(
  'dynamic-code',
  'runs Python source through the C API',
  'PyRun_SimpleString PyRun_SimpleStringFlags PyRun_String PyRun_StringFlags PyEval_EvalCode',
);
api(
  'dynamic-code',
  'runs JavaScript source in the Emscripten runtime (Pyodide)',
  'emscripten_run_script emscripten_run_script_int emscripten_run_script_string',
);
api(
  'network-http',
  'downloads a URL to a file through the Windows API',
  'URLDownloadToFile URLDownloadToCacheFile',
);
api(
  'native-code',
  'allocates or re-protects memory so that it can run injected machine code',
  'VirtualAlloc VirtualAllocEx VirtualProtect VirtualProtectEx NtAllocateVirtualMemory NtProtectVirtualMemory',
);
api('native-code', "writes into another process's memory", 'WriteProcessMemory NtWriteVirtualMemory');
api(
  'native-code',
  "reads another process's memory",
  'ReadProcessMemory NtReadVirtualMemory MiniDumpWriteDump',
);
api(
  'native-code',
  'starts a thread in another process or on injected code',
  `CreateRemoteThread CreateRemoteThreadEx NtCreateThreadEx RtlCreateUserThread QueueUserAPC NtQueueApcThread
   SetThreadContext CreateThread`,
);
api('native-code', 'loads a native library into the process', 'LoadLibrary LoadLibraryEx LdrLoadDll');
api('native-code', 'looks up a native function by name', 'GetProcAddress');
api('native-code', 'opens another process', 'OpenProcess OpenThread');
api('native-code', 'copies raw memory', 'RtlMoveMemory RtlCopyMemory');
api('native-code', 'hooks keyboard or mouse input', 'SetWindowsHookEx GetAsyncKeyState');
api('native-code', 'changes the privileges of a process token', 'AdjustTokenPrivileges OpenProcessToken');

const APIS = lookupTable(TABLE);

/** The API a native function name is (`VirtualAlloc`, `CreateProcessW`, `LoadLibraryExA`, `system`), if known. */
export function windowsApi(name: string): NativeApi | undefined {
  return APIS[name] ?? (/[AW]$/.test(name) ? APIS[name.slice(0, -1)] : undefined);
}
