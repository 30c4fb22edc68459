import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'

const SCHEME = 'nano-banana://images/'

export interface SavedImage {
  path: string
  mimeType: string
  size: number
}

/**
 * The images this server saved, readable through `resources/read` as `nano-banana://images/<file>`:
 * the target of the `resource_link` returned for an image too large to inline. Only files recorded
 * here are served, so a URI cannot name any other file of the disk.
 */
export function registerSavedImages(server: McpServer) {
  const saved = new Map<string, SavedImage>()
  const uriOf = (name: string) => `${SCHEME}${encodeURIComponent(name)}`
  server.registerResource(
    'saved-image',
    new ResourceTemplate(`${SCHEME}{name}`, {
      list: () => ({ resources: [...saved.entries()].map(([name, image]) => ({ uri: uriOf(name), name, mimeType: image.mimeType, size: image.size })) }),
    }),
    { title: 'Saved images', description: 'Images generated in this session, saved under --out.' },
    async (uri, variables) => {
      const name = decodeURIComponent(String(variables.name))
      const image = saved.get(name)
      if (!image) throw new Error(`${uri.href}: no image of that name was saved by this server`)
      const bytes = await readFile(image.path)
      return { contents: [{ uri: uri.href, mimeType: image.mimeType, blob: bytes.toString('base64') }] }
    },
  )
  return {
    /** Records a saved file and returns its resource URI. */
    add(image: SavedImage): string {
      const name = basename(image.path)
      saved.set(name, image)
      return uriOf(name)
    },
  }
}
