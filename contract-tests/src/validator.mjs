// One ajv (JSON Schema 2020-12 = OpenAPI 3.1) per spec document, from the shared test kit.
export { createSpecValidator, formatErrors } from '@nano-banana/testkit'
