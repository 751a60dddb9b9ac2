/**
 * Ctrl+C (SIGINT) or SIGTERM for the long-running dev tools (npm start, the SIP lab, the simulator
 * on its own): print `saying` (if any), run `stop`, exit 0 when it finished or 1 when it failed. A
 * second signal while stopping exits at once (1): nothing waits on a stop that hangs.
 */
export function stopOnSignals(stop: () => Promise<unknown>, saying?: string): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    if (saying !== undefined) console.log(`\n${signal}: ${saying}`);
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
