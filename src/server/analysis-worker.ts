// The worker thread that checks large documents (dist/analysis-worker.js), so that the server's message
// loop keeps answering while a multi-megabyte file is analysed. One-shot analyses: its own engine, no
// per-document state.
import { parentPort } from 'node:worker_threads';
import { PolicyEngine } from '../policy';
import type { WorkerRequest, WorkerResponse } from './analysis-pool';
import { errorMessage } from '../error-message';

let engine: Promise<PolicyEngine> | undefined;

async function handle(request: WorkerRequest): Promise<WorkerResponse> {
  try {
    engine ??= PolicyEngine.create();
    const result = (await engine).analyze(request.text, request.language, request.policy, {
      path: request.path,
    });
    return { id: request.id, result };
  } catch (error) {
    return { id: request.id, error: errorMessage(error) };
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  void handle(request).then((response) => parentPort?.postMessage(response));
});
