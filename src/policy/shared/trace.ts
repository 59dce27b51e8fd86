// The trace switch: with SANDBOX_POLICY_TRACE=1 in the environment (or `sandbox-policy check --trace`),
// the analyzers and the policy print to stderr why a finding was or was not reported (the values a name
// holds, the finding, the policy's decision), so that a false positive can be understood without a
// debugger (CONTRIBUTING.md).
import type { Node } from 'web-tree-sitter';
import { LineIndex } from '../text';
import type { Value } from './value';

export type Tracer = (line: string) => void;

/** Where `--trace` sends the trace (the CLI's stderr), while it is set. */
let routed: ((text: string) => void) | undefined;

/** Sends the trace to `write` (with or without SANDBOX_POLICY_TRACE) until called with undefined. */
export function routeTrace(write: ((text: string) => void) | undefined): void {
  routed = write;
}

/**
 * A tracer writing to the routed stream (`--trace`), or to stderr when SANDBOX_POLICY_TRACE=1, else
 * undefined (tracing costs nothing).
 */
export function tracerFromEnv(): Tracer | undefined {
  const write = routed ?? (process.env.SANDBOX_POLICY_TRACE === '1' ? writeStderr : undefined);
  return write && ((line) => write(`sandbox-policy trace: ${line}\n`));
}

function writeStderr(text: string): void {
  process.stderr.write(text);
}

/** `line:column` (1-based) of an offset, as the CLI prints positions. */
export function placeOf(text: string, offset: number): string {
  const position = new LineIndex(text).position(offset);
  return `${position.line + 1}:${position.column + 1}`;
}

/** A value as a trace shows it: `os.system`, `"ls"`, `namespace of os`, `unknown`. */
export function describeValue(value: Value): string {
  switch (value.k) {
    case 'q':
      return value.path === undefined ? value.q : `${value.q} (path ${JSON.stringify(value.path)})`;
    case 'inst':
      return `a ${value.q}${value.path === undefined ? '' : ` for ${JSON.stringify(value.path)}`}`;
    case 'ns':
      return `namespace of ${value.q}`;
    case 'nsget':
      return `${value.q}.get`;
    case 'typeof':
      return value.code ? 'the type of a function' : 'a type';
    case 'dynmod':
      return 'a module chosen at run time';
    case 'str':
      return JSON.stringify(value.v.length > 40 ? `${value.v.slice(0, 37)}...` : value.v);
    case 'bytes':
      return `bytes ${JSON.stringify(value.v.length > 40 ? `${value.v.slice(0, 37)}...` : value.v)}`;
    case 'num':
      return value.huge ? 'a huge number' : value.v.toString();
    case 'none':
      return 'None';
    case 'seq':
      return `a sequence of ${value.items.length}`;
    case 'dict':
      return `a dict with keys ${value.keys.join(', ')}`;
    case 'fn':
      return `the function at offset ${value.node.startIndex}`;
    case 'class':
      return `${value.instance ? 'an object of ' : ''}the class at offset ${value.node.startIndex}`;
    case 'partial':
      return `a partial of ${value.fn.map(describeValue).join(' | ')}`;
    case 'obj':
      return `an object with attributes ${value.keys.join(', ')}`;
    case 'getter':
      return `a getter of ${value.names?.join(', ') ?? 'computed names'}`;
    default:
      return 'unknown';
  }
}

export function describeValues(values: readonly Value[]): string {
  return values.length === 0 ? 'nothing known' : values.map(describeValue).join(' | ');
}

/** A use of a seed name: what it holds and whether the analysis follows it further. */
export function traceUse(
  tracer: Tracer,
  text: string,
  node: Node,
  name: string,
  values: readonly Value[],
  followed: boolean,
): void {
  tracer(
    `\`${name}\` at ${placeOf(text, node.startIndex)} holds ${describeValues(values)}: ${
      followed ? 'followed' : 'not followed (nothing the analysis tracks)'
    }`,
  );
}

/** The values computed for a node and its sub-expressions, outermost first (a finding's value chain). */
export function explainValues(
  node: Node,
  computed: (id: number) => readonly Value[] | undefined,
  textOf: (node: Node) => string,
): string[] {
  const out: string[] = [];
  const queue: Node[] = [node];
  for (let seen = 0; queue.length > 0 && seen < 24 && out.length < 8; seen++) {
    const current = queue.shift()!;
    const values = computed(current.id);
    if (values && values.some((value) => value.k !== 'opaque')) {
      const source = textOf(current).replace(/\s+/g, ' ');
      out.push(
        `\`${source.length > 50 ? `${source.slice(0, 47)}...` : source}\` holds ${describeValues(values)}`,
      );
    }
    for (const child of current.namedChildren) if (child) queue.push(child);
  }
  return out;
}

/** The value chain at a finding's place: `explainValues` of the node that spans it, if any. */
export function explainAt(
  tree: { descendantAt(start: number, end: number): Node | null | undefined },
  span: { startIndex: number; endIndex: number },
  computed: (id: number) => readonly Value[] | undefined,
  textOf: (node: Node) => string,
): string[] {
  const node = tree.descendantAt(span.startIndex, span.endIndex);
  return node ? explainValues(node, computed, textOf) : [];
}
