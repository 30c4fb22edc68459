// Security, issue 15 item 10 for the queue's writer: a symlink planted at the temporary name is never written through.
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import { saveJobImages } from '../src/execute.js'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})
const temp = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'nb-queue-save-'))
  dirs.push(dir)
  return dir
}
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const image = { url: 'https://cdn.example/x.png', download: async () => ({ bytes: PNG, contentType: 'image/png', extension: 'png' }) }

it('a symlink planted at the old `<file>.part` name is not followed; the outside file stays untouched', async () => {
  const dir = await temp()
  const outside = join(await temp(), 'victim.txt')
  await writeFile(outside, 'keep me')
  await symlink(outside, join(dir, 'job.png.part'))
  const [path] = await saveJobImages({ images: [image] }, 'job', dir)
  expect(path).toBe(join(dir, 'job.png'))
  expect(await readFile(outside, 'utf8')).toBe('keep me')
  expect(new Uint8Array(await readFile(path!))).toEqual(PNG)
  expect((await readdir(dir)).sort()).toEqual(['job.png', 'job.png.part'])
})
