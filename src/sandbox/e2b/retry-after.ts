// The SDK turns a 429 into `RateLimitError` and drops the response's Retry-After header. Both the undici
// package the SDK uses and Node's built-in fetch publish response headers on the `undici:request:headers`
// diagnostics channel, so the runner listens there, only while it creates a sandbox, and only for the
// control plane's create endpoint. Nothing but the Retry-After value is read.
import diagnostics from 'node:diagnostics_channel';

interface HeadersMessage {
  request: { origin?: unknown; path?: unknown; method?: unknown };
  response: { statusCode?: unknown; headers?: unknown };
}

export interface RetryAfterWatch {
  /** Seconds E2B asked to wait in its last 429 reply to a create, if it said. */
  seconds(): number | undefined;
  dispose(): void;
}

const CHANNEL = 'undici:request:headers';

export function watchRetryAfter(apiUrl: string, now: () => number = Date.now): RetryAfterWatch {
  let origin: string;
  try {
    origin = new URL(apiUrl).origin;
  } catch {
    return { seconds: () => undefined, dispose: () => undefined };
  }
  let seconds: number | undefined;
  const onMessage = (message: unknown): void => {
    const { request, response } = message as HeadersMessage;
    if (response?.statusCode !== 429 || typeof request?.path !== 'string') return;
    if (!request.path.startsWith('/v2/sandboxes') || originOf(request.origin) !== origin) return;
    const value = headerValue(response.headers, 'retry-after');
    if (value !== undefined) seconds = parseRetryAfter(value, now());
  };
  diagnostics.subscribe(CHANNEL, onMessage);
  return {
    seconds: () => seconds,
    dispose: () => diagnostics.unsubscribe(CHANNEL, onMessage),
  };
}

function originOf(value: unknown): string | undefined {
  try {
    return new URL(String(value)).origin;
  } catch {
    return undefined;
  }
}

/** undici gives raw headers as [name, value, name, value, …] (Buffers or strings). */
function headerValue(headers: unknown, name: string): string | undefined {
  if (!Array.isArray(headers)) return undefined;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
  }
  return undefined;
}

/** Retry-After is delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
