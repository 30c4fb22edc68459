// Ships the provider specs inside dist/ so the published package validates requests without the monorepo.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const from = join(root, '..', '..', 'specs')
const to = join(root, 'dist', 'specs')
mkdirSync(to, { recursive: true })
const files = readdirSync(from).filter((name) => name.endsWith('.openapi.yaml'))
for (const name of files) copyFileSync(join(from, name), join(to, name))
console.log(`copied ${files.length} specs to dist/specs`)
