// The generated client's create call against a local server (the spec's path, auth and first request
// example): the same file in every provider package.
import { describeProviderClient } from '@nano-banana/testkit'
import * as pkg from '../src/index.js'

await describeProviderClient(pkg)
