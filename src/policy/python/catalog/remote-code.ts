// Model and dataset loaders that take `trust_remote_code` (checks/trust-remote-code.ts). Every
// `from_pretrained` of these libraries' classes takes it (the Auto* classes, pipelines, tokenizers,
// configurations, processors), so the classes are matched by the method rather than listed one by one.
import type { Sink } from './sink-types';

/** Libraries whose `<Class>.from_pretrained` loads a repository that may hold code. */
const FROM_PRETRAINED_LIBRARIES = new Set(['transformers', 'diffusers']);

/** Functions and classes (by canonical name) that take `trust_remote_code` directly (a row per library
 * also makes the library a module the analyzer follows). */
export const REMOTE_CODE_LOADERS = `transformers.pipeline transformers.pipelines.pipeline datasets.load_dataset
  datasets.load_dataset_builder datasets.get_dataset_config_names datasets.get_dataset_split_names
  datasets.get_dataset_infos evaluate.load sentence_transformers.SentenceTransformer
  sentence_transformers.CrossEncoder vllm.LLM diffusers.DiffusionPipeline.from_pretrained`;

export const REMOTE_CODE_SINK: Sink = {
  rule: 'dynamic-code',
  what: 'loads a model or dataset, whose repository may hold code',
  check: 'trust-remote-code',
  onReference: false,
};

/** `transformers.AutoModelForCausalLM.from_pretrained`, `diffusers.DiffusionPipeline.from_pretrained`... */
export function fromPretrained(q: string): Sink | undefined {
  if (!q.endsWith('.from_pretrained')) return undefined;
  const top = q.slice(0, q.indexOf('.'));
  return FROM_PRETRAINED_LIBRARIES.has(top) && q.split('.').length >= 3 ? REMOTE_CODE_SINK : undefined;
}

/** A class or module of those libraries: its members may lead to a `from_pretrained`. */
export function leadsToFromPretrained(q: string): boolean {
  const dot = q.indexOf('.');
  return FROM_PRETRAINED_LIBRARIES.has(dot === -1 ? q : q.slice(0, dot));
}
