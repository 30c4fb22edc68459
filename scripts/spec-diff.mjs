// Classifies the change between two versions of an OpenAPI spec as a semver bump, with
// api-smart-diff (https://github.com/udamir/api-smart-diff) doing the diff and the classification.
//
// Why api-smart-diff: it reads OpenAPI 3.1 as plain objects, resolves every $ref, merges oneOf +
// discriminator variants, and classifies each change by where it sits: a value removed from a
// request enum or a lowered maxItems/maxLength is breaking, an added optional field, enum value or
// operation is non-breaking, and responses get the reversed rule (a response enum that gains a value
// is breaking for a client that switches on it). Tried and rejected: openapi-diff 0.24 (its
// swagger-parser refuses `openapi: 3.1.0`, and with the version forced to 3.0.3 it rejects 3.1
// schemas such as `type: 'null'`); @useoptic/openapi-utilities (a diff without a breaking-change
// classification; that lives in @useoptic/standard-rulesets, which pulls in an OpenAI client);
// oasdiff wrappers and @pb33f/openapi-changes download a Go binary at install time.
//
// What this module adds on top of the library, and why (rule changes go through its own rule hook):
// - A property removed from a request schema is breaking: the library counts it non-breaking (in
//   JSON Schema terms it lifts a constraint), but here the generated client drops the field, so code
//   that sets it stops compiling, and with `additionalProperties: false` the provider refuses it.
//   Responses keep the library's rule (removed is breaking only when it was required).
// - Changes nested inside `example`/`examples` (an example object's fields, an array inside a
//   schema's `examples`) are annotations like the `examples` node itself; the library leaves them
//   unclassified.
// - Callbacks get operation rules with request and response reversed (the library compares them
//   without rules, so every change in one is unclassified).
// - The library reports a component schema change twice: where operations use it (with the request
//   or response context) and once more under /components, classified as if it were a request. A
//   component that the document references is therefore counted through its uses only (unless the
//   library lost the change at its uses: then once, from /components); an unreferenced one is counted
//   on its own.
// - Bumps: breaking -> major; non-breaking, deprecated and unclassified (e.g. an `x-` extension,
//   which in these specs feeds the generated metadata) -> minor; annotations (descriptions,
//   summaries, examples) -> patch.
import { allAnnotation, apiCompare, breaking, openapi3Rules, propertyClassifyRule, reverseClassifyRuleTransformer, transformComapreRules } from 'api-smart-diff'
import YAML from 'yaml'

export const BUMPS = /** @type {const} */ (['patch', 'minor', 'major'])

const BUMP_OF_TYPE = {
  breaking: 'major',
  'non-breaking': 'minor',
  deprecated: 'minor',
  unclassified: 'minor',
  annotation: 'patch',
}

/** -1 for no bump (`none`, undefined), else the index in BUMPS. */
export function bumpRank(bump) {
  return BUMPS.indexOf(bump)
}

export function maxBump(bumps) {
  let best = null
  for (const b of bumps) if (bumpRank(b) > bumpRank(best)) best = b
  return best
}

const EXAMPLE_KEYS = ['/example', '/examples']
// [add, remove, replace, reversed add, reversed remove, reversed replace]: only `remove` changes, so
// the reversed (response) entries stay the library's.
const REQUEST_PROPERTY_RULE = [propertyClassifyRule[0], breaking, ...propertyClassifyRule.slice(2)]

/**
 * The library's OpenAPI 3 rules with the changes listed at the top. Built per comparison: the
 * library's $ref compare resolvers keep a cache inside the rules.
 */
function rules() {
  const base = transformComapreRules(openapi3Rules(), (rule) => {
    // Response schemas carry a reversed copy of the rule, so only request-side properties match.
    let out = rule.$ === propertyClassifyRule ? { ...rule, $: REQUEST_PROPERTY_RULE } : rule
    for (const key of EXAMPLE_KEYS) {
      const r = rule[key]
      if (r && typeof r === 'object' && !Array.isArray(r) && !('/**' in r)) {
        out = { ...out, [key]: { ...r, '/**': { $: allAnnotation } } }
      }
    }
    return out
  })
  // A callback is an operation the provider calls on the user's server: its request body is data the
  // user receives, so it takes the path-item rules with request and response reversed.
  const pathItem = base['/paths']['/*']
  const operation = pathItem['/*']
  const callbackPathItem = transformComapreRules(pathItem, reverseClassifyRuleTransformer)
  return {
    ...base,
    '/paths': {
      ...base['/paths'],
      '/*': { ...pathItem, '/*': { ...operation, '/callbacks': { '/*': { ...operation['/callbacks']['/*'], '/*': callbackPathItem } } } },
    },
  }
}

/** Every local `$ref` target (`#/components/schemas/X`) used anywhere in `doc`. */
function referencedComponents(doc, into = new Set()) {
  const stack = [doc]
  while (stack.length) {
    const node = stack.pop()
    if (Array.isArray(node)) stack.push(...node)
    else if (node && typeof node === 'object') {
      if (typeof node.$ref === 'string' && node.$ref.startsWith('#/components/')) {
        into.add(node.$ref.split('/').slice(0, 4).join('/'))
      }
      stack.push(...Object.values(node))
    }
  }
  return into
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

/**
 * Where a diff sits: `where` names the operation (`POST /v1/images/generations`, and for a callback
 * `... > callback taskFinished > POST {$request.body#/callback_url}`), `rest` the path inside it.
 */
function locate(path) {
  if (path[0] !== 'paths' && path[0] !== 'webhooks') {
    if (path[0] === 'components') return { where: path.slice(0, 3).join('.'), rest: path.slice(3) }
    return { where: 'document', rest: path }
  }
  const parts = []
  let i = 2
  while (i < path.length && METHODS.has(String(path[i]))) {
    parts.push(`${String(path[i]).toUpperCase()} ${path[i - 1]}`)
    if (path[i + 1] !== 'callbacks' || path.length <= i + 4) {
      i += 1
      break
    }
    parts.push(`callback ${path[i + 2]}`)
    i += 4
  }
  return parts.length ? { where: parts.join(' > '), rest: path.slice(i) } : { where: `${path[0]} ${path[1] ?? ''}`.trim(), rest: path.slice(2) }
}

function show(value, max = 80) {
  if (value !== null && (value === undefined || typeof value === 'object')) return undefined
  const text = String(value).replace(/\s+/g, ' ')
  return `\`${text.length > max ? `${text.slice(0, max - 3)}...` : text}\``
}

const ACTION_WORD = { add: 'Added', remove: 'Removed', replace: 'Replaced', rename: 'Renamed' }

/** The library's description when it made a whole one (it does for operations, not callbacks), else the path. */
function textOf(diff, rest) {
  const complete = diff.description && !/``|\s{2}|\]\s*$|\] of /.test(diff.description)
  const what = complete ? diff.description : `[${ACTION_WORD[diff.action] ?? diff.action}] ${rest.join('.') || '(whole)'}`
  const [b, a] = [show(diff.before), show(diff.after)]
  const value = diff.action === 'add' && a ? `added ${a}` : diff.action === 'remove' && b ? `removed ${b}` : b && a ? `${b} -> ${a}` : ''
  return value ? `${what}: ${value}` : what
}

/**
 * Classifies `before` -> `after` (parsed OpenAPI documents). `bump` is null when nothing changed.
 * @returns {{ bump: 'major'|'minor'|'patch'|null, changes: { bump: string, type: string, action: string, where: string, text: string, path: (string|number)[] }[] }}
 */
export function classifySpecChange(before, after) {
  const { diffs } = apiCompare(before, after, { rules: rules() })
  const referenced = referencedComponents(after, referencedComponents(before))
  // The library sometimes loses a change at the use site that it does report under /components (seen:
  // a property added to one oneOf branch while a schema shared by the branches also changed). A
  // referenced component's change is skipped only when a change with the same action, place and
  // values is reported where an operation uses it; otherwise it is kept, once.
  const tail = (d) => `${d.action} ${d.path.slice(-2).join('.')} ${JSON.stringify(d.before)} ${JSON.stringify(d.after)}`
  const atUses = new Set(diffs.filter((d) => d.path[0] !== 'components').map(tail))
  const seen = new Set()
  const changes = []
  for (const d of diffs) {
    const inComponent = d.path[0] === 'components' && d.path.length > 2 && referenced.has(`#/components/${d.path[1]}/${d.path[2]}`)
    if (inComponent && atUses.has(tail(d))) continue
    if (inComponent) atUses.add(tail(d))
    const { where, rest } = locate(d.path)
    const change = { bump: BUMP_OF_TYPE[d.type] ?? 'minor', type: d.type, action: d.action, where, text: textOf(d, rest), path: d.path }
    const key = `${change.type} ${change.where} ${change.text}`
    if (seen.has(key)) continue
    seen.add(key)
    changes.push(change)
  }
  changes.sort((x, y) => bumpRank(y.bump) - bumpRank(x.bump))
  return { bump: maxBump(changes.map((c) => c.bump)), changes }
}

/** Same as classifySpecChange, from YAML (or JSON) text; a missing side (new or deleted spec) is handled. */
export function classifySpecText(beforeText, afterText) {
  if (beforeText == null && afterText == null) return { bump: null, changes: [] }
  if (beforeText == null) return { bump: 'minor', changes: [{ bump: 'minor', type: 'non-breaking', action: 'add', where: 'document', text: 'New spec', path: [] }] }
  if (afterText == null)
    return { bump: 'major', changes: [{ bump: 'major', type: 'breaking', action: 'remove', where: 'document', text: 'Spec removed', path: [] }] }
  if (beforeText === afterText) return { bump: null, changes: [] }
  return classifySpecChange(YAML.parse(beforeText), YAML.parse(afterText))
}

/** Markdown list of the changes, breaking first: `- breaking: POST /x: [Removed] ...`. */
export function formatChanges(changes, { limit = Infinity } = {}) {
  const lines = changes.slice(0, limit).map((c) => `- ${c.type}: ${c.where}: ${c.text}`)
  if (changes.length > limit) lines.push(`- ... and ${changes.length - limit} more`)
  return lines.join('\n')
}
