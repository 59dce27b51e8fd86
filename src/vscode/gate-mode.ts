// What Run Sandboxed does when the policy gate finds violations: refuse (the default), ask the user, or
// run and show them as warnings. The `production` and `strict` presets exist to keep code from running
// when it breaks the policy, so under them the setting is ignored and the gate always refuses.

export type GateMode = 'ask' | 'refuse' | 'warn';

export const GATE_MODES: readonly GateMode[] = ['ask', 'refuse', 'warn'];

/** Presets under which a violation always refuses the run, whatever `sandboxPolicy.gateMode` says. */
export const REFUSE_ONLY_PRESETS: readonly string[] = ['production', 'strict'];

export function effectiveGateMode(preset: string, configured: GateMode): GateMode {
  return REFUSE_ONLY_PRESETS.includes(preset) ? 'refuse' : configured;
}
