// Parameters typed by where a function sits: `self` in a method of a class whose base is a known class
// (a setuptools or distutils Command, whose `spawn` runs a program), and the first parameter of a function
// decorated as a task (`@invoke.task`, `@fabric.task`: the context whose `run`/`sudo` run commands).
// Keyed by canonical qualified names; the value is the instance class the parameter holds.
import { lookupTable } from '../../shared/lookup';

const SETUPTOOLS_COMMAND = 'setuptools.Command';
const DISTUTILS_COMMAND = 'distutils.cmd.Command';

/** Base classes whose subclasses' methods get an instance of the class as `self`. */
const BASES = lookupTable<string>({
  'setuptools.Command': SETUPTOOLS_COMMAND,
  'setuptools.command.Command': SETUPTOOLS_COMMAND,
  'setuptools._distutils.cmd.Command': DISTUTILS_COMMAND,
  'distutils.cmd.Command': DISTUTILS_COMMAND,
  'distutils.core.Command': DISTUTILS_COMMAND,
});
/** Packages of command classes (`setuptools.command.build_py.build_py`): each is a Command. */
const BASE_PACKAGES: ReadonlyArray<[prefix: string, instance: string]> = [
  ['setuptools.command.', SETUPTOOLS_COMMAND],
  ['distutils.command.', DISTUTILS_COMMAND],
  ['setuptools._distutils.command.', DISTUTILS_COMMAND],
];

/** Decorators (and decorator factories: `@task(...)`) whose function's first parameter is a context. */
export const TASK_DECORATORS = lookupTable<string>({
  'invoke.task': 'invoke.Context',
  'invoke.tasks.task': 'invoke.Context',
  'fabric.task': 'fabric.Connection',
  'fabric.tasks.task': 'fabric.Connection',
});

/** The instance class `self` holds in a subclass of `base`, if `base` is a known class. */
export function instanceOfBase(base: string): string | undefined {
  return BASES[base] ?? BASE_PACKAGES.find(([prefix]) => base.startsWith(prefix))?.[1];
}

/** Names the analyzer must follow for these (a base or decorator reached as `pkg.Name`). */
const RECEIVER_NAMES = [...Object.keys(BASES), ...Object.keys(TASK_DECORATORS)];

const PREFIXES = new Set(
  [...RECEIVER_NAMES, ...BASE_PACKAGES.map(([prefix]) => prefix.slice(0, -1))].flatMap((name) =>
    name.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.')),
  ),
);

/** Whether a qualified name is, or leads by its members to, a known base class or task decorator. */
export function leadsToReceiver(q: string): boolean {
  return PREFIXES.has(q) || instanceOfBase(q) !== undefined;
}
