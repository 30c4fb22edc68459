import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

type Json = any // eslint-disable-line @typescript-eslint/no-explicit-any

const specsDir = join(import.meta.dirname, '..', '..', 'specs')

function deref(doc: Json, node: Json): Json {
  let current = node
  for (let depth = 0; current && typeof current.$ref === 'string' && depth < 10; depth++) {
    current = (current.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce((at: Json, key: string) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc)
  }
  return current
}

/** Every documented callback request body (named example) of a provider's spec, from every operation. */
export function callbackExamples(provider: string): { name: string; value: unknown }[] {
  const doc = parse(readFileSync(join(specsDir, `${provider}.openapi.yaml`), 'utf8'))
  const examples: { name: string; value: unknown }[] = []
  for (const item of Object.values<Json>(doc.paths ?? {})) {
    for (const op of Object.values<Json>(item ?? {})) {
      for (const callback of Object.values<Json>(op?.callbacks ?? {})) {
        for (const expression of Object.values<Json>(deref(doc, callback) ?? {})) {
          const media = deref(doc, expression?.post?.requestBody)?.content?.['application/json']
          for (const [name, example] of Object.entries<Json>(media?.examples ?? {})) examples.push({ name, value: deref(doc, example).value })
        }
      }
    }
  }
  return examples
}
