// Every string that leaves the E2B runner (events, results, errors, log lines) passes through here, so
// that the API key cannot leak even when a server or an SDK error message echoes it back.

export type Redactor = (text: string) => string;

export const REDACTED = '[redacted]';

/** Anything shaped like an E2B API key (`e2b_` + 32 or more hex digits), whoever's it is. */
const KEY_SHAPE = /\be2b_[0-9a-f]{32,}\b/gi;

export function createRedactor(secret: string): Redactor {
  const forms = new Set<string>();
  if (secret.length > 0) {
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(JSON.stringify(secret).slice(1, -1));
    forms.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  }
  const needles = [...forms].filter((form) => form.length >= 4).sort((a, b) => b.length - a.length);
  return (text: string): string => {
    let out = text;
    for (const needle of needles) out = out.split(needle).join(REDACTED);
    return out.replace(KEY_SHAPE, REDACTED);
  };
}
