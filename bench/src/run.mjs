#!/usr/bin/env node
// `pnpm bench`: every benchmark, results in bench/results.json, a Markdown table on stdout and in
// the README. Flags: --smoke (tiny, fast), --only <overhead|completion|bundle|bundle-parts|concurrency|codegen>,
// --no-tests (skip timing the whole `pnpm test`), --no-readme.
import { writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchBundle } from './bundle.mjs'
import { benchBundleParts } from './bundle-parts.mjs'
import { benchCodegen } from './codegen.mjs'
import { benchCompletion } from './completion.mjs'
import { benchConcurrency } from './concurrency.mjs'
import { benchOverhead } from './overhead.mjs'
import { toMarkdown, updateReadme } from './report.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const args = process.argv.slice(2)
const smoke = args.includes('--smoke')
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined

export const BENCHMARKS = {
  overhead: () => benchOverhead({ smoke }),
  completion: () => benchCompletion({ smoke }),
  bundle: () => benchBundle(),
  'bundle-parts': () => benchBundleParts(),
  concurrency: () => benchConcurrency({ smoke }),
  codegen: () => benchCodegen({ smoke, withTests: !smoke && !args.includes('--no-tests') }),
}

const benchmarks = []
for (const [name, run] of Object.entries(BENCHMARKS)) {
  if (only && only !== name) continue
  process.stderr.write(`bench: ${name}...\n`)
  benchmarks.push(await run())
}
const results = {
  date: new Date().toISOString(),
  machine: { cores: availableParallelism(), node: process.version, platform: `${process.platform}-${process.arch}` },
  smoke,
  benchmarks,
}
const markdown = toMarkdown(results)
if (!smoke && !only) {
  await writeFile(join(here, '..', 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
  if (!args.includes('--no-readme')) await updateReadme(join(here, '..', '..', 'README.md'), markdown)
}
process.stdout.write(`${markdown}\n`)
