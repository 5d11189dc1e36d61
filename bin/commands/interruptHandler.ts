/**
 * Ctrl-C while `candela analyze` follows a job: asks whether to cancel the job (y cancels it
 * and goes on following until it ends `cancelled`; anything else goes on following), or, with
 * --cancel-on-interrupt, cancels at once. A second Ctrl-C while asking stops following and
 * leaves the job running. Without a terminal to ask on, the question is read from stdin.
 */
import readline from 'node:readline';

export interface InterruptOptions {
  analysisId: string;
  cancelAtOnce: boolean;
  /** Sends the cancel request; its errors are the caller's to report. */
  cancel(): Promise<void>;
  /** Stops following without cancelling (second Ctrl-C). */
  abandon(): void;
  /** Pauses the progress display while asking. */
  pauseDisplay(): void;
  resumeDisplay(): void;
}

export function handleInterrupts(options: InterruptOptions): () => void {
  let asking = false;
  let readStdin = false;
  let cancelling = false;
  const cancel = () => {
    if (cancelling) return;
    cancelling = true;
    process.stderr.write(`\ncandela: cancelling ${options.analysisId}…\n`);
    void options.cancel();
  };
  const onSigint = () => {
    if (cancelling) return;
    if (options.cancelAtOnce) return cancel();
    if (asking) {
      process.stderr.write(`\ncandela: stopped following; ${options.analysisId} goes on running\n`);
      return options.abandon();
    }
    asking = true;
    readStdin = true;
    options.pauseDisplay();
    const prompt = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: false });
    process.stderr.write(`\nCancel ${options.analysisId}? [y/N] (Ctrl-C again to stop following) `);
    prompt.once('line', (answer) => {
      prompt.close();
      asking = false;
      if (/^y(es)?$/i.test(answer.trim())) cancel();
      else options.resumeDisplay();
    });
    prompt.once('close', () => {
      // No answer to read (stdin closed): go on following.
      if (!asking) return;
      asking = false;
      options.resumeDisplay();
    });
  };
  process.on('SIGINT', onSigint);
  return () => {
    process.off('SIGINT', onSigint);
    // Once read, stdin keeps the process alive: let it go, so the command exits.
    if (readStdin) process.stdin.destroy();
  };
}
