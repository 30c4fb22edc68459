#!/usr/bin/env node
// Rewrites the README's capability matrix from the adapters' capability tables (`pnpm docs`).
// `--check` exits 1 when the README is stale instead of writing it.
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { capabilityMatrixMarkdown, providers } from '../dist/index.js'

const readme = join(dirname(fileURLToPath(import.meta.url)), '../../../README.md')
const START = '<!-- capability-matrix:start -->'
const END = '<!-- capability-matrix:end -->'

export function withMatrix(text) {
  const from = text.indexOf(START)
  const to = text.indexOf(END)
  if (from < 0 || to < from) throw new Error(`README has no ${START} ... ${END} block`)
  return `${text.slice(0, from + START.length)}\n${capabilityMatrixMarkdown(Object.values(providers))}\n${text.slice(to)}`
}

const text = await readFile(readme, 'utf8')
const next = withMatrix(text)
if (process.argv.includes('--check')) {
  if (next !== text) {
    console.error('README capability matrix is stale: run pnpm docs:matrix')
    process.exit(1)
  }
} else if (next !== text) {
  await writeFile(readme, next)
  console.log('README capability matrix updated')
}
