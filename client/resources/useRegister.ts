import type { EvacuationCheck, EvacuationStatus, RegisterAnswer, RegisterImportAnswer, VulnerableBody, VulnerablePerson } from '../../shared/resources/schema.ts'
import type { PackageProblem } from '../../shared/setup/package.ts'
import { computed, shallowRef } from 'vue'
import { getJson, HttpError, postFile, sendJson } from '../ui/http.ts'

/**
 * The register within the caller's territory (personal data: read over HTTP by those who may, never from the log)
 * with the operation's check-offs; each action reads it again, so two desks see each other's edits on their next one.
 */
export function useRegister() {
  const answer = shallowRef<RegisterAnswer | null>(null)
  const error = shallowRef<string | null>(null)
  const people = computed(() => answer.value?.people ?? [])
  const checks = computed(() => new Map((answer.value?.checks ?? []).map(c => [c.personId, c])))

  async function load(): Promise<void> {
    try {
      answer.value = await getJson<RegisterAnswer>('/api/vulnerable')
      error.value = null
    }
    catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
    }
  }

  async function save(body: VulnerableBody, id?: string): Promise<VulnerablePerson> {
    const p = await sendJson<VulnerablePerson>(id ? `/api/vulnerable/${encodeURIComponent(id)}` : '/api/vulnerable', body, { method: id ? 'PUT' : 'POST' })
    await load()
    return p
  }

  async function remove(id: string): Promise<void> {
    await sendJson(`/api/vulnerable/${encodeURIComponent(id)}`, undefined, { method: 'DELETE' })
    await load()
  }

  async function check(id: string, status: EvacuationStatus, reason?: string): Promise<EvacuationCheck> {
    const { check } = await sendJson<{ check: EvacuationCheck }>(`/api/vulnerable/${encodeURIComponent(id)}/evacuation`, { status, ...(reason ? { reason } : {}) })
    await load()
    return check
  }

  /** All or nothing: the problems name the rows to fix. */
  async function importFile(file: File): Promise<{ imported: number, problems: PackageProblem[] }> {
    try {
      const res = await postFile<RegisterImportAnswer>('/api/vulnerable/import', file, file.name)
      await load()
      return res
    }
    catch (err) {
      const problems = err instanceof HttpError ? (err.body as { problems?: PackageProblem[] } | null)?.problems : undefined
      if (problems)
        return { imported: 0, problems }
      throw err
    }
  }

  return { answer, error, people, checks, load, save, remove, check, importFile }
}
