// 1. Client overhead: submit + one poll through @nano-banana/sdk vs the same two requests by hand
// with fetch, against a loopback server that answers instantly with the spec's examples (each side in a
// process of its own, see benchOverhead).
import { fork } from 'node:child_process'
import { createServer } from 'node:http'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { META } from '@nano-banana/manifest'
import { createNanoBanana } from '@nano-banana/sdk'
import { loadSpec, pathPattern, responseExamples } from '@nano-banana/testkit'
import { loadPeers } from './peers/index.mjs'
import { pickBenchProvider } from './pick.mjs'
import { median, round } from './stats.mjs'

const here = dirname(fileURLToPath(import.meta.url))

/** The dotted path of the first value in `node` that `match` accepts (depth first). */
export function pathOf(node, match, at = []) {
  if (match(node)) return at
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const found = pathOf(value, match, [...at, key])
      if (found) return found
    }
  }
  return undefined
}
export const valueAt = (node, path) => path.reduce((value, key) => value?.[key], node)

/** The spec's own answers: its first 200 create example, and a 200 task example in a succeeded state. */
export function specAnswers(id) {
  const meta = META[id]
  const spec = loadSpec(id)
  const created = responseExamples(spec, meta.operations.create.operationId).find((e) => e.status === 200)
  const succeeded = new Set(
    Object.entries(meta.statusWords)
      .filter(([, status]) => status === 'succeeded')
      .map(([word]) => word),
  )
  for (const example of responseExamples(spec, meta.operations.get.operationId).filter((e) => e.status === 200)) {
    const statusPath = pathOf(example.value, (v) => typeof v === 'string' && succeeded.has(v))
    if (created && statusPath)
      return { created: JSON.stringify(created.value), task: JSON.stringify(example.value), statusPath, word: valueAt(example.value, statusPath) }
  }
  throw new Error(`bench: the ${id} spec has no 200 create example or no succeeded task example`)
}

/** A loopback server that answers the create call and every other call instantly with the spec's examples. */
export async function startInstantServer(id) {
  const { created, task } = specAnswers(id)
  const create = META[id].operations.create
  const createPath = pathPattern(create.path)
  const requests = []
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      if (requests.length < 4) requests.push({ method: req.method, url: req.url, body: Buffer.concat(chunks).toString('utf8') })
      const isCreate = req.method === create.method && createPath.test(new URL(req.url, 'http://x').pathname)
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(isCreate ? created : task)
    })
  })
  return listen(server, requests)
}

/** `server` listening on a free loopback port: its url, what it recorded, and a close that drops kept-alive sockets. */
async function listen(server, requests) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(r)
      }),
  }
}

/** A loopback server that answers every call instantly with `answer(method, path)` as JSON (a peer's API). */
export async function startAnsweringServer(answer) {
  const server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const text = JSON.stringify(answer(req.method, new URL(req.url, 'http://x').pathname))
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(text)
    })
  })
  return listen(server, [])
}

/**
 * The two sides compared against `server` (see startInstantServer): submit + one poll through the client,
 * and the same two requests by hand with fetch. Also what bench/src/overhead-ir.mjs counts instructions of.
 */
export async function overheadSides(provider, server) {
  const meta = META[provider]
  const { created, task: taskAnswer, statusPath, word } = specAnswers(provider)
  const apiKey = 'sk-bench'
  const nb = createNanoBanana({ provider, apiKey, baseUrl: server.url })
  const sdk = async () => {
    const { taskId } = await nb.submit({ prompt: 'A cat playing in the grass' })
    const task = await nb.getTask(taskId)
    if (task.status !== 'succeeded') throw new Error('unexpected')
  }
  // The hand-written side sends exactly what the SDK sent (recorded from one warm-up round) and reads
  // the task id and status where the spec's examples carry them.
  const { taskId } = await nb.submit({ prompt: 'A cat playing in the grass' })
  await nb.getTask(taskId)
  // A server in another process (see overhead-side.mjs) says what it recorded when asked.
  const [sentCreate, sentGet] = server.recorded ? await server.recorded() : server.requests
  const idPath = pathOf(JSON.parse(created), (v) => v === taskId)
  if (!idPath || !sentGet?.url.includes(encodeURIComponent(taskId))) throw new Error(`bench: cannot find the ${provider} task id in the create answer and the query`)
  const auth = { [meta.auth.name]: `${meta.auth.prefix}${apiKey}` }
  const handWritten = async () => {
    const answer = await fetch(`${server.url}${sentCreate.url}`, {
      method: sentCreate.method,
      headers: { ...auth, 'content-type': 'application/json' },
      body: sentCreate.body,
    })
    const id = valueAt(await answer.json(), idPath)
    const task = await fetch(`${server.url}${sentGet.url.replace(encodeURIComponent(taskId), encodeURIComponent(id))}`, { method: sentGet.method, headers: auth })
    const json = await task.json()
    if (valueAt(json, statusPath) !== word) throw new Error('unexpected')
  }
  // The client with a fetch that answers at once with the same examples: no network stack, so the client's own work stands out.
  const headers = (text) => ({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) })
  const stubFetch = async (_url, init) => {
    const text = init.method === 'POST' ? created : taskAnswer
    return new Response(text, { status: 200, headers: headers(text) })
  }
  const stubbed = createNanoBanana({ provider, apiKey, baseUrl: server.url, fetch: stubFetch })
  const stub = async () => {
    const { taskId } = await stubbed.submit({ prompt: 'A cat playing in the grass' })
    const got = await stubbed.getTask(taskId)
    if (got.status !== 'succeeded') throw new Error('unexpected')
  }
  return { sdk, handWritten, stub }
}

/** A side of the benchmark (`sdk`, `peer` or `fetch`) in a process of its own (see overhead-side.mjs), against `server`. */
async function forkSide(target, server, side) {
  const child = fork(join(here, 'overhead-side.mjs'), [target, server.url, side], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let waiting
  const exited = new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`bench: the ${side} side exited (${code})`))))
  exited.catch(() => undefined)
  child.on('message', (message) => {
    if (message.type === 'requests') child.send({ type: 'requests', id: message.id, requests: server.requests })
    else waiting?.(message)
  })
  const ask = (message) => {
    const answer = Promise.race([new Promise((resolve) => (waiting = resolve)), exited])
    if (message) child.send(message)
    return answer
  }
  await ask()
  return {
    /** Runs `calls` calls, each one timed. */
    block: (calls) => ask({ type: 'block', calls }),
    /** The median latency (ms) of the calls since the last collect; then the side collects its garbage. */
    collect: async () => (await ask({ type: 'collect' })).p50,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', resolve)
        child.send({ type: 'exit' })
      }),
  }
}

/**
 * One side (`sdk`, `fetch` or `stub`) against an instant server of its own, for the tools that count what
 * a side costs (overhead-ir.mjs, overhead-alloc.mjs). The provider: OVERHEAD_PROVIDER, else the bench's pick.
 */
export async function openSide(side) {
  const provider = process.env.OVERHEAD_PROVIDER ?? (await pickBenchProvider())
  const server = await startInstantServer(provider)
  const sides = await overheadSides(provider, server).catch(async (error) => {
    await server.close()
    throw error
  })
  const run = side === 'fetch' ? sides.handWritten : side === 'stub' ? sides.stub : sides.sdk
  return { run, close: () => server.close() }
}

/**
 * Fair to both sides on a shared, noisy machine:
 * - each side runs in a process of its own: its own heap, garbage collector and JIT feedback, so neither
 *   pays for the other's garbage, and the runtime's fetch code is not compiled for both sides' objects at once;
 * - the server runs in this process, as a real server is never in the client's process (its event loop and
 *   its garbage are in neither side's timings);
 * - the sides take turns in short blocks of calls, the order alternating from block to block, so that a burst
 *   of load from elsewhere hits both alike (1.5 s turns let it hit one side only); the peers are compared with their own fetch the same way;
 * - a round is ROUND_MS of such blocks; its ratio is the client's median call over fetch's median call in that
 *   round, and each round starts with both heaps collected. The result is the median ratio over the rounds.
 */
export async function benchOverhead({ smoke = false } = {}) {
  const rounds = smoke ? 1 : 15
  const roundMs = smoke ? 100 : 1500
  const warmupMs = smoke ? 50 : 2000
  const provider = await pickBenchProvider()
  const server = await startInstantServer(provider)
  let ours
  try {
    ours = await compareSides(provider, server, 'sdk', { rounds, roundMs, warmupMs })
  } finally {
    await server.close()
  }
  if (process.env.OVERHEAD_ROUNDS_LOG) process.stderr.write(`overhead rounds: ${ours.ratios.map((r) => round(r, 3)).join(' ')}\n`)
  const row = { client: `@nano-banana/sdk (${provider})`, ...summary(ours), target: 'ratio <= 1.05', pass: median(ours.ratios) <= 1.05 }
  const rows = [row]
  // The peers, each against a loopback server speaking its own API and beside its own hand-written fetch,
  // with fewer rounds: their ratios are context, the target is ours.
  for (const peer of (await loadPeers()).filter((p) => p.overhead)) {
    const peerServer = await startAnsweringServer(peer.overhead.answer)
    try {
      const theirs = await compareSides(`peer:${peer.file}|${peer.name}`, peerServer, 'peer', { rounds: smoke ? 1 : 7, roundMs, warmupMs })
      rows.push({ client: peer.name, ...summary(theirs) })
    } finally {
      await peerServer.close()
    }
  }
  const { client: _, target, pass, ...figures } = row
  return { name: 'client overhead (submit + 1 poll, loopback)', ...figures, target, pass, rows }
}

/** A side's figures: the median latencies, the median ratio of the rounds and their spread (25th to 75th percentile). */
function summary({ ratios, medians }) {
  const sorted = [...ratios].sort((a, b) => a - b)
  const at = (q) => round(sorted[Math.round(q * (sorted.length - 1))], 3)
  return {
    fetchMedianMs: round(median(medians.fetch), 3),
    clientMedianMs: round(median(medians.client), 3),
    ratio: round(median(ratios), 3),
    // So that a result shows how firmly it decides.
    ratioIqr: `${at(0.25)}-${at(0.75)}`,
  }
}

/**
 * `side` of `target` (the client) against hand-written fetch, taking turns as described above:
 * the ratio of each round (client median over fetch median) and both sides' medians.
 */
async function compareSides(target, server, side, { rounds, roundMs, warmupMs }) {
  const calls = 16
  const ratios = []
  const medians = { fetch: [], client: [] }
  const sides = {}
  try {
    sides.fetch = await forkSide(target, server, 'fetch')
    sides.client = await forkSide(target, server, side)
    const turns = async (ms) => {
      const end = Date.now() + ms
      for (let b = 0; Date.now() < end; b++) {
        // Alternate which side goes first, so that neither always gets the warmer (or noisier) slot.
        for (const s of b % 2 ? ['client', 'fetch'] : ['fetch', 'client']) await sides[s].block(calls)
      }
    }
    // Warm-up: the JIT compiles both sides; its timings are dropped.
    await turns(warmupMs)
    await Promise.all([sides.fetch.collect(), sides.client.collect()])
    for (let r = 0; r < rounds; r++) {
      await turns(roundMs)
      const [fetchP50, clientP50] = await Promise.all([sides.fetch.collect(), sides.client.collect()])
      medians.fetch.push(fetchP50)
      medians.client.push(clientP50)
      ratios.push(clientP50 / fetchP50)
    }
  } finally {
    await Promise.all(Object.values(sides).map((s) => s.close()))
  }
  return { ratios, medians }
}
