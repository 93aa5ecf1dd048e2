/**
 * Load-generator process: forked by run.ts so the clients never share an event loop with the
 * bench's bookkeeping or with a server. Receives one workload config over IPC, reports phases
 * (the parent samples the server's CPU between `sending` and `drained`) and the result.
 */
import { runMeeting, type MeetingConfig, type MeetingResult } from './meeting.ts';

export type LoadgenRequest = { workload: 'meeting'; config: MeetingConfig };
export type LoadgenMessage =
  | { type: 'phase'; phase: 'sending' | 'drained' }
  | { type: 'result'; result: MeetingResult }
  | { type: 'error'; message: string };

function reply(message: LoadgenMessage): void {
  process.send!(message);
}

process.once('message', (request: LoadgenRequest) => {
  runMeeting(request.config, (phase) => reply({ type: 'phase', phase }))
    .then((result) => reply({ type: 'result', result }))
    .catch((error: unknown) => reply({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) }))
    .finally(() => process.disconnect());
});
