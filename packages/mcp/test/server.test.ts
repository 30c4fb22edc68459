import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import { LoggingMessageNotificationSchema, type CallToolResult, type JSONRPCMessage, type Progress } from '@modelcontextprotocol/sdk/types.js'
import { renderImage, startSandbox, type Sandbox } from '@nano-banana/sandbox'
import { providerIds, providers, type AspectRatio, type ProviderId } from '@nano-banana/sdk'
import { checkImage } from '@nano-banana/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url))

interface Running {
  client: Client
  /** Every JSON-RPC message the server wrote to stdout, and its stderr: checked for leaked keys. */
  wire: string[]
  stderr: () => string
  close(): Promise<void>
}

async function start(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, ...args], env, stderr: 'pipe' })
  let stderr = ''
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const client = new Client({ name: 'nano-banana-mcp-test', version: '0.0.0' })
  await client.connect(transport)
  const wire: string[] = []
  const deliver = transport.onmessage!
  transport.onmessage = (message: JSONRPCMessage) => {
    wire.push(JSON.stringify(message))
    deliver(message)
  }
  return { client, wire, stderr: () => stderr, close: () => client.close() }
}

const call = (server: Running, name: string, args: Record<string, unknown>, options: Parameters<Client['callTool']>[2] = {}) =>
  server.client.callTool({ name, arguments: args }, undefined, options) as Promise<CallToolResult>

const textOf = (result: CallToolResult) =>
  result.content
    .filter((part) => part.type === 'text')
    .map((part) => part.text)
    .join('\n')

/** A `key: value` field of the text part. */
const field = (result: CallToolResult, key: string) => new RegExp(`^${key}: (.+)$`, 'm').exec(textOf(result))?.[1]

const imagesOf = (result: CallToolResult) => result.content.flatMap((part) => (part.type === 'image' ? [part] : []))

/** The IHDR size of a whole PNG (checkImage throws for a broken file, and the format must be PNG). */
const pngSize = (bytes: Buffer) => {
  const info = checkImage(bytes)
  expect(info.format).toBe('png')
  return { width: info.width, height: info.height }
}

const ratioOf = (aspect: string) => {
  const [w, h] = aspect.split(':').map(Number) as [number, number]
  return w / h
}

/**
 * A provider whose default model takes the ratio and can return PNG: found in the capability tables,
 * not typed here. Calls ask for `output_format: 'png'` (the PNG_OUT args) so the format is not left to a default.
 */
const providerFor = (aspect: AspectRatio): ProviderId => {
  const id = providerIds.find((p) => {
    const model = providers[p].models[providers[p].defaultModel]!
    return model.aspectRatios.includes(aspect) && model.outputFormats.includes('png')
  })
  if (!id) throw new Error(`no default model takes ${aspect} and returns PNG`)
  return id
}
const PNG_OUT = { output_format: 'png' } as const

/** A ratio some model knows but this provider's default model refuses, from the tables. */
function refusedRatio(): { provider: ProviderId; model: string; aspect: AspectRatio; allowed: readonly AspectRatio[] } {
  const all = new Set(providerIds.flatMap((p) => Object.values(providers[p].models).flatMap((m) => m.aspectRatios)))
  for (const provider of providerIds) {
    const model = providers[provider].models[providers[provider].defaultModel]!
    const aspect = [...all].find((a) => !model.aspectRatios.includes(a))
    if (aspect) return { provider, model: model.id, aspect, allowed: model.aspectRatios }
  }
  throw new Error('every default model takes every ratio: no refusal case in the tables')
}

const WIDE: AspectRatio = '16:9'

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build the package first (pnpm turbo run test --filter=@nano-banana/mcp builds it)`)
})

describe('nano-banana-mcp --sandbox over stdio', () => {
  let server: Running
  let out: string
  // A key in the environment is not used with --sandbox, and never printed.
  const keyed = providerIds[0]!
  const unusedKey = `sk-unused-${randomBytes(12).toString('hex')}`

  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'nb-mcp-'))
    server = await start(['--sandbox', '--out', out, '--sandbox-task-ms', '800'], { [providers[keyed].envKey]: unusedKey })
  })
  afterAll(async () => {
    await server?.close()
    await rm(out, { recursive: true, force: true })
  })

  it('lists its tools with schemas taken from the capability tables', async () => {
    const { tools } = await server.client.listTools()
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]))
    expect(Object.keys(byName).sort()).toEqual(['edit_image', 'generate_image', 'get_task', 'list_providers', 'wait_task'])
    const props = byName.generate_image!.inputSchema.properties as Record<string, { enum?: string[]; maximum?: number; maxItems?: number }>
    const models = Object.values(providers).flatMap((p) => Object.values(p.models))
    expect(props.provider!.enum).toEqual(providerIds)
    expect(new Set(props.aspect_ratio!.enum)).toEqual(new Set(models.flatMap((m) => m.aspectRatios)))
    expect(new Set(props.resolution!.enum)).toEqual(new Set(models.flatMap((m) => m.resolutions)))
    expect(new Set(props.model!.enum)).toEqual(new Set(models.map((m) => m.id)))
    expect(props.n!.maximum).toBe(Math.max(...models.map((m) => m.maxN)))
    expect(props.images!.maxItems).toBe(Math.max(...models.map((m) => m.maxImages)))
    expect(byName.generate_image!.inputSchema.required).toEqual(['prompt'])
    expect(byName.edit_image!.inputSchema.required).toEqual(expect.arrayContaining(['prompt', 'images']))
    expect(byName.wait_task!.inputSchema.required).toEqual(['task_id'])
  })

  it('generates a 16:9 image: the image content decodes to a 16:9 PNG, saved under --out', async () => {
    const provider = providerFor(WIDE)
    const result = await call(server, 'generate_image', { prompt: 'A nano banana on a sunny desk', aspect_ratio: WIDE, provider, ...PNG_OUT })
    expect(result.isError).toBeFalsy()
    const [image, ...more] = imagesOf(result)
    expect(more).toHaveLength(0)
    expect(image!.mimeType).toBe('image/png')
    const bytes = Buffer.from(image!.data, 'base64')
    const { width, height } = pngSize(bytes)
    expect(Math.abs(width / height - ratioOf(WIDE))).toBeLessThan(0.01)
    expect(field(result, 'provider')).toBe(provider)
    expect(field(result, 'model')).toBe(providers[provider].defaultModel)
    const taskId = field(result, 'task_id')!
    const file = field(result, 'files')!
    expect(file.startsWith(out)).toBe(true)
    expect(file).toContain(taskId.replace(/[^A-Za-z0-9._-]/g, '_'))
    expect((await readFile(file)).equals(bytes)).toBe(true)
  })

  it('answers an aspect ratio the model does not take with an isError result naming the allowed ones', async () => {
    const { provider, model, aspect, allowed } = refusedRatio()
    const result = await call(server, 'generate_image', { prompt: 'A banana', provider, model, aspect_ratio: aspect })
    expect(result.isError).toBe(true)
    expect(imagesOf(result)).toHaveLength(0)
    const text = textOf(result)
    expect(text).toContain('UnsupportedOptionError')
    expect(text).toContain(`"${aspect}" is not supported`)
    expect(text).toContain(allowed.join(', '))
    expect(text).not.toMatch(/task_id/)
    // Still serving after the refusal.
    expect((await call(server, 'list_providers', {})).isError).toBeFalsy()
  })

  it('answers a ratio no model knows with an isError result from the schema', async () => {
    const result = await call(server, 'generate_image', { prompt: 'A banana', aspect_ratio: '7:3' })
    expect(result.isError).toBe(true)
    expect(textOf(result)).toMatch(/aspect_ratio/)
  })

  it('submits without waiting, reports the task with get_task, and wait_task resumes it', async () => {
    const provider = providerFor(WIDE)
    const submitted = await call(server, 'generate_image', { prompt: 'A banana, later', aspect_ratio: WIDE, provider, ...PNG_OUT, wait: false })
    expect(submitted.isError).toBeFalsy()
    expect(field(submitted, 'status')).toBe('submitted')
    expect(imagesOf(submitted)).toHaveLength(0)
    const taskId = field(submitted, 'task_id')!
    expect(taskId).toBeTruthy()

    const status = await call(server, 'get_task', { task_id: taskId, provider })
    expect(status.isError).toBeFalsy()
    expect(field(status, 'task_id')).toBe(taskId)
    expect(['queued', 'running', 'succeeded']).toContain(field(status, 'status'))

    const resumed = await call(server, 'wait_task', { task_id: taskId, provider })
    expect(resumed.isError).toBeFalsy()
    expect(field(resumed, 'task_id')).toBe(taskId)
    const { width, height } = pngSize(Buffer.from(imagesOf(resumed)[0]!.data, 'base64'))
    expect(Math.abs(width / height - ratioOf(WIDE))).toBeLessThan(0.01)
  })

  it('answers "running" with the task id when the wait runs out, and wait_task resumes that task', async () => {
    const provider = providerFor(WIDE)
    const early = await call(server, 'generate_image', { prompt: 'A banana in a hurry', aspect_ratio: WIDE, provider, wait_seconds: 0.001 })
    expect(early.isError).toBeFalsy()
    expect(field(early, 'status')).toBe('running')
    const taskId = field(early, 'task_id')!
    expect(textOf(early)).toContain('wait_task')
    const resumed = await call(server, 'wait_task', { task_id: taskId, provider })
    expect(field(resumed, 'task_id')).toBe(taskId)
    expect(imagesOf(resumed)).toHaveLength(1)
  })

  it('sends growing progress notifications, the first naming the task id', async () => {
    const seen: Progress[] = []
    const result = await call(
      server,
      'generate_image',
      { prompt: 'A banana with progress', aspect_ratio: WIDE, provider: providerFor(WIDE) },
      { onprogress: (p) => seen.push(p) },
    )
    expect(result.isError).toBeFalsy()
    const taskId = field(result, 'task_id')!
    expect(seen.length).toBeGreaterThanOrEqual(2)
    expect(seen[0]!.message).toContain(taskId)
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.progress).toBeGreaterThan(seen[i - 1]!.progress)
    expect(seen.at(-1)!.progress).toBe(100)
    expect(seen.every((p) => p.total === 100)).toBe(true)

    // Without a progressToken the server sends none.
    const before = server.wire.length
    expect((await call(server, 'generate_image', { prompt: 'A quiet banana', provider: providerFor(WIDE) })).isError).toBeFalsy()
    expect(server.wire.slice(before).filter((m) => m.includes('notifications/progress'))).toEqual([])
  })

  it('honours cancellation and logs the task id, which wait_task then resumes', async () => {
    const provider = providerFor(WIDE)
    const logs: string[] = []
    const logged = new Promise<void>((done) =>
      server.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
        logs.push(String(n.params.data))
        if (/cancelled/.test(String(n.params.data))) done()
      }),
    )
    const controller = new AbortController()
    let announced = ''
    const pending = call(
      server,
      'generate_image',
      { prompt: 'A banana nobody waits for', aspect_ratio: WIDE, provider, wait_seconds: 60 },
      {
        signal: controller.signal,
        onprogress: (p) => {
          announced ||= p.message ?? ''
          controller.abort()
        },
      },
    )
    await expect(pending).rejects.toThrow()
    await logged
    const taskId = /task (\S+)/.exec(announced)![1]!
    const line = logs.find((l) => l.includes('cancelled'))!
    expect(line).toContain(taskId)
    expect(line).toContain('wait_task')
    const resumed = await call(server, 'wait_task', { task_id: taskId, provider })
    expect(resumed.isError).toBeFalsy()
    expect(imagesOf(resumed)).toHaveLength(1)
  })

  it('takes a local reference image by absolute path and refuses non-images and relative paths', async () => {
    const picture = join(out, 'reference.png')
    const notAnImage = join(out, 'notes.txt')
    await writeFile(picture, renderImage({ prompt: 'reference', seed: 'mcp', index: 0, width: 8, height: 8, format: 'png' }))
    await writeFile(notAnImage, 'not a picture')
    const provider = providerFor(WIDE)
    const edited = await call(server, 'edit_image', { prompt: 'Make it yellow', images: [picture], provider })
    expect(edited.isError).toBeFalsy()
    expect(imagesOf(edited)).toHaveLength(1)

    const refused = await call(server, 'edit_image', { prompt: 'Make it yellow', images: [notAnImage], provider })
    expect(refused.isError).toBe(true)
    expect(textOf(refused)).toContain('not a PNG, JPEG, WebP or GIF')
    expect(textOf(refused)).not.toContain('not a picture')

    const relative = await call(server, 'edit_image', { prompt: 'Make it yellow', images: ['reference.png'], provider })
    expect(relative.isError).toBe(true)
    expect(textOf(relative)).toContain('absolute path')

    const none = await call(server, 'edit_image', { prompt: 'Make it yellow', images: [] })
    expect(none.isError).toBe(true)
  })

  it('passes n and output_format through: as many images as asked, in the asked format', async () => {
    const pick = providerIds.flatMap((provider) =>
      Object.values(providers[provider].models)
        .filter((m) => m.maxN >= 2 && m.outputFormats.includes('jpeg') && !m.notSent?.includes('outputFormat'))
        .map((m) => ({ provider, model: m.id })),
    )[0]
    if (!pick) throw new Error('no model in the tables takes n >= 2 and jpeg')
    const result = await call(server, 'generate_image', { prompt: 'Two bananas', ...pick, n: 2, output_format: 'jpeg' })
    expect(result.isError).toBeFalsy()
    const images = imagesOf(result)
    expect(images).toHaveLength(2)
    for (const image of images) {
      expect(image.mimeType).toBe('image/jpeg')
      expect([...Buffer.from(image.data, 'base64').subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
    }
    expect(field(result, 'files')!.split(', ')).toHaveLength(2)
  })

  it('says in list_providers that it runs offline, which keys are configured, and prints none', async () => {
    const text = textOf(await call(server, 'list_providers', {}))
    expect(text).toMatch(/^mode: sandbox/m)
    for (const id of providerIds) {
      expect(text).toContain(`key: ${id === keyed ? 'configured' : 'not configured'} (${providers[id].envKey})`)
    }
    const everything = server.wire.join('\n') + server.stderr()
    expect(everything).toContain(providers[keyed].envKey)
    expect(everything).not.toContain(unusedKey)
  })
})

describe('nano-banana-mcp --max-inline-bytes', () => {
  it('returns an image above the limit as a resource link to the saved file', async () => {
    const out = await mkdtemp(join(tmpdir(), 'nb-mcp-'))
    const server = await start(['--sandbox', '--out', out, '--sandbox-task-ms', '200', '--max-inline-bytes', '100'])
    try {
      const result = await call(server, 'generate_image', { prompt: 'A big banana', aspect_ratio: WIDE, provider: providerFor(WIDE), ...PNG_OUT })
      expect(result.isError).toBeFalsy()
      expect(imagesOf(result)).toHaveLength(0)
      const link = result.content.find((part) => part.type === 'resource_link')
      if (link?.type !== 'resource_link') throw new Error(`no resource_link in ${JSON.stringify(result.content)}`)
      expect(link.mimeType).toBe('image/png')
      const file = field(result, 'files')!
      const bytes = await readFile(file)
      expect(link.size).toBe(bytes.length)
      expect(bytes.length).toBeGreaterThan(100)
      const { width, height } = pngSize(bytes)
      expect(Math.abs(width / height - ratioOf(WIDE))).toBeLessThan(0.01)
      expect(textOf(result)).toContain('inline limit')

      // The link resolves through the protocol too, for clients that cannot open the server's files.
      const read = await server.client.readResource({ uri: link.uri })
      const blob = read.contents[0]
      if (!blob || !('blob' in blob)) throw new Error(`no blob in ${JSON.stringify(read)}`)
      expect(blob.mimeType).toBe('image/png')
      expect(Buffer.from(blob.blob, 'base64').equals(bytes)).toBe(true)
      const listed = await server.client.listResources()
      expect(listed.resources.map((r) => r.uri)).toContain(link.uri)
      // Only files this server saved: no other name resolves.
      await expect(server.client.readResource({ uri: link.uri.replace(/[^/]+$/, 'passwd') })).rejects.toThrow(/no image of that name/)
      await expect(server.client.readResource({ uri: link.uri.replace(/[^/]+$/, encodeURIComponent('../../etc/passwd')) })).rejects.toThrow()
    } finally {
      await server.close()
      await rm(out, { recursive: true, force: true })
    }
  })
})

describe('nano-banana-mcp with keys from the environment', () => {
  // A sandbox in this process stands in for the providers, reached through the documented env variables.
  const secret = `sk-live-${randomBytes(12).toString('hex')}`
  const wrong = `sk-wrong-${randomBytes(12).toString('hex')}`
  const [good, bad, ...unset] = providerIds as [ProviderId, ProviderId, ...ProviderId[]]
  let sandbox: Sandbox
  let server: Running
  let out: string

  beforeAll(async () => {
    sandbox = await startSandbox({ apiKey: secret, taskDurationMs: 200 })
    out = await mkdtemp(join(tmpdir(), 'nb-mcp-'))
    server = await start(['--out', out, '--provider', good], {
      [providers[good].envKey]: secret,
      [providers[good].baseUrlEnvKey]: sandbox.baseUrl(good),
      [providers[bad].envKey]: wrong,
      [providers[bad].baseUrlEnvKey]: sandbox.baseUrl(bad),
    })
  })
  afterAll(async () => {
    await server?.close()
    await sandbox?.close()
    await rm(out, { recursive: true, force: true })
  })

  it('lists which keys are configured', async () => {
    const text = textOf(await call(server, 'list_providers', {}))
    expect(text).toMatch(/^mode: live/m)
    expect(text).toContain(`key: configured (${providers[good].envKey})`)
    expect(text).toContain(`key: configured (${providers[bad].envKey})`)
    for (const id of unset) expect(text).toContain(`key: not configured (${providers[id].envKey})`)
  })

  it('generates with the configured key and refuses the others with isError results', async () => {
    const ok = await call(server, 'generate_image', { prompt: 'A real banana' })
    expect(ok.isError).toBeFalsy()
    expect(field(ok, 'provider')).toBe(good)
    expect(imagesOf(ok)).toHaveLength(1)
    expect(sandbox.submissions(good)).toBe(1)

    const denied = await call(server, 'generate_image', { prompt: 'A banana', provider: bad })
    expect(denied.isError).toBe(true)
    expect(textOf(denied)).toContain('AuthenticationError')

    const missing = await call(server, 'generate_image', { prompt: 'A banana', provider: unset[0] })
    expect(missing.isError).toBe(true)
    expect(textOf(missing)).toContain(providers[unset[0]!].envKey)

    const local = await call(server, 'edit_image', { prompt: 'A banana', images: [join(out, 'x.png')] })
    expect(local.isError).toBe(true)
    expect(textOf(local)).toContain('public http(s) URL')
    // Only the configured key's task was accepted: the refusals sent nothing billable.
    expect(sandbox.submissions()).toBe(1)
  })

  it('reports a task that failed at the provider as isError with its task id', async () => {
    sandbox.faults.add({ provider: good, phase: 'submit', fault: 'task-fail' })
    const failed = await call(server, 'generate_image', { prompt: 'A banana that will not be' })
    expect(failed.isError).toBe(true)
    expect(textOf(failed)).toMatch(/TaskFailedError|ContentPolicyError/)
    const taskId = field(failed, 'task_id')!
    expect(sandbox.tasks.get(good, taskId)).toBeDefined()
    expect(textOf(failed)).toContain('ended without images')
    const status = await call(server, 'get_task', { task_id: taskId })
    expect(status.isError).toBeFalsy()
    expect(field(status, 'status')).toBe('failed')
  })

  it('resumes in a new server process a task submitted by one that has exited', async () => {
    const env = {
      [providers[good].envKey]: secret,
      [providers[good].baseUrlEnvKey]: sandbox.baseUrl(good),
    }
    const first = await start(['--out', out, '--provider', good], env)
    const submitted = await call(first, 'generate_image', { prompt: 'A banana for later', wait: false })
    await first.close()
    const taskId = field(submitted, 'task_id')!
    const accepted = sandbox.submissions(good)

    const second = await start(['--out', out, '--provider', good], env)
    try {
      const resumed = await call(second, 'wait_task', { task_id: taskId })
      expect(resumed.isError).toBeFalsy()
      expect(field(resumed, 'task_id')).toBe(taskId)
      expect(imagesOf(resumed)).toHaveLength(1)
      expect(sandbox.submissions(good)).toBe(accepted) // resumed, not resubmitted
      expect(first.wire.join('\n') + first.stderr() + second.wire.join('\n') + second.stderr()).not.toContain(secret)
    } finally {
      await second.close()
    }
  })

  it('never writes a key to stdout or stderr', async () => {
    await call(server, 'get_task', { task_id: 'no-such-task', provider: bad })
    const everything = server.wire.join('\n') + server.stderr()
    expect(everything.length).toBeGreaterThan(0)
    expect(everything).not.toContain(secret)
    expect(everything).not.toContain(wrong)
  })
})
