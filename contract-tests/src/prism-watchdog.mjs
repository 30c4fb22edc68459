// Preloaded into every Prism we start (`node --import prism-watchdog.mjs prism ...`). The parent keeps
// our stdin open; when the parent dies for any reason (even SIGKILL), the pipe closes and this
// process group goes with it, so no Prism outlives the test run.
const die = () => {
  try {
    process.kill(-process.pid, 'SIGKILL') // we are the group leader (spawned detached)
  } catch {
    process.exit(1)
  }
}
process.stdin.on('end', die)
process.stdin.on('close', die)
process.stdin.on('error', die)
process.stdin.resume()
