// Checks a pasted E2B API key before it is stored. No vscode import; never echoes the key.

/** What is wrong with a pasted key, or undefined when it looks usable. Never echoes the key. */
export function validateApiKeyInput(value: string): string | undefined {
  const key = value.trim();
  if (key.length === 0) return 'Enter the API key from your E2B dashboard, or press Escape to cancel.';
  if (/\s/.test(key)) return 'An E2B API key has no spaces or line breaks.';
  if (key.length > 512) return 'That is too long to be an E2B API key.';
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(key)) return 'An E2B API key has no control characters.';
  return undefined;
}
