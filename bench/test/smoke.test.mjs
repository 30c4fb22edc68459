// A small run of every benchmark inside `pnpm test`, so the benchmarks cannot rot unnoticed.
import { describe, expect, it } from 'vitest'
import { benchBundleParts, bundlePieces, partOf } from '../src/bundle-parts.mjs'
import { benchBundle, bundle, MARKERS, ONE, oneProviderSource } from '../src/bundle.mjs'
import { benchCodegen } from '../src/codegen.mjs'
import { benchCompletion } from '../src/completion.mjs'
import { benchConcurrency } from '../src/concurrency.mjs'
import { benchOverhead } from '../src/overhead.mjs'
import { loadPeers } from '../src/peers/index.mjs'
import { table } from '../src/report.mjs'

// Side by side: the completion and concurrency runs mostly wait on the sandbox's real task durations, the
// bundle run is esbuild's CPU; one after another they left a core idle for most of this file's time. The
// smoke assertions are counts and lower bounds, which other work running beside them does not change.
describe.concurrent('benchmark smoke runs', () => {
  it('overhead: both clients complete and a ratio is computed', async () => {
    const r = await benchOverhead({ smoke: true })
    expect(r.ratio).toBeGreaterThan(0)
    expect(Number.isFinite(r.clientMedianMs)).toBe(true)
    // Beside it, in the same run, every peer that brings an overhead side, each with a ratio of its own.
    const peers = (await loadPeers()).filter((p) => p.overhead)
    expect(peers.length).toBeGreaterThanOrEqual(3)
    expect(r.rows.map((row) => row.client)).toEqual([expect.stringContaining('@nano-banana/sdk'), ...peers.map((p) => p.name)])
    for (const row of r.rows) expect(row.ratio).toBeGreaterThan(0)
  }, 30_000)

  it('completion: every strategy finishes and counts polls; the callback path polls 0 times', async () => {
    const r = await benchCompletion({ smoke: true })
    // The batch (SDK and 500 ms poller), then six strategies per single duration.
    expect(r.rows.length).toBe(2 + 6 * 2)
    for (const row of r.rows) expect(row.addedLatencyMs).toBeGreaterThanOrEqual(-50)
    for (const row of r.rows.filter((x) => x.strategy.includes('callback alone'))) expect(row.polls).toBe(0)
    // Waiting for a callback polls once it arrives (the confirming poll), not on a schedule.
    for (const row of r.rows.filter((x) => x.strategy.includes('callback first'))) expect(row.polls).toBeLessThanOrEqual(2)
    expect(table(r.rows)).toContain('fixed 500 ms poller')
  }, 30_000)

  it('bundle: importing one provider does not pull in the others', async () => {
    const { code } = await bundle(oneProviderSource(ONE))
    const inside = Object.entries(MARKERS)
      .filter(([, marker]) => code.includes(marker))
      .map(([id]) => id)
    expect(inside).toEqual([ONE])
    const r = await benchBundle()
    const all = r.rows.find((row) => row.bundle.startsWith('sdk, every provider'))
    expect(all.providersInside.split(' ').sort()).toEqual(Object.keys(MARKERS).sort())
    // Every peer has its row; each library really came along (bundled, not left external): more than the plain-fetch floor.
    const peerRows = r.rows.filter((row) => row.bundle.startsWith('peer: '))
    const peers = await loadPeers()
    expect(peerRows.map((row) => row.bundle)).toEqual(peers.map((p) => `peer: ${p.name}, one image call, one file`))
    const floor = peerRows.find((row) => row.bundle.includes('plain fetch'))
    for (const row of peerRows.filter((x) => x !== floor)) expect(row.gzipKiB, row.bundle).toBeGreaterThan(2 * floor.gzipKiB)
  }, 60_000)

  it('bundle parts: the cut pieces are the one-file bundle, every module has its part, the parts add up to it', async () => {
    const { real, pieces } = await bundlePieces()
    expect(pieces.map((p) => p.text).join('')).toBe(real)
    expect(new Set(pieces.map((p) => partOf(p.path)))).toContain('provider adapters (packages/sdk/dist/providers/*)')
    for (const p of pieces)
      expect(p.path === '<entry>' || /^(provider adapters|providers' generated metas|fetch runtime|wire shapes|engine: )/.test(partOf(p.path)), p.path).toBe(true)
    const r = await benchBundleParts()
    const whole = r.rows.find((row) => row.part === 'the whole bundle')
    const oneFile = (await benchBundle()).rows.find((row) => row.bundle.includes('one file, no splitting'))
    expect(whole.gzipKiB).toBe(oneFile.gzipKiB)
    const parts = r.rows.filter((row) => row.modules !== undefined && row.minKiB !== undefined && row !== whole)
    expect(parts.reduce((n, row) => n + row.gzipKiB, 0)).toBeLessThanOrEqual(whole.gzipKiB)
  }, 30_000)

  it('concurrency: every call succeeds, none lost, none submitted twice', async () => {
    const r = await benchConcurrency({ smoke: true })
    expect(r.succeeded).toBe(r.calls)
    expect(r.lost).toBe(0)
    expect(r.doubleSubmissions).toBe(0)
  }, 30_000)

  it('codegen: a turbo cache-hit generate run is timed', async () => {
    const r = await benchCodegen({ smoke: true, withTests: false })
    expect(r.rows[0].seconds).toBeGreaterThan(0)
  }, 60_000)
})
