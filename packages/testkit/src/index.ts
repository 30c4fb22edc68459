// @nano-banana/testkit: the helpers every test suite of the repository shares.
export * from './spec.js'
export * from './validate.js'
export * from './server.js'
export * from './image.js'
export * from './wait.js'
export * from './provider-client.js'
export * from './sample.js'
