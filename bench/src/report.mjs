// Turns benchmark results into Markdown, and writes them into the README between markers.
import { readFile, writeFile } from 'node:fs/promises'

const cell = (v) => (v === true ? 'yes' : v === false ? '**no**' : v === undefined ? '' : String(v))

export function table(rows) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  return [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`)].join('\n')
}

export function toMarkdown(results) {
  const parts = [`Measured ${results.date} on ${results.machine.cores} cores, Node ${results.machine.node}${results.smoke ? ' (smoke run)' : ''}.`]
  for (const bench of results.benchmarks) {
    const { name, rows, ...rest } = bench
    parts.push(`**${name}**\n\n${table(rows ?? [rest])}`)
  }
  return parts.join('\n\n')
}

export async function updateReadme(readmePath, markdown) {
  const text = await readFile(readmePath, 'utf8')
  const start = '<!-- bench:start -->'
  const end = '<!-- bench:end -->'
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from < 0 || to < from) throw new Error(`README has no ${start} ... ${end} block`)
  await writeFile(readmePath, `${text.slice(0, from + start.length)}\n${markdown}\n${text.slice(to)}`)
}
