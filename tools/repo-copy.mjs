// A temporary copy of the repository for the end-to-end checks (tools/scaffold, tools/spec-flow): a
// clone of HEAD with the working tree's uncommitted and untracked changes applied, committed there as
// the baseline, so the copy's `git diff HEAD` shows only what the check itself changed.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'

const gitIn = (cwd) => (args) => execFileSync('git', args, { cwd, encoding: 'utf8' })

/** Clones `root` into `copy` (created) and commits HEAD plus the uncommitted changes there. */
export function copyRepository(root, copy, work = dirname(copy)) {
  const git = gitIn(root)
  gitIn(work)(['clone', '--quiet', '--no-hardlinks', root, copy])
  const diff = execFileSync('git', ['diff', 'HEAD', '--binary'], { cwd: root })
  if (diff.length) execFileSync('git', ['apply', '--whitespace=nowarn'], { cwd: copy, input: diff })
  for (const file of git(['ls-files', '--others', '--exclude-standard']).split('\n').filter(Boolean)) {
    mkdirSync(dirname(join(copy, file)), { recursive: true })
    cpSync(join(root, file), join(copy, file))
  }
  commitAll(copy, 'baseline: HEAD plus the uncommitted changes')
}

/** Commits everything in the copy (the spec-update flow compares a spec with the copy's HEAD). */
export function commitAll(copy, message) {
  const git = gitIn(copy)
  git(['add', '-A'])
  git(['-c', 'user.name=test', '-c', 'user.email=test@invalid', 'commit', '--quiet', '--allow-empty', '-m', message])
}
