// Loading OpenAPI 3.1 specs and walking them: the shared test kit's reader, under the names the
// checker's modules use.
export {
  HTTP_METHODS,
  SPECS_DIR,
  asSpec,
  deref,
  fromPointer,
  getAt,
  isJsonMediaType,
  listOperations,
  loadSpec,
  namedExamples,
  serverUrl,
  specFromDocument,
  toFragment,
  toPointer,
} from '@nano-banana/testkit'
