// The peers the benchmarks put beside the unified client: other clients an app could call instead, each
// in a file of its own here (named after the provider it stands for, where it is one). A peer file exports
// `peers`: entries with
// - `name`: the package and its installed version;
// - `bundle`: an app's source making one image call with it (bundled as the unified client's rows are);
// - optionally `overhead`: `answer(method, path)`, the JSON an instant loopback server gives back, and
//   `sides(url)`, submit + one poll through the peer (`peer`) and the same two requests by hand (`fetch`).
import { readdir, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/** `pkg@version` as installed for the bench, so that a row says which release it measured. */
export async function installed(pkg) {
  const { version } = JSON.parse(await readFile(join(here, '..', '..', 'node_modules', pkg, 'package.json'), 'utf8'))
  return `${pkg}@${version}`
}

/** Every peer, in file order. */
export async function loadPeers() {
  const files = (await readdir(here)).filter((f) => f.endsWith('.mjs') && f !== 'index.mjs').sort()
  const peers = []
  for (const file of files) for (const peer of (await import(join(here, file))).peers) peers.push({ ...peer, file })
  return Promise.all(peers.map(async (p) => ({ ...p, name: await p.name })))
}

/** The peer named `name` (a file's entry), for a forked side that has only the name. */
export async function peerNamed(file, name) {
  const { peers } = await import(join(here, file))
  for (const p of peers) if ((await p.name) === name) return p
  throw new Error(`bench: no peer ${name} in ${file}`)
}

/**
 * The hand-written side of a peer's overhead: POST `body` as JSON to `create`, then GET `get(id)` with the
 * id the answer carries, and check the task is `done`, with nothing but fetch and `headers`.
 */
export const byHand =
  (url, headers, { create, body, get, done }) =>
  async () => {
    const created = await (
      await fetch(`${url}${create}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) })
    ).json()
    const task = await (await fetch(`${url}${get(encodeURIComponent(created.id))}`, { headers })).json()
    if (!done(task)) throw new Error('unexpected')
  }
