// Prism lifecycle: start `prism mock` / `prism proxy` servers on free ports of 127.0.0.1, wait until
// they answer, stop them. Every Prism runs detached in its own process group (so stopping kills the
// whole group) and with a preloaded watchdog that exits when our stdin pipe closes (so even a
// SIGKILLed test runner leaves no Prism behind). Exit and signal handlers stop whatever is running.
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
let prismInfo
/** Prism's JS entry point from node_modules (never npx), resolved on first use. */
export function prismBin() {
  if (!prismInfo) {
    const packageJson = require.resolve('@stoplight/prism-cli/package.json')
    const pkg = require('@stoplight/prism-cli/package.json')
    prismInfo = { bin: join(dirname(packageJson), typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.prism), version: pkg.version }
  }
  return prismInfo.bin
}
export function prismVersion() {
  prismBin()
  return prismInfo.version
}
const WATCHDOG = fileURLToPath(new URL('./prism-watchdog.mjs', import.meta.url))
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

/** @type {Set<import('./types.js').PrismServer>} */
const running = new Set()

/** A free TCP port on 127.0.0.1 (bind port 0, read it, close). */
export function getFreePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, host, () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (server.address())
      server.close(() => resolve(port))
    })
  })
}

function describeSpec(specPath) {
  const rel = relative(REPO_ROOT, specPath)
  return rel.startsWith('..') ? specPath : rel
}

/**
 * Starts one Prism and resolves once it answers HTTP.
 * @param {import('./types.js').PrismOptions} options
 * @returns {Promise<import('./types.js').PrismServer>}
 */
export async function startPrism(options) {
  const { specPath, mode = 'mock', upstream, errors = mode === 'proxy', timeoutMs = 30_000, attempts = 3 } = options
  const label = `prism ${mode} ${describeSpec(specPath)}${upstream ? ` -> ${upstream}` : ''}`
  let lastError
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await startOnce({ ...options, specPath, mode, upstream, errors, timeoutMs, label })
    } catch (error) {
      lastError = error
      // Another process took the port between getFreePort and Prism's bind: try a new port.
      if (!/EADDRINUSE/.test(String(error?.message))) break
    }
  }
  throw lastError
}

async function startOnce({ specPath, mode, upstream, errors, timeoutMs, label, host = '127.0.0.1', name = label }) {
  installExitHandlers()
  const port = await getFreePort(host)
  const args = ['--import', WATCHDOG, prismBin(), mode, specPath]
  if (mode === 'proxy') {
    if (!upstream) throw new Error(`${label}: proxy mode needs an upstream URL`)
    args.push(upstream)
  }
  args.push('--host', host, '--port', String(port))
  if (errors) args.push('--errors')
  const child = spawn(process.execPath, args, {
    detached: true, // own process group: stop() kills the group
    stdio: ['pipe', 'pipe', 'pipe'], // stdin is the watchdog's lifeline
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  })
  const url = `http://${host}:${port}`
  let output = ''
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-8_000)
  }
  // Keep draining Prism's log forever: a full pipe would block it.
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  child.stdin.on('error', () => {})
  let exited = false
  let exitInfo = ''
  const exitPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true
      exitInfo = signal ? `signal ${signal}` : `code ${code}`
      running.delete(server)
      resolve(undefined)
    })
  })
  child.once('error', (error) => {
    exited = true
    exitInfo = error.message
  })

  const server = {
    name,
    label,
    mode,
    specPath,
    upstream,
    url,
    port,
    pid: child.pid,
    logs: () => output,
    stop: () => stopChild(child, exitPromise, () => exited),
    get exited() {
      return exited
    },
  }
  running.add(server)

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (exited) {
      throw new Error(`${label}: Prism exited (${exitInfo}) before answering on ${url}.\n${tail(output)}`)
    }
    try {
      await fetch(`${url}/__contract_tests_ready__`, { signal: AbortSignal.timeout(1_000) })
      break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(`${label}: Prism did not answer on ${url} within ${timeoutMs / 1000}s.\n${tail(output)}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  // The runner must not wait for Prism; Prism must not outlive the runner (watchdog).
  child.unref()
  for (const stream of [child.stdout, child.stderr, child.stdin]) /** @type {any} */ (stream).unref?.()
  return server
}

function tail(output) {
  const lines = output.trim().split('\n').slice(-15)
  return lines.length && lines[0] ? lines.map((l) => `  | ${l}`).join('\n') : '  (no output)'
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

async function stopChild(child, exitPromise, hasExited) {
  if (!child.pid) return
  if (!hasExited()) {
    killGroup(child.pid, 'SIGTERM')
    const timer = new Promise((r) => setTimeout(r, 3_000).unref())
    await Promise.race([exitPromise, timer])
  }
  // Anything left in the group (the leader on timeout, forked workers) goes now.
  killGroup(child.pid, 'SIGKILL')
  child.stdin?.destroy()
  child.stdout?.destroy()
  child.stderr?.destroy()
}

/**
 * Starts several Prism servers in parallel. If any fails, the others are stopped and one error
 * lists every failure, each naming its spec.
 * @param {import('./types.js').PrismOptions[]} list
 */
export async function startPrismServers(list) {
  const results = await Promise.allSettled(list.map((options) => startPrism(options)))
  const failed = results.filter((r) => r.status === 'rejected')
  if (failed.length) {
    await Promise.all(results.filter((r) => r.status === 'fulfilled').map((r) => r.value.stop()))
    const message = failed.map((r) => String(r.reason?.message ?? r.reason)).join('\n')
    throw new Error(`Could not start ${failed.length} of ${list.length} Prism server(s):\n${message}`)
  }
  return results.map((r) => /** @type {PromiseFulfilledResult<any>} */ (r).value)
}

export async function stopAllPrism() {
  await Promise.all([...running].map((server) => server.stop()))
}

export function runningPrismPids() {
  return [...running].map((s) => s.pid)
}

let handlersInstalled = false
/** Kill every Prism group on exit, on SIGINT/SIGTERM/SIGHUP and on an uncaught exception. */
export function installExitHandlers() {
  if (handlersInstalled) return
  handlersInstalled = true
  const killAllSync = () => {
    for (const server of running) killGroup(server.pid, 'SIGKILL')
    running.clear()
  }
  process.on('exit', killAllSync)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const handler = () => {
      killAllSync()
      process.removeListener(signal, handler)
      // Nobody else handles it: restore the default behaviour (terminate) by re-raising.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
    }
    process.on(signal, handler)
  }
}
