// Instruction counts of the overhead benchmark's two sides, which machine load does not change (wall-clock
// timing on a shared machine does): `valgrind --tool=callgrind node bench/src/overhead-ir.mjs <side> <rounds> [warm-up]`
// runs the warm-up rounds, then `rounds` rounds of one side; the difference of two runs with different
// `rounds`, divided by their difference, is the side's instructions per round. Sides: `sdk` and `fetch`
// against the instant server (what bench/src/overhead.mjs times), and `stub`: the client with a fetch that
// answers at once with the same examples (no network stack: the client's own work stands out).
// The provider: OVERHEAD_PROVIDER, else the one the benchmark picks.
import { openSide } from './overhead.mjs'

const [side = 'sdk', roundsArg = '1000', warmupArg = '2000'] = process.argv.slice(2)
const { run, close } = await openSide(side)
try {
  // Counted after the warm-up: the JIT has compiled the code by then.
  for (let i = 0; i < Number(warmupArg); i++) await run()
  for (let i = 0; i < Number(roundsArg); i++) await run()
} finally {
  await close()
}
