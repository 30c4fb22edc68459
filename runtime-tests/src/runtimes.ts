import { execFile } from 'node:child_process'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { root } from './bundle.js'

/** The binaries of the `bun` and `deno` npm packages (devDependencies of this package). */
export const RUNTIMES = {
  bun: { bin: join(root, 'node_modules', '.bin', 'bun'), args: (script: string) => ['run', script] },
  // Deno reads node_modules and package.json (npm resolution); --sloppy-imports maps this package's `./x.js`
  // imports to its .ts sources (the SDK itself is plain built JS). Network: loopback only.
  deno: {
    bin: join(root, 'node_modules', '.bin', 'deno'),
    args: (script: string) => ['run', '--sloppy-imports', '--allow-net=127.0.0.1', '--allow-read', '--allow-write', '--allow-env', script],
  },
} as const

export function run(bin: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: root, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr })
    })
  })
}

/** A loopback URL whose port was free a moment ago and is closed now: connecting is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
