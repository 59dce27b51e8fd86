// Runs one-shot analyses in a worker thread (src/server/analysis-worker.ts). A worker that crashes or
// exits fails the analyses it had, and the next analysis starts a new one: the server itself stays up.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { AnalysisResult, Language, ResolvedPolicy } from '../policy';

export interface WorkerRequest {
  id: number;
  text: string;
  language: Language;
  policy: ResolvedPolicy;
  path: string;
}

export type WorkerResponse = { id: number; result: AnalysisResult } | { id: number; error: string };

interface Pending {
  resolve(result: AnalysisResult): void;
  reject(error: Error): void;
}

/** dist/analysis-worker.js next to the bundle, or the transpiled file under out/ (tests). */
function workerScript(): string {
  return path.join(__dirname, 'analysis-worker.js');
}

export class AnalysisPool {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly script = workerScript()) {}

  analyze(text: string, language: Language, policy: ResolvedPolicy, file: string): Promise<AnalysisResult> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<AnalysisResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, text, language, policy, path: file } satisfies WorkerRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.script);
    worker.unref();
    worker.on('message', (response: WorkerResponse) => {
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      if ('result' in response) pending.resolve(response.result);
      else pending.reject(new Error(response.error));
    });
    const fail = (error: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the analysis worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const pending of this.pending.values()) pending.reject(new Error('the server is shutting down'));
    this.pending.clear();
    void worker?.terminate();
  }
}
