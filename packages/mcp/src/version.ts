import { createRequire } from 'node:module'

/** This package's version, read from its package.json at run time (dist/ sits beside it). */
export const version = (createRequire(import.meta.url)('../package.json') as { version: string }).version
