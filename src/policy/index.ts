// The policy engine's public API (src/policy/ never imports vscode).
export type { AnalysisResult, Finding, Language, Position, Range, Severity, TextEdit } from './types';
export { SEVERITIES, atOrAbove, severityRank } from './types';
export {
  POLICY_SETTING_KEYS,
  PolicyConfigError,
  PolicyConfigSchema,
  defaultPolicy,
  patternError,
  policyJsonSchema,
  resolvePolicy,
  type CustomPattern,
  type PolicyConfig,
  type ResolvedPolicy,
} from './config';
export {
  DEFAULT_PRESET,
  PRESETS,
  PRESET_NAMES,
  isPresetName,
  type Preset,
  type PresetName,
  type RestrictedModule,
  type RuleSetting,
} from './presets';
export {
  RULES,
  RULE_IDS,
  UNREADABLE_SOURCE,
  isRuleId,
  ruleDocsUrl,
  ruleInfo,
  type RuleFamily,
  type RuleId,
  type RuleInfo,
  type ReportedRuleId,
} from './rules';
export {
  decodeSource,
  pythonCodingDeclaration,
  textProblem,
  unreadableFinding,
  type DecodeResult,
} from './source';
export { runtimeRestrictions } from './restrictions';
export { grammarFor, languageForPath } from './language';
export { PolicyEngine, type AnalyzeOptions } from './engine';
