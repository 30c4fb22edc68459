// 1. Client overhead: submit + one poll through @nano-banana/sdk vs the same two requests by hand
// with fetch, against an in-process loopback server that answers instantly with the spec's examples.
import { createServer } from 'node:http'
import { META } from '@nano-banana/manifest'
import { createNanoBanana } from '@nano-banana/sdk'
import { loadSpec, pathPattern, responseExamples } from '@nano-banana/testkit'
import { Bench } from 'tinybench'
import { pickBenchProvider } from './pick.mjs'
import { median, round } from './stats.mjs'

/** The dotted path of the first value in `node` that `match` accepts (depth first). */
function pathOf(node, match, at = []) {
  if (match(node)) return at
  if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const found = pathOf(value, match, [...at, key])
      if (found) return found
    }
  }
  return undefined
}
const valueAt = (node, path) => path.reduce((value, key) => value?.[key], node)

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

/**
 * The two sides compared against `server` (see startInstantServer): submit + one poll through the client,
 * and the same two requests by hand with fetch. Also what bench/src/overhead-ir.mjs counts instructions of.
 */
export async function overheadSides(provider, server) {
  const meta = META[provider]
  const { created, statusPath, word } = specAnswers(provider)
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
  const [sentCreate, sentGet] = server.requests
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
  return { sdk, handWritten }
}

export async function benchOverhead({ smoke = false } = {}) {
  const provider = await pickBenchProvider()
  const server = await startInstantServer(provider)
  const { sdk, handWritten } = await overheadSides(provider, server)
  // Alternate rounds so both sides see the same machine noise; the ratio of medians per round is robust.
  const rounds = smoke ? 1 : 9
  const ratios = []
  const medians = { fetch: [], sdk: [] }
  try {
    for (let r = 0; r < rounds; r++) {
      const bench = new Bench({ time: smoke ? 100 : 1500, warmupTime: smoke ? 20 : 300 })
      // Alternate which side runs first, so that neither always gets the warmer (or noisier) slot.
      if (r % 2) bench.add('sdk', sdk).add('fetch', handWritten)
      else bench.add('fetch', handWritten).add('sdk', sdk)
      await bench.run()
      const p50 = (name) => bench.tasks.find((t) => t.name === name).result.latency.p50
      const [a, b] = [p50('fetch'), p50('sdk')]
      medians.fetch.push(a)
      medians.sdk.push(b)
      ratios.push(b / a)
    }
  } finally {
    await server.close()
  }
  return {
    name: 'client overhead (submit + 1 poll, loopback)',
    fetchMedianMs: round(median(medians.fetch), 3),
    sdkMedianMs: round(median(medians.sdk), 3),
    ratio: round(median(ratios), 3),
    target: 'ratio <= 1.05',
    pass: median(ratios) <= 1.05,
  }
}
