import { join } from 'node:path'
import { build, type BuildOptions } from 'esbuild'

export const root = join(import.meta.dirname, '..')

/**
 * Bundles one entry of this package for a runtime, importing the SDK by its name (so through its
 * `exports` map and built `dist/`, as an app would). Returns the code of the single output file.
 */
export async function bundle(entry: string, options: BuildOptions): Promise<string> {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    format: 'esm',
    write: false,
    logLevel: 'silent',
    target: 'es2022',
    ...options,
  })
  const files = result.outputFiles ?? []
  const [file] = files
  if (!file || files.length !== 1) throw new Error(`expected one output file for ${entry}`)
  return file.text
}
