import { readFileSync } from 'node:fs'
import { Command, Option } from 'commander'
import { providerIds, providers } from '@nano-banana/sdk'
import type { BatchFlags } from './commands/batch.js'
import { generateCommand } from './commands/generate.js'
import { providersCommand } from './commands/providers.js'
import { sandboxCommand } from './commands/sandbox.js'
import { statusCommand, waitCommand } from './commands/tasks.js'
import type { WorkerFlags } from './commands/worker.js'
import { DEFAULT_PROVIDER_HELP } from './connect.js'
import { CliExit } from './exit.js'
import { isInterrupt } from './interrupt.js'
import { printError } from './output.js'

const collect = (value: string, previous: string[] = []) => [...previous, value]

/** The version of this package as published (dist/program.js sits one level below package.json). */
export const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

/** Every provider's key and base-URL variables, from the adapters (the one place they are named). */
function environmentHelp(): string {
  const rows = Object.values(providers).map((a) => `  ${a.envKey.padEnd(22)} ${a.baseUrlEnvKey.padEnd(22)} ${a.name}`)
  return [
    '',
    'Environment (one key and one optional base URL per provider; --api-key / --base-url take precedence):',
    `  ${'key'.padEnd(22)} ${'base URL'.padEnd(22)} provider`,
    ...rows,
  ].join('\n')
}

export function createProgram(): Command {
  const program = new Command('nano-banana')
    .description('Generate images with Google Nano Banana models through any supported reseller API.')
    .version(VERSION)
    .showHelpAfterError()
    // Before the subcommands are added, so that they inherit it: usage errors then reach main().
    .exitOverride()
  // No commander default: it is resolved when the command runs, from the keys that are set.
  const providerOption = () => new Option('-p, --provider <name>', `${providerIds.join(' | ')} (${DEFAULT_PROVIDER_HELP})`)
  // A key on the command line is visible to other local users (ps): the variable is the safer way.
  const apiKeyOption = () => new Option('--api-key <key>', "the provider's API key (default: its <ID>_API_KEY variable)")
  const baseUrlOption = () => new Option('--base-url <url>', "the provider's API base URL (default: its <ID>_BASE_URL variable, else the documented host)")
  const allowResultHostOption = () =>
    new Option(
      '--allow-result-host <host>',
      'also download result images from this private or internal host (an in-house CDN; repeatable; * for every host)',
    ).argParser(collect)

  program
    .command('generate')
    .description('generate images and save them (offline sandbox when the provider key is not set)')
    .argument('<prompt>', 'what to draw')
    .addOption(providerOption())
    .addOption(apiKeyOption())
    .addOption(baseUrlOption())
    .option('-m, --model <id>', "provider's model id (default: the provider's default)")
    .option('-a, --aspect <ratio>', 'aspect ratio, e.g. 16:9')
    .option('-r, --resolution <res>', '0.5K | 1K | 2K | 4K')
    .option('-i, --image <url-or-path>', 'reference image: an http(s) URL, or a local PNG/JPEG/WebP/GIF file for providers that take bytes (repeatable)', collect)
    .option('-n, --n <count>', 'number of images')
    .option('-f, --format <format>', 'png | jpeg | webp')
    .option('-o, --out <dir>', 'where to save the images', './out')
    .option('--timeout <seconds>', 'give up waiting after this long')
    .addOption(allowResultHostOption())
    .option('--sandbox', 'use the embedded offline sandbox even when a key is set')
    .option('--json', 'print a JSON summary for scripts')
    .action(generateCommand)

  program
    .command('status')
    .description('show the state of a task')
    .argument('<taskId>')
    .addOption(providerOption())
    .addOption(apiKeyOption())
    .addOption(baseUrlOption())
    .option('--json', 'print JSON')
    .action(statusCommand)

  program
    .command('wait')
    .description('wait for a task submitted earlier and save its images')
    .argument('<taskId>')
    .addOption(providerOption())
    .addOption(apiKeyOption())
    .addOption(baseUrlOption())
    .option('-o, --out <dir>', 'where to save the images', './out')
    .option('--timeout <seconds>', 'give up waiting after this long')
    .addOption(allowResultHostOption())
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

  program
    .command('batch')
    .description('generate every job of a JSON-lines file, crash-safe (rerun resumes); with --redis, enqueue for workers and follow')
    .argument('<jobs>', 'jobs file: one {"id", "prompt", ...generate options} object per line')
    .option('-p, --provider <name>', `provider (required without --redis): ${Object.keys(providers).join(' | ')}`)
    .option('-o, --out <dir>', 'where the images and the journal go', './out')
    .option('-c, --concurrency <n>', 'jobs in flight at once', '4')
    .option('--redis <url>', 'enqueue into BullMQ on this Redis instead, and follow until every job ended')
    .option('--queue <name>', 'BullMQ queue name (default: nano-banana)')
    .option('--attempts <n>', 'with --redis: attempts per job for retriable failures', '3')
    .option('--timeout <seconds>', 'wait limit per task (a rerun resumes tasks that outlive it)')
    .option('--json', 'print the summary as JSON')
    // Loaded when run: the queue (BullMQ, ioredis) costs every other command ~0.6 s of start-up CPU.
    .action(async (file: string, flags: BatchFlags) => (await import('./commands/batch.js')).batchCommand(file, flags))

  program
    .command('worker')
    .description('process batch jobs from BullMQ until Ctrl-C (any number of workers, on any machines)')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--queue <name>', 'BullMQ queue name (default: nano-banana)')
    .requiredOption('-p, --provider <name>', Object.keys(providers).join(' | '))
    .option('-o, --out <dir>', 'where this worker saves images', './out')
    .option('-c, --concurrency <n>', 'jobs at once in this worker', '4')
    .option('--rate <jobs/seconds>', "the provider's rate limit across all workers, e.g. 10/60")
    .option('--lock-duration <ms>', "how long before a dead worker's job is retaken (BullMQ lockDuration, default 30000)")
    .option('--stalled-interval <ms>', "how often to look for dead workers' jobs (BullMQ stalledInterval, default 30000)")
    .option('--timeout <seconds>', 'wait limit per task (the next attempt resumes it)')
    .action(async (flags: WorkerFlags) => (await import('./commands/worker.js')).workerCommand(flags))

  program.command('providers').description('print the capability matrix').option('--json', 'print JSON').action(providersCommand)
  program.addHelpText('after', environmentHelp())
  for (const command of program.commands) if (['generate', 'status', 'wait'].includes(command.name())) command.addHelpText('after', environmentHelp())
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
    if (error instanceof CliExit) return error.exitCode
    printError(error)
    // 128 + SIGINT, as shells report a command stopped by Ctrl-C.
    if (isInterrupt(error)) return 130
    const exitCode = (error as { exitCode?: unknown }).exitCode
    return typeof exitCode === 'number' ? exitCode : 1
  }
}
