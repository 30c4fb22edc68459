// @nano-banana/codegen is plain ESM without types; the tests use one function of it.
declare module '@nano-banana/codegen' {
  export function buildMetaFromYaml(text: string): import('@nano-banana/runtime').ProviderMeta
}
