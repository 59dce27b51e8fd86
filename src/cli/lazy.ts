// The parts of the CLI that a command loads only when it needs them. In dist/ each is a bundle of its own
// next to cli.js (esbuild.mjs turns these requires into `require("./cli-engine.js")` and so on), so that
// `check` on a warm cache parses neither the engine and its grammars, nor the runners, nor the language
// server; unbundled (out/, the tests) they are the modules themselves.
/* eslint-disable @typescript-eslint/no-require-imports -- a require() here is the point: it runs on demand */
import type * as CheckOne from './check-one';
import type * as PolicyConfig from '../policy/config';
import type * as Run from './run';
import type * as RunE2B from './run-e2b';
import type * as RunGate from './run-gate';
import type * as ServerMain from '../server/main';

/** The engine side of `check`: the file checker (web-tree-sitter, the analyzers) and its trace switch. */
export const loadCheckEngine = (): typeof CheckOne => require('./check-one') as typeof CheckOne;

/** The policy schema (zod, RE2): a warm `check` takes the resolved policy from the cache instead. */
export const loadPolicyConfig = (): typeof PolicyConfig => require('../policy/config') as typeof PolicyConfig;

export const loadRunCommand = (): typeof Run => require('./run') as typeof Run;

/** The gate of `run` (the engine, the policy schema): loaded once the local sandbox has started. */
export const loadRunGate = (): typeof RunGate => require('./run-gate') as typeof RunGate;

/** The E2B runner of `run --backend e2b` (its settings and limits store hold the zod schemas). */
export const loadRunE2B = (): typeof RunE2B => require('./run-e2b') as typeof RunE2B;

export const loadServer = (): typeof ServerMain => require('../server/main') as typeof ServerMain;
