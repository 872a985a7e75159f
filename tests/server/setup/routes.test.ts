import type { Incident } from '../../../shared/incident/schema.ts'
import type { TestSocket } from '../../helpers/socket.ts'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCuntanPackage } from '../../../server/territory/cuntan/package.ts'
import { localParts } from '../../../shared/kernel/time.ts'
import { libraryKnowsYear } from '../../../shared/kernel/workdays.ts'
import { watcher } from '../../helpers/socket.ts'
import { emptyInstall, jialingFiles, upload } from './empty-install.ts'
import { editSheet, jialing, replaceFile } from './helpers.ts'

// A subdistrict that is not Cuntan, set up from its files alone on an install started with ONESCREEN_DEMO=0.

const CUNTAN_NAMES = (() => {
  const c = buildCuntanPackage()
  return ['寸滩', ...c.reference.territory.communities.map(x => x.name), ...c.reference.org.people.slice(0, 40).map(p => p.name)]
})()

let t: Awaited<ReturnType<typeof emptyInstall>>
beforeAll(async () => {
  t = await emptyInstall()
})
afterAll(() => t.close())

const get = (url: string) => t.app.inject({ method: 'GET', url, headers: t.admin })
const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, headers: t.admin, payload })

describe('an empty install', () => {
  it('starts with no subdistrict: nothing routes until a package is imported', async () => {
    // The years whose holidays no calendar knows yet: this year and next, as the console warns of them.
    const year = localParts(new Date()).year
    const gaps = [year, year + 1].filter(y => !libraryKnowsYear(y))
    expect((await get('/api/setup/status')).json()).toEqual({ version: 0, configured: false, name: '', code: '', calendarGaps: gaps })
    const territory = (await get('/api/territory')).json()
    expect({ version: territory.version, grids: territory.grids.features.length, title: territory.subdistrict.wallTitle }).toEqual({ version: 0, grids: 0, title: '基层治理指挥中心' })
    expect((await get('/api/plans')).json()).toEqual([])
  })

  it('shows what the Jialing package would add before anything is applied', async () => {
    const res = await post('/api/setup/check', upload(jialingFiles()))
    expect(res.statusCode).toBe(200)
    const { problems, diff, version } = res.json()
    const pkg = jialing()
    expect({ problems, version }).toEqual({ problems: [], version: 0 })
    const added = Object.fromEntries(diff.sections.map((s: { section: string, added: string[] }) => [s.section, s.added.length]))
    expect(added).toMatchObject({ communities: pkg.reference.territory.communities.length, grids: pkg.reference.territory.grids.length, sectors: 3, people: pkg.reference.org.people.length, categories: pkg.categories.length, plans: pkg.plans.length })
    expect((await get('/api/setup/status')).json().version).toBe(0)
  })

  it('refuses a broken package with the row-level problem and applies nothing', async () => {
    const broken = replaceFile(jialingFiles(), 'grids.geojson', text => text.replace(/"community":"[^"]+"/, '"community":"nowhere"'))
    const res = await post('/api/setup/apply', upload(broken))
    expect(res.statusCode).toBe(400)
    expect(res.json()).toMatchObject({ field: 'files' })
    expect(res.json().problems[0]).toMatchObject({ file: 'grids.geojson', code: 'unknown_reference', column: 'community' })
    expect((await get('/api/setup/status')).json().version).toBe(0)
  })

  it('runs Jialing from its files: its title, territory, routing and plans, and no Cuntan name anywhere', async () => {
    const pkg = jialing()
    const applied = await post('/api/setup/apply', upload(jialingFiles(), { baseVersion: 0, note: '初次导入' }))
    expect(applied.statusCode).toBe(201)
    expect(applied.json()).toMatchObject({ version: 1, source: 'import', appliedBy: '系统管理员', name: pkg.reference.territory.subdistrict.name })

    const territory = (await get('/api/territory')).json()
    expect(territory.subdistrict.wallTitle).toBe(pkg.reference.territory.subdistrict.wallTitle || `${pkg.reference.territory.subdistrict.name}基层治理指挥中心`)
    expect(territory.grids.features.map((f: { properties: { id: string } }) => f.properties.id)).toEqual(pkg.reference.territory.grids.map(g => g.id))

    // A report inside one of its grids routes by its own responsibility list.
    const category = pkg.categories.find(c => c.responsibility.type === 'single')!
    const grid = pkg.reference.territory.grids[3]!
    const reported = await post('/api/incidents', { category: category.code, description: '路灯损坏，夜间无照明', location: grid.center })
    expect(reported.statusCode).toBe(201)
    const inc = reported.json() as Incident
    const lead = category.responsibility.type === 'single' ? category.responsibility : null
    expect(inc.owner).toMatchObject({ gridId: grid.id, communityId: grid.communityId, loop: category.loop })
    if (category.loop === 'subdistrict')
      expect({ sector: inc.owner.sectorId, post: inc.owner.postId }).toEqual({ sector: lead!.sectorId, post: lead!.postId })
    expect(inc.labels).toMatchObject({ category: category.name, grid: grid.name })

    // A plan reaches its own people.
    const plan = pkg.plans[0]!
    const responders = (await get(`/api/plans/${plan.id}/responders`)).json() as { personId: string }[]
    const people = new Set(pkg.reference.org.people.map(p => p.id))
    expect(responders.length).toBeGreaterThan(0)
    expect(responders.filter(r => !people.has(r.personId))).toEqual([])

    const everything = [await get('/api/territory'), await get('/api/reference'), await get('/api/catalog'), await get('/api/plans'), await get('/api/stats')].map(r => r.body).join('\n')
    expect(CUNTAN_NAMES.filter(name => everything.includes(name))).toEqual([])
  })

  it('exports the same package: importing the export changes nothing', async () => {
    for (const tabular of ['xlsx', 'csv'] as const) {
      const list = (await get(`/api/setup/export?tabular=${tabular}`)).json() as { name: string }[]
      const files = await Promise.all(list.map(async f => ({ name: f.name, data: (await get(`/api/setup/export/${encodeURIComponent(f.name)}?tabular=${tabular}`)).rawPayload })))
      const check = (await post('/api/setup/check', upload(files))).json()
      expect(check.problems).toEqual([])
      expect(check.diff.settings).toEqual([])
      expect(check.diff.sections.filter((s: { added: string[], changed: string[], removed: string[] }) => s.added.length + s.changed.length + s.removed.length > 0)).toEqual([])
      const again = await post('/api/setup/apply', upload(files))
      expect({ status: again.statusCode, field: again.json().field }).toEqual({ status: 409, field: 'files' })
    }
  })

  it('tells every open screen of a new version, keeps old incidents\' names, and rolls back', async () => {
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const screen = watcher(url, (await get('/api/changes?since=0&limit=1')).json().head, t.admin.cookie)
    await screen.ready
    const before = (await get('/api/setup/status')).json().version
    const grid = jialing().reference.territory.grids[3]!
    // Grid 4 renamed and the category of the open incident removed: the dry run names the incident.
    const pkg = jialing()
    pkg.reference.territory.grids[3]!.name = '新名网格'
    const files = replaceFile(jialingFiles(), 'grids.geojson', text => text.replace(`"name":"${grid.name}"`, '"name":"新名网格"'))
    const check = (await post('/api/setup/check', upload(files))).json()
    expect(check.diff.sections.find((s: { section: string }) => s.section === 'grids').changed).toEqual([grid.id])
    const held = screen.seq
    const applied = await post('/api/setup/apply', upload(files, { baseVersion: before }))
    expect(applied.statusCode).toBe(201)
    await screen.until(held + 1)
    expect(screen.received.filter(c => c.kind === 'reference').map(c => c.data.version)).toEqual([before + 1])
    expect((await get('/api/territory')).json().grids.features.find((f: { properties: { id: string } }) => f.properties.id === grid.id).properties.name).toBe('新名网格')

    const stale = await post('/api/setup/apply', upload(jialingFiles(), { baseVersion: before }))
    expect(stale.statusCode).toBe(409)
    const back = await post('/api/setup/rollback', { version: before })
    expect(back.json()).toMatchObject({ version: before + 2, source: 'rollback', restored: before })
    expect((await get('/api/territory')).json().grids.features.find((f: { properties: { id: string } }) => f.properties.id === grid.id).properties.name).toBe(grid.name)
    const versions = (await get('/api/setup/versions')).json() as { version: number, source: string }[]
    expect(versions.map(v => [v.version, v.source])).toEqual([[before + 2, 'rollback'], [before + 1, 'import'], [before, 'import']])
    screen.close()
  })

  it('moves a connected phone to the grid the new package gives its worker, without a reconnect', async () => {
    const pkg = jialing()
    const [a, b] = [pkg.reference.org.rosters[0]!, pkg.reference.org.rosters[1]!]
    const gridB = pkg.reference.territory.grids.find(g => g.id === b.gridId)!
    const category = pkg.categories.find(c => c.loop === 'grid')!
    const enrolled = await post('/api/enrolments', { personId: a.workerId })
    const session = await t.app.inject({ method: 'POST', url: '/api/auth/device', payload: { token: enrolled.json().token } })
    const cookie = session.cookies.map(c => `${c.name}=${c.value}`).join('; ')
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' }).catch(() => `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`)
    const socket: TestSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie }, auth: { stream: false } })
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('connect_error', reject))
    const report = async (n: number) => ((await socket.timeout(5000).emitWithAck('incident:report', { opId: `move-${n}`, body: { category: category.code, description: '井盖缺失，存在安全隐患', location: gridB.center } })) as { ok: boolean, status?: number })
    expect(await report(1)).toMatchObject({ ok: false, status: 403 })

    // The next version swaps the two grids' workers.
    const files = await editSheet(jialingFiles(), '网格力量', (ws) => {
      ws.eachRow((row) => {
        if (row.getCell(1).value === a.gridId)
          row.getCell(2).value = b.workerId
        else if (row.getCell(1).value === b.gridId)
          row.getCell(2).value = a.workerId
      })
    })
    expect((await post('/api/setup/apply', upload(files))).statusCode).toBe(201)
    await new Promise(r => setTimeout(r, 200))
    expect(await report(2)).toMatchObject({ ok: true })
    socket.close()
  })

  it('names the open incidents a removed category leaves behind, and they keep their names', async () => {
    const category = jialing().categories.find(c => c.responsibility.type === 'single')!
    const open = (await get('/api/desk/queue?tab=all')).json().items as Incident[]
    const mine = open.filter(i => i.category === category.code).map(i => i.id)
    expect(mine.length).toBeGreaterThan(0)
    const files = await editSheet(jialingFiles(), '事项类别', (ws) => {
      ws.eachRow((row, n) => {
        if (row.getCell(1).value === category.code)
          ws.spliceRows(n, 1)
      })
    })
    const check = (await post('/api/setup/check', upload(files))).json()
    expect(check.problems).toEqual([])
    expect(check.diff.sections.find((s: { section: string }) => s.section === 'categories').removed).toEqual([category.code])
    expect(check.diff.affected.map((a: { id: string }) => a.id).sort()).toEqual([...mine].sort())
    expect((await post('/api/setup/apply', upload(files))).statusCode).toBe(201)
    const kept = (await get(`/api/incidents/${mine[0]}`)).json() as Incident
    expect(kept.labels?.category).toBe(category.name)
  })
})
