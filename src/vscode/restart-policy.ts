// When the language server stops unexpectedly the client starts it again, unless it keeps crashing:
// five stops within three minutes and it stays down (a server that dies on every start would otherwise
// spin). No vscode import, so the rule is unit tested directly.

export const MAX_RESTARTS = 5;
export const RESTART_WINDOW_MS = 3 * 60 * 1000;

export class RestartPolicy {
  private readonly stops: number[] = [];

  constructor(
    private readonly max = MAX_RESTARTS,
    private readonly windowMs = RESTART_WINDOW_MS,
  ) {}

  /** Records a stop at `now` and says whether to start the server again. */
  shouldRestart(now: number): boolean {
    this.stops.push(now);
    while (this.stops.length > 0 && now - this.stops[0] > this.windowMs) this.stops.shift();
    return this.stops.length < this.max;
  }
}
