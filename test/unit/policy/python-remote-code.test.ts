// Hugging Face loaders with trust_remote_code=True download the repository's Python files and run them:
// dynamic code, whatever class loads (every from_pretrained of transformers and diffusers) and however
// the flag is passed. Without the flag, or with it false, loading weights is not a finding.
import assert from 'node:assert/strict';
import { check, itFlags, itQuiet } from './helpers';

describe('python: trust_remote_code on model and dataset hubs', () => {
  itFlags([
    [
      'AutoModelForCausalLM.from_pretrained',
      'from transformers import AutoModelForCausalLM\nm = AutoModelForCausalLM.from_pretrained("org/model", trust_remote_code=True)',
      'dynamic-code',
      2,
    ],
    [
      'a model class reached through the module, on a later line',
      'import transformers as tf\nname = "org/model"\ntok = tf.AutoTokenizer.from_pretrained(\n    name,\n    trust_remote_code=True,\n)',
      'dynamic-code',
      5,
    ],
    [
      'AutoConfig with the flag in a splatted dict',
      'from transformers import AutoConfig\nopts = {"trust_remote_code": True}\nAutoConfig.from_pretrained("org/m", **opts)',
      'dynamic-code',
      3,
    ],
    [
      'a class of a submodule',
      'from transformers.models.auto import AutoModelForSeq2SeqLM\nAutoModelForSeq2SeqLM.from_pretrained(p, trust_remote_code=True)',
      'dynamic-code',
      2,
    ],
    [
      'pipeline',
      'from transformers import pipeline\npipe = pipeline("text-generation", model="org/m", trust_remote_code=True)',
      'dynamic-code',
      2,
    ],
    [
      'datasets.load_dataset',
      'import datasets\nds = datasets.load_dataset("org/ds", trust_remote_code=True)',
      'dynamic-code',
      2,
    ],
    [
      'a flag computed at run time',
      'from transformers import AutoModel\nAutoModel.from_pretrained(p, trust_remote_code=args.trust)',
      'dynamic-code',
      2,
    ],
    [
      'a diffusers pipeline',
      'from diffusers import DiffusionPipeline\nDiffusionPipeline.from_pretrained(p, custom_pipeline="x", trust_remote_code=True)',
      'dynamic-code',
      2,
    ],
    [
      'sentence-transformers',
      'from sentence_transformers import SentenceTransformer\nSentenceTransformer("org/m", trust_remote_code=True)',
      'dynamic-code',
      2,
    ],
  ]);
  itQuiet([
    [
      'from_pretrained without the flag',
      'from transformers import AutoModel, AutoTokenizer\nAutoModel.from_pretrained("bert-base-uncased")\nAutoTokenizer.from_pretrained("bert-base-uncased")',
    ],
    [
      'trust_remote_code=False',
      'from transformers import AutoModelForCausalLM\nAutoModelForCausalLM.from_pretrained("org/m", trust_remote_code=False)',
    ],
    [
      'load_dataset and pipeline without the flag',
      'from datasets import load_dataset\nfrom transformers import pipeline\nload_dataset("imdb")\npipeline("sentiment-analysis")',
    ],
    [
      'a from_pretrained of another library with the flag',
      'from mylib import Model\nModel.from_pretrained("x", trust_remote_code=True)',
    ],
    [
      'a model class picked by a computed name',
      'import transformers\ncls = getattr(transformers, config.architectures[0])',
    ],
  ]);

  it('is a violation in the data-science, production and strict presets', async () => {
    const code =
      'from transformers import AutoModel\nAutoModel.from_pretrained("org/m", trust_remote_code=True)';
    for (const [preset, severity] of [
      ['data_science', 'MEDIUM'],
      ['production', 'HIGH'],
      ['strict', 'HIGH'],
    ] as const) {
      const finding = (await check(code, { config: { preset } })).find((f) => f.ruleId === 'dynamic-code');
      assert.equal(finding?.severity, severity, preset);
      assert.equal(finding?.violation, true, preset);
      assert.match(finding?.message ?? '', /trust_remote_code=True runs Python code downloaded from the hub/);
    }
  });
});
