import { execFile } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

export const repo = join(import.meta.dirname, '..', '..')

export interface PublishedPackage {
  name: string
  dir: string
  manifest: Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Every package under packages/ that is published (not private). */
export function publishedPackages(): PublishedPackage[] {
  return readdirSync(join(repo, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const dir = join(repo, 'packages', entry.name)
      return { dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }
    })
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir, manifest }) => ({ name: manifest.name as string, dir, manifest }))
}

/**
 * The import specifiers of a package's exports map (`./package.json` aside); a `*` entry is expanded
 * from the built files it maps to.
 */
export function entryPoints(pkg: PublishedPackage): string[] {
  const specifiers: string[] = []
  for (const [key, target] of Object.entries<Record<string, string> | string>(pkg.manifest.exports ?? {})) {
    if (key === './package.json') continue
    if (!key.includes('*')) {
      specifiers.push(key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`)
      continue
    }
    const types = typeof target === 'string' ? target : target.types!
    const [prefix, suffix] = types.replace(/^\.\//, '').split('*') as [string, string]
    const [keyPrefix] = key.slice(2).split('*') as [string]
    for (const file of readdirSync(join(pkg.dir, prefix))) {
      if (file.endsWith(suffix)) specifiers.push(`${pkg.name}/${keyPrefix}${file.slice(0, -suffix.length)}`)
    }
  }
  return specifiers
}

export function exec(command: string, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}
