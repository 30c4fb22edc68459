// Breaking a spec makes specific contract cases fail. A copy of the EvoLink spec in a temp dir is
// mutated; the checker (the suite's own case generators and validators, without Prism) judges the
// cases generated from the original spec -- what a client built from it sends and expects -- with
// the validators of the mutated copy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { requestCases } from '../../src/cases.mjs'
import { runLocalChecks } from '../../src/checker.mjs'
import { getProvider } from '../../src/providers.mjs'
import { loadSpec } from '../../src/spec.mjs'

const original = loadSpec(getProvider('evolink').specPath)
const dir = mkdtempSync(join(tmpdir(), 'contract-mutation-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function mutatedCopy(name: string, mutate: (doc: any) => void) {
  const doc = parse(readFileSync(original.path!, 'utf8'))
  mutate(doc)
  const path = join(dir, `${name}.openapi.yaml`)
  writeFileSync(path, stringify(doc))
  return loadSpec(path)
}
const failing = (spec: ReturnType<typeof loadSpec>) =>
  runLocalChecks(spec, { casesFrom: original })
    .filter((r) => !r.ok)
    .map((r) => r.id)
    .sort()

const REQUEST_EXAMPLE = 'example /paths/~1v1~1images~1generations/post/requestBody/content/application~1json'

describe('checker on mutated copies of the evolink spec', () => {
  it('the unmodified copy passes every check', ({ expect }) => {
    expect(failing(mutatedCopy('unchanged', () => {}))).toEqual([])
  })

  it('removing the enum value "16:9" from SizeGemini3Pro fails exactly the cases that use it', ({ expect }) => {
    const spec = mutatedCopy('enum-removed', (doc) => {
      const size = doc.components.schemas.SizeGemini3Pro
      size.enum = size.enum.filter((v: string) => v !== '16:9')
    })
    expect(failing(spec)).toEqual(
      [
        // The documented request example sends size 16:9 to gemini-3-pro-image-preview.
        `${REQUEST_EXAMPLE} examples.image_to_image`,
        // The three models whose size is SizeGemini3Pro: their "every enum value" case for 16:9.
        'request createImageTask [model=gemini-3-pro-image-preview] size = "16:9" (enum value)',
        'request createImageTask [model=gemini-3.1-flash-lite-image] size = "16:9" (enum value)',
        'request createImageTask [model=nano-banana-2-lite] size = "16:9" (enum value)',
      ].sort(),
    )
  })

  it('changing a response field type (CreateImageTaskResponse.progress integer -> string) fails the create responses', ({ expect }) => {
    const spec = mutatedCopy('response-type', (doc) => {
      doc.components.schemas.CreateImageTaskResponse.properties.progress.type = 'string'
    })
    const responses = ['task_created', 'task_created_gemini_3_pro_image_preview', 'task_created_gemini_2_5_flash_image']
    expect(failing(spec)).toEqual(
      [
        ...responses.map((name) => `response createImageTask 200 example=${name}`),
        ...responses.map((name) => `example /paths/~1v1~1images~1generations/post/responses/200/content/application~1json examples.${name}`),
      ].sort(),
    )
  })

  it('changing a request field type (Prompt2000 string -> integer) fails the requests of the four models that use it, not the fifth', ({ expect }) => {
    const spec = mutatedCopy('request-type', (doc) => {
      doc.components.schemas.Prompt2000.type = 'integer'
    })
    const failed = failing(spec)
    for (const model of ['nano-banana-2-lite', 'gemini-3-pro-image-preview', 'gemini-3.1-flash-image-preview', 'gemini-3.1-flash-lite-image']) {
      expect(failed).toContain(`request createImageTask [model=${model}] valid request (required fields only)`)
      expect(failed).toContain(`request createImageTask [model=${model}] prompt at maxLength 2000`)
    }
    // gemini-2.5-flash-image has its own prompt schema: untouched.
    expect(failed.filter((id) => id.includes('model=gemini-2.5-flash-image'))).toEqual([])
    expect(failed).toContain(`${REQUEST_EXAMPLE} examples.text_to_image`)
  })

  it('a constraint added to the spec gets its cases without new code', ({ expect }) => {
    const spec = mutatedCopy('constraint-added', (doc) => {
      doc.components.schemas.ModelParams.properties = { seed: { type: 'integer', minimum: 0, maximum: 99 } }
      doc.components.schemas.ModelParams.additionalProperties = false
    })
    const ids = requestCases(spec).cases.map((c) => c.id)
    const branch = 'createImageTask [model=gemini-3.1-flash-image-preview]'
    for (const expected of [
      `${branch} model_params.seed breaks minimum (0) `,
      `${branch} model_params.seed breaks maximum (99) `,
      `${branch} model_params.seed breaks type (integer) `,
      `${branch} model_params breaks additionalProperties (false) `,
    ]) {
      expect(ids.some((id) => (id + ' ').startsWith(expected))).toBe(true)
    }
    // ...and every check on the changed spec itself passes (the new cases included).
    expect(runLocalChecks(spec).filter((r) => !r.ok)).toEqual([])
  })
})
