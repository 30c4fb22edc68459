// One redis-server for the whole run (each test uses its own queue name); stopped after.
import type { TestProject } from 'vitest/node'
import { startRedis } from '../helpers/processes.js'

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis()
  project.provide('redisUrl', redis.url)
  return () => redis.stop()
}
