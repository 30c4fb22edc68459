import { positiveSeconds } from '../exit.js'
import { info, out } from '../output.js'

/**
 * `nano-banana sandbox [flags]`: the sandbox package's own foreground runner (`nano-banana-sandbox`),
 * with its flags. `--duration <seconds>`, this command's earlier spelling, still works.
 */
export async function sandboxCommand(flags: string[] = []): Promise<void> {
  const { runSandboxCli } = await import('@nano-banana/sandbox')
  const argv = flags.flatMap((flag, i) =>
    flag === '--duration' ? ['--duration-ms'] : flags[i - 1] === '--duration' ? [String(positiveSeconds('--duration', flag))] : [flag],
  )
  const sandbox = await runSandboxCli(argv, { out, err: info })
  if (!sandbox) return
  // The runner closes the sandbox on SIGINT/SIGTERM; the command ends when it has closed.
  await new Promise<void>((resolve) => {
    const close = sandbox.close.bind(sandbox)
    sandbox.close = () => close().finally(resolve)
  })
}
