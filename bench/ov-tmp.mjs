import { Bench } from 'tinybench'
import { startInstantServer } from '/work/main/bench/src/overhead.mjs'
import { createEvolinkClient, createImageTask, getImageTask } from '@nano-banana/evolink'
import { createNanoBanana } from '@nano-banana/sdk'
const server = await startInstantServer()
const apiKey='k'
const body = JSON.stringify({ model: 'gemini-3-pro-image-preview', prompt: 'A cat', size: '16:9', quality: '2K' })
const client = createEvolinkClient({ apiKey, baseUrl: server.url })
const nb = createNanoBanana({ provider: 'evolink', apiKey, baseUrl: server.url })
const hand = async () => {
  const c = await fetch(`${server.url}/v1/images/generations`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body })
  const { id } = await c.json()
  const t = await fetch(`${server.url}/v1/tasks/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${apiKey}` } })
  await t.json()
}
const gen = async () => {
  const { data } = await createImageTask({ client, body: { model: 'gemini-3-pro-image-preview', prompt: 'A cat', size: '16:9', quality: '2K' } })
  await getImageTask({ client, path: { task_id: data.id } })
}
const sdk = async () => { const { taskId } = await nb.submit({ prompt: 'A cat', aspectRatio: '16:9', resolution: '2K' }); await nb.getTask(taskId) }
const res = {hand:[],gen:[],sdk:[]}
for (let r=0;r<4;r++){
const b = new Bench({ time: 1000, warmupTime: 200 })
b.add('hand', hand).add('gen', gen).add('sdk', sdk)
await b.run()
for (const t of b.tasks) res[t.name].push(t.result.latency.p50)
}
const med = a => a.sort((x,y)=>x-y)[Math.floor(a.length/2)]
console.log(Object.fromEntries(Object.entries(res).map(([k,v])=>[k, med(v).toFixed(3)])))
await server.close()
