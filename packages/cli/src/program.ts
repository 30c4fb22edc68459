import { Command, Option } from 'commander'
import { providerIds } from '@nano-banana/sdk'
import { generateCommand } from './commands/generate.js'
import { providersCommand } from './commands/providers.js'
import { sandboxCommand } from './commands/sandbox.js'
import { statusCommand, waitCommand } from './commands/tasks.js'
import { DEFAULT_PROVIDER_HELP } from './connect.js'
import { printError } from './output.js'

const collect = (value: string, previous: string[] = []) => [...previous, value]

export function createProgram(): Command {
  const program = new Command('nano-banana')
    .description('Generate images with Google Nano Banana models through any supported reseller API.')
    .version('0.1.0')
    .showHelpAfterError()
    // Before the subcommands are added, so that they inherit it: usage errors then reach main().
    .exitOverride()
  // No commander default: it is resolved when the command runs, from the keys that are set.
  const providerOption = () => new Option('-p, --provider <name>', `${providerIds.join(' | ')} (${DEFAULT_PROVIDER_HELP})`)

  program
    .command('generate')
    .description('generate images and save them (offline sandbox when the provider key is not set)')
    .argument('<prompt>', 'what to draw')
    .addOption(providerOption())
    .option('-m, --model <id>', "provider's model id (default: the provider's default)")
    .option('-a, --aspect <ratio>', 'aspect ratio, e.g. 16:9')
    .option('-r, --resolution <res>', '0.5K | 1K | 2K | 4K')
    .option('-i, --image <url-or-path>', 'reference image (repeatable)', collect)
    .option('-n, --n <count>', 'number of images')
    .option('-f, --format <format>', 'png | jpeg | webp')
    .option('-o, --out <dir>', 'where to save the images', './out')
    .option('--timeout <seconds>', 'give up waiting after this long')
    .option('--sandbox', 'use the embedded offline sandbox even when a key is set')
    .option('--json', 'print a JSON summary for scripts')
    .action(generateCommand)

  program
    .command('status')
    .description('show the state of a task')
    .argument('<taskId>')
    .addOption(providerOption())
    .option('--json', 'print JSON')
    .action(statusCommand)

  program
    .command('wait')
    .description('wait for a task submitted earlier and save its images')
    .argument('<taskId>')
    .addOption(providerOption())
    .option('-o, --out <dir>', 'where to save the images', './out')
    .option('--timeout <seconds>', 'give up waiting after this long')
    .option('--json', 'print a JSON summary')
    .action(waitCommand)

  program
    .command('sandbox')
    .description('run the offline sandbox of every provider in the foreground (the flags of nano-banana-sandbox; --help lists them)')
    // The sandbox package parses its own flags: everything after `sandbox` goes to it unchanged.
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[flags...]')
    .action(sandboxCommand)

  program.command('providers').description('print the capability matrix').option('--json', 'print JSON').action(providersCommand)
  return program
}

/** Runs the CLI; resolves to the exit code. Errors print one line, never a stack or a key. */
export async function main(argv: string[]): Promise<number> {
  const program = createProgram()
  try {
    await program.parseAsync(argv)
    return 0
  } catch (error) {
    const code = (error as { code?: string }).code
    if (typeof code === 'string' && code.startsWith('commander.')) {
      return code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : 2
    }
    printError(error)
    return 1
  }
}
