#!/usr/bin/env node
// Usage: nano-banana-codegen [provider...]            regenerate provider packages (default: every spec)
//        nano-banana-codegen --check [provider...]    exit 1 when committed output is stale
//        nano-banana-codegen --registry <kind>        write ./src/generated/providers.gen.ts (manifest | sdk | sandbox)
//        nano-banana-codegen --ensure-built           the build script of a generated package: compiles ./ when its
//                                                     dist/ is stale (@nano-banana/codegen#build compiles them all)
//        nano-banana-codegen --workspace              run every workspace package's `generate` script in this
//                                                     one process (what `pnpm generate` runs)
const args = process.argv.slice(2)
// First, and before loading anything else: it is the build script of ten packages, and usually a no-op.
if (args.includes('--ensure-built')) {
  const { ensureBuilt } = await import('./ensure-built.mjs')
  process.exit(await ensureBuilt(process.cwd()))
}
const { checkFresh, generateProvider, generatedDirOf, generateWorkspace, listProviders, specPathOf } = await import('./index.mjs')
const { generateRegistry } = await import('./registry.mjs')
if (args.includes('--workspace')) {
  await generateWorkspace(undefined, { log: (line) => console.log(line) })
  process.exit(0)
}
const registryAt = args.indexOf('--registry')
if (registryAt !== -1) {
  await generateRegistry(args[registryAt + 1], process.cwd(), await listProviders())
  process.exit(0)
}
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
