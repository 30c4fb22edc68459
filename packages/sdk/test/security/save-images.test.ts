// Security, issue 15 items 5 and 10: saveImages writes `<id>-<n>.<ext>` with the extension from the bytes,
// creates every file exclusively (never through a planted symlink) and never replaces an existing file.
import { lstat, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { DownloadedImage } from '../../src/download.js'
import { NanoBananaError } from '../../src/index.js'
import { imageTypeOf } from '../../src/image-type.js'
import { saveImages } from '../../src/node.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((fn) => fn()))
})
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'nb-security-save-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x49, 0x45, 0x4e, 0x44])
const image = (bytes: Uint8Array) => ({ download: async (): Promise<DownloadedImage> => ({ bytes, ...imageTypeOf(bytes)! }) })
const result = (taskId: string, count = 1) => ({ taskId, images: Array.from({ length: count }, () => image(PNG)) })

describe('saveImages', () => {
  it('a symlink planted at the old temporary name is not followed; the outside file stays untouched', async () => {
    const dir = await tempDir()
    const outside = join(await tempDir(), 'victim.txt')
    await writeFile(outside, 'keep me')
    for (const name of ['t-1.png.part', '.t-1.png.part', 't-1.png']) await symlink(outside, join(dir, name)).catch(() => undefined)
    const [path] = await saveImages(result('t'), dir)
    expect(await readFile(outside, 'utf8')).toBe('keep me')
    expect(path).toBe(join(dir, 't-1-2.png'))
    expect((await lstat(path!)).isSymbolicLink()).toBe(false)
  })

  it.each([
    ['suffix (default)', undefined, ['t-1-2.png', 't-1-3.png']],
    ['suffix', 'suffix' as const, ['t-1-2.png', 't-1-3.png']],
  ])('an existing file is never replaced: %s', async (_, onExisting, expected) => {
    const dir = await tempDir()
    await writeFile(join(dir, 't-1.png'), 'mine')
    const first = await saveImages(result('t'), dir, onExisting ? { onExisting } : {})
    const second = await saveImages(result('t'), dir, onExisting ? { onExisting } : {})
    expect([...first, ...second]).toEqual(expected.map((name) => join(dir, name)))
    expect(await readFile(join(dir, 't-1.png'), 'utf8')).toBe('mine')
  })

  it("onExisting: 'error' throws file_exists and leaves the file and no temporary file", async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 't-1.png'), 'mine')
    const error = (await saveImages(result('t'), dir, { onExisting: 'error' }).catch((e: unknown) => e)) as NanoBananaError
    expect(error).toBeInstanceOf(NanoBananaError)
    expect(error.code).toBe('file_exists')
    expect(error.taskId).toBe('t')
    expect(await readFile(join(dir, 't-1.png'), 'utf8')).toBe('mine')
    expect(await readdir(dir)).toEqual(['t-1.png'])
  })

  it('a task id with path parts cannot leave the folder; the extension is the bytes’ own', async () => {
    const dir = await tempDir()
    const paths = await saveImages(result('../../etc/x.sh', 2), dir)
    expect(paths.map((p) => p.slice(dir.length + 1))).toEqual(['.._.._etc_x.sh-1.png', '.._.._etc_x.sh-2.png'])
    expect((await readdir(dir)).sort()).toEqual(['.._.._etc_x.sh-1.png', '.._.._etc_x.sh-2.png'])
  })
})
