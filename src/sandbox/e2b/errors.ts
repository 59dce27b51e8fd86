// Turns whatever the SDK or the network threw into a message the user can act on. Errors are matched by
// name (not `instanceof`), so a bundled copy of the SDK classes still matches. The SDK's own text is only
// ever shown as redacted, shortened detail.
import type { LimitKind, RunError, RunStatus } from '../run-types';
import { formatDuration } from '../limits';
import type { Redactor } from './redact';

export type Phase = 'create' | 'upload' | 'run' | 'kill';

export interface Ending {
  status: RunStatus;
  error?: RunError;
  limit?: { kind: LimitKind; message: string };
}

export interface FailureContext {
  phase: Phase;
  /** host[:port] of the control plane (create, kill) and of the sandbox plane (upload, run). */
  apiHost: string;
  sandboxHost: string;
  redact: Redactor;
  /** What E2B's Retry-After said on a 429, if anything. */
  retryAfterSeconds?: number;
  /** The request timeout that applies to the phase, for "no answer within N s". */
  requestTimeoutSeconds: number;
  lifetimeSeconds: number;
  now?: number;
}

export const SET_KEY_HINT =
  'set it again with "Sandbox Policy: Set E2B API Key" (or E2B_API_KEY for the CLI)';

const PHASE_WORDS: Record<Phase, string> = {
  create: 'creating the sandbox',
  upload: 'uploading the files',
  run: 'running the program',
  kill: 'stopping the sandbox',
};

export function describeFailure(error: unknown, context: FailureContext): Ending {
  const { phase, redact } = context;
  const host = phase === 'create' || phase === 'kill' ? context.apiHost : context.sandboxHost;
  const name = errorName(error);
  const detail = shortDetail(error, redact);
  const fail = (errorName: string, value: string): Ending => ({
    status: 'error',
    error: { name: errorName, value: redact(value), traceback: '' },
  });

  switch (name) {
    case 'AuthenticationError':
      return phase === 'create' || phase === 'kill'
        ? fail('E2BAuthenticationError', `E2B rejected the API key (HTTP 401); ${SET_KEY_HINT}.`)
        : fail(
            'E2BAuthenticationError',
            `The E2B sandbox refused access while ${PHASE_WORDS[phase]} (HTTP 401); run again, and if it ` +
              `persists ${SET_KEY_HINT}.`,
          );
    case 'RateLimitError': {
      const wait = context.retryAfterSeconds;
      const when =
        wait === undefined
          ? 'E2B did not say for how long; wait a minute before the next run.'
          : `retry in ${formatDuration(wait * 1000)}` +
            (context.now === undefined ? '.' : ` (after ${clockTime(context.now + wait * 1000)}).`);
      return {
        status: 'rate-limited',
        limit: {
          kind: 'rate',
          message: `E2B answered "too many requests" (HTTP 429) while ${PHASE_WORDS[phase]}; ${when}`,
        },
      };
    }
    case 'ServiceBusyError':
      return fail(
        'E2BServiceBusy',
        `E2B is busy (HTTP 503) while ${PHASE_WORDS[phase]}; try again in a minute.`,
      );
    case 'TimeoutError':
      if (isDomException(error))
        return unreachable(context, host, `no answer within ${context.requestTimeoutSeconds} s`);
      if (phase === 'run' || phase === 'upload') {
        return {
          status: 'timeout',
          limit: {
            kind: 'timeout',
            message:
              `The E2B sandbox ended while ${PHASE_WORDS[phase]}: its lifetime of ${context.lifetimeSeconds} s ` +
              '(maxLifetimeSeconds) ran out, or E2B stopped it.',
          },
        };
      }
      return unreachable(context, host, `no answer within ${context.requestTimeoutSeconds} s`);
    case 'AbortError':
      return unreachable(context, host, `no answer within ${context.requestTimeoutSeconds} s`);
    case 'NotFoundError':
    case 'SandboxNotFoundError':
      return fail(
        'E2BSandboxGone',
        `The E2B sandbox was no longer running while ${PHASE_WORDS[phase]} (its ${context.lifetimeSeconds} s ` +
          'lifetime may have ended); run again.',
      );
    case 'TemplateError':
      return fail('E2BTemplateError', `E2B cannot use the configured template: ${detail}`);
  }

  if (name === 'TypeError' && /fetch failed/i.test(messageOf(error))) {
    return unreachable(context, host, networkReason(error));
  }
  if (isConnectionCut(error)) {
    return fail(
      'E2BConnectionError',
      `The connection to E2B at ${host} was cut while ${PHASE_WORDS[phase]} (${networkReason(error)}); ` +
        'the sandbox was stopped. Run again.',
    );
  }
  if (isDomException(error)) return unreachable(context, host, networkReason(error));
  if (name === 'SyntaxError' || (name === 'TypeError' && phase === 'create')) {
    return fail(
      'E2BProtocolError',
      `E2B at ${host} sent a reply that could not be understood while ${PHASE_WORDS[phase]}; ` +
        'try again later, and check E2B_API_URL / E2B_DOMAIN if they are set.',
    );
  }
  const status = statusCode(error);
  if (status !== undefined) {
    return fail(
      'E2BServerError',
      `E2B answered HTTP ${status} while ${PHASE_WORDS[phase]}${detail ? `: ${detail}` : ''}; try again later.`,
    );
  }
  return fail('E2BError', `E2B failed while ${PHASE_WORDS[phase]}: ${name}${detail ? `: ${detail}` : ''}`);
}

function unreachable(context: FailureContext, host: string, reason: string): Ending {
  return {
    status: 'error',
    error: {
      name: 'E2BUnreachable',
      value: context.redact(
        `Cannot reach E2B at ${host} (${reason}) while ${PHASE_WORDS[context.phase]}; check the network ` +
          'connection and proxy, and E2B_API_URL / E2B_DOMAIN if they are set.',
      ),
      traceback: '',
    },
  };
}

export function errorName(error: unknown): string {
  if (error instanceof Error || isDomException(error)) return (error as Error).name;
  return typeof error;
}

function messageOf(error: unknown): string {
  return error instanceof Error || isDomException(error) ? (error as Error).message : String(error);
}

function isDomException(error: unknown): boolean {
  return typeof DOMException !== 'undefined' && error instanceof DOMException;
}

function statusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof code === 'number') return code;
  // SandboxError messages from the control plane start with the status: "500: ..."
  const match = /^(\d{3}):/.exec(messageOf(error));
  return match ? Number(match[1]) : undefined;
}

/** The socket-level reason under a fetch failure: "connection refused", "host not found", … */
function networkReason(error: unknown): string {
  const codes: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ENOTFOUND: 'host not found',
    EAI_AGAIN: 'DNS lookup failed',
    ETIMEDOUT: 'connection timed out',
    ECONNRESET: 'connection reset',
    EPIPE: 'connection closed',
    UND_ERR_SOCKET: 'the other side closed the connection',
    UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
    CERT_HAS_EXPIRED: 'TLS certificate expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed TLS certificate',
  };
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && codes[code]) return codes[code];
    cause = (cause as { cause?: unknown }).cause;
  }
  if (isDomException(error))
    return (error as Error).name === 'TimeoutError' ? 'no answer in time' : 'request aborted';
  return 'network error';
}

function isConnectionCut(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 5; depth++) {
    const code = (cause as { code?: unknown }).code;
    if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') return true;
    if (cause instanceof Error && /^terminated$|other side closed|socket hang up/i.test(cause.message))
      return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}

/** The SDK's message, redacted, on one line, at most 200 characters. */
function shortDetail(error: unknown, redact: Redactor): string {
  const text = redact(messageOf(error))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .trim();
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function clockTime(time: number): string {
  const date = new Date(time);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
