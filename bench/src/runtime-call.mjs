// The runtime call layer alone (operationOf + the runtime client) vs the same two requests by hand with fetch.
// node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 bench/src/runtime-call.mjs <alloc|time|ir> <runtime|fetch|both> <loop|stub> [rounds]
import { performance } from 'node:perf_hooks'
import * as current from '../../packages/runtime/dist/index.js'
import * as currentOp from '../../packages/sdk/dist/operation.js'

// BASE_DIST: a directory with a copy of another build (runtime/ and sdk/operation.js), timed as side `base`.
const baseRuntime = process.env.BASE_DIST ? await import(`${process.env.BASE_DIST}/runtime/index.js`) : current
const baseOp = process.env.BASE_DIST ? await import(`${process.env.BASE_DIST}/sdk/operation.js`) : currentOp
import { createNanoBanana } from '@nano-banana/sdk'
import { pathOf, specAnswers, startInstantServer, valueAt } from './overhead.mjs'
import { pickBenchProvider } from './pick.mjs'

const [mode = 'alloc', side = 'runtime', transport = 'loop', roundsArg = '2000'] = process.argv.slice(2)
const id = process.env.OVERHEAD_PROVIDER ?? (await pickBenchProvider())
const { clientMeta: meta } = await import(`@nano-banana/${id}/meta`)
const { created, task: taskAnswer } = specAnswers(id)
const server = await startInstantServer(id)
const headers = (text) => ({ 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) })
const stubFetch = async (_url, init) => {
  const text = init.method === 'POST' ? created : taskAnswer
  return new Response(text, { status: 200, headers: headers(text) })
}
const fetchImpl = transport === 'stub' ? stubFetch : fetch
const apiKey = 'sk-bench'
// Both sides send what the sdk sends (recorded from one round) and read the task id where the spec's answer has it.
const nb = createNanoBanana({ provider: id, apiKey, baseUrl: server.url })
const { taskId: sampleId } = await nb.submit({ prompt: 'A cat playing in the grass' })
await nb.getTask(sampleId)
const [sentCreate, sentGet] = server.requests
const idPath = pathOf(JSON.parse(created), (v) => v === sampleId)
if (!idPath || !sentGet?.url.includes(encodeURIComponent(sampleId))) throw new Error(`bench: cannot find the ${id} task id in the create answer and the query`)
const body = JSON.parse(sentCreate.body)
function runtimeSide({ createProviderClient }, { operationOf }) {
  const client = createProviderClient(
    { id, name: meta.name, defaultBaseUrl: meta.defaultBaseUrl, authPrefix: meta.auth.prefix },
    { apiKey, baseUrl: server.url, ...(transport === 'stub' ? { fetch: stubFetch } : {}) },
  )
  const create = operationOf(meta, 'create')
  const get = operationOf(meta, 'get')
  // ON_HEADERS=1: each call passes an onHeaders hook, as the sdk does when it gives fetch no signal.
  const hook = process.env.ON_HEADERS ? () => (cancelBody) => void cancelBody : () => undefined
  return async () => {
    const a = await create({ client, body, onHeaders: hook() })
    const taskId = valueAt(a.data, idPath)
    const b = await get({ client, [where.in]: { [where.name]: taskId }, onHeaders: hook() })
    if (!b.data) throw new Error('unexpected')
  }
}
const where = meta.operations.get.taskId
const runtime = runtimeSide(current, currentOp)
const base = runtimeSide(baseRuntime, baseOp)
const auth = { [meta.auth.name]: `${meta.auth.prefix}${apiKey}` }
const handWritten = async () => {
  const answer = await fetchImpl(`${server.url}${sentCreate.url}`, {
    method: sentCreate.method,
    headers: { ...auth, 'content-type': 'application/json' },
    body: sentCreate.body,
  })
  const taskId = valueAt(await answer.json(), idPath)
  const task = await fetchImpl(`${server.url}${sentGet.url.replace(encodeURIComponent(sampleId), encodeURIComponent(taskId))}`, {
    method: sentGet.method,
    headers: auth,
  })
  const json = await task.json()
  if (!json) throw new Error('unexpected')
}
const runs = { runtime, base, fetch: handWritten }
const rounds = Number(roundsArg)
try {
  if (mode === 'ir') {
    for (let i = 0; i < Number(process.argv[6] ?? 2000); i++) await runs[side]()
    for (let i = 0; i < rounds; i++) await runs[side]()
  } else if (mode === 'alloc') {
    for (const name of side === 'both' ? ['runtime', 'fetch'] : side === 'all' ? ['base', 'runtime', 'fetch'] : [side]) {
      const run = runs[name]
      for (let i = 0; i < 3000; i++) await run()
      const samples = []
      for (let repeat = 0; repeat < 7; repeat++) {
        globalThis.gc()
        const before = process.memoryUsage().heapUsed
        for (let i = 0; i < 200; i++) await run()
        samples.push((process.memoryUsage().heapUsed - before) / 200)
      }
      samples.sort((a, b) => a - b)
      console.log(`${name} ${transport}: ${(samples[3] / 1024).toFixed(2)} KB/round`)
    }
  } else {
    const names = ['base', 'runtime', 'fetch']
    for (let i = 0; i < 3000; i++) for (const name of names) await runs[name]()
    const t = { base: [], runtime: [], fetch: [] }
    for (let r = 0; r < 60; r++) {
      // A rotating order: no side always goes first.
      for (let k = 0; k < 3; k++) {
        const name = names[(r + k) % 3]
        const start = performance.now()
        for (let i = 0; i < 100; i++) await runs[name]()
        t[name].push((performance.now() - start) / 100)
      }
    }
    const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
    const ratio = (a) => med(t[a].map((x, i) => x / t.fetch[i])).toFixed(3)
    console.log(
      `${transport}: base ${(med(t.base) * 1000).toFixed(1)} µs, runtime ${(med(t.runtime) * 1000).toFixed(1)} µs, fetch ${(med(t.fetch) * 1000).toFixed(1)} µs; base/fetch ${ratio('base')}, runtime/fetch ${ratio('runtime')}, runtime/base ${med(t.runtime.map((x, i) => x / t.base[i])).toFixed(3)}`,
    )
  }
} finally {
  await server.close()
}
