// A jest reporter that turns a test run that never exits into a failure that names why.
//
// On two cores jest runs the tests in its own process. A test that fails before it closes a
// server, a socket or a child process leaves that handle open, and the process then waits for
// it for ever after the summary ("Jest did not exit one second after the test run has
// completed"). That is a defect of the test, and it must fail the run, not hang it.
//
// Once the run is over, this reporter arms a timer that does not keep the process alive. A
// clean run exits before it fires. If it fires, something else is keeping the process alive:
// it prints the kinds of resources still open and exits with code 1.

'use strict';

/** How long after the summary the process may take to exit, by default. */
const DEFAULT_GRACE_MS = 15_000;

/** Counts of the resources keeping the process alive, by kind: "TCPServerWrap ×1, Timeout ×2". */
function openResources() {
  const counts = new Map();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return [...counts].map(([kind, count]) => `${kind} ×${count}`).join(', ');
}

class ExitGuard {
  /**
   * @param {{ watch: boolean, watchAll: boolean, detectOpenHandles: boolean }} globalConfig
   * @param {{ graceMs?: number }} [options]
   */
  constructor(globalConfig, options = {}) {
    this.armed = !globalConfig.watch && !globalConfig.watchAll && !globalConfig.detectOpenHandles;
    this.graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  }

  onRunComplete() {
    if (!this.armed) return;
    const timer = setTimeout(() => {
      process.stderr.write(
        `\nThe tests are over, but ${this.graceMs} ms later the process is still kept alive by: ` +
          `${openResources()}.\nA test left a server, socket, timer or child process open (close ` +
          `them in afterEach, so that a failing test closes them too). Failing the run instead ` +
          `of waiting; \`npx jest --detectOpenHandles\` shows where they were opened.\n`,
      );
      process.exit(1);
    }, this.graceMs);
    timer.unref();
  }
}

module.exports = ExitGuard;
