/**
 * Load-generator process: forked by run.ts so the clients never share an event loop with the
 * bench's bookkeeping or with a server. Receives one workload request over IPC, announces
 * phases (the parent samples the server's CPU and memory at each and answers `sampled`) and
 * sends the result.
 */
import { runColdSync, type ColdSyncConfig, type ColdSyncResult } from './coldSync.ts';
import { runConnect, type ConnectConfig, type ConnectResult } from './connect.ts';
import { runRooms, type RoomsConfig, type RoomsResult } from './rooms.ts';

export type LoadgenRequest =
  | { workload: 'rooms'; config: RoomsConfig }
  | { workload: 'connect'; config: ConnectConfig }
  | { workload: 'cold-sync'; config: ColdSyncConfig };
export type WorkloadResult = RoomsResult | ConnectResult | ColdSyncResult;
export type LoadgenMessage =
  | { type: 'phase'; phase: string }
  | { type: 'result'; result: WorkloadResult }
  | { type: 'error'; message: string };

function reply(message: LoadgenMessage): void {
  process.send!(message);
}

/** Tells the parent, and waits until it has taken its samples. */
function phase(name: string): Promise<void> {
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    reply({ type: 'phase', phase: name });
  });
}

function run(request: LoadgenRequest): Promise<WorkloadResult> {
  switch (request.workload) {
    case 'rooms': return runRooms(request.config, phase);
    case 'connect': return runConnect(request.config, phase);
    case 'cold-sync': return runColdSync(request.config);
    default: {
      const never: never = request;
      throw new Error(`unknown workload ${JSON.stringify(never)}`);
    }
  }
}

process.once('message', (request: LoadgenRequest) => {
  run(request)
    .then((result) => reply({ type: 'result', result }))
    .catch((error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) }))
    .finally(() => process.disconnect());
});
