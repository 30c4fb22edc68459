#!/usr/bin/env node
// Usage: nano-banana-codegen [provider...]   (default: every spec in specs/)
//        nano-banana-codegen --check [provider...]   exits 1 when committed output is stale
import { checkFresh, generateProvider, generatedDirOf, listProviders, specPathOf } from './index.mjs'

const args = process.argv.slice(2)
const check = args.includes('--check')
const named = args.filter((a) => !a.startsWith('--'))
const providers = named.length ? named : await listProviders()

let stale = 0
for (const provider of providers) {
  if (check) {
    const problems = await checkFresh({ specPath: specPathOf(provider), generatedDir: generatedDirOf(provider) })
    for (const p of problems) console.error(`${provider}: ${p.file} ${p.problem}`)
    if (problems.length) stale++
  } else {
    await generateProvider(provider)
    console.log(`generated packages/${provider}/src/generated`)
  }
}
if (stale) {
  console.error(`${stale} provider package(s) differ from a fresh generation: run pnpm generate`)
  process.exit(1)
}
