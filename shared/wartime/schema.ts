import type { Static } from 'typebox'
import { Type } from 'typebox'
import { TEXT_LIMITS } from '../kernel/limits.ts'

// Wartime (战时): plans, the operation, per-person tasks and CAP warnings.

export const TaskState = Type.Union([
  Type.Literal('sent'), // committed and pushed; no device has confirmed receipt yet
  Type.Literal('delivered'), // the responder's device confirmed receipt
  Type.Literal('acknowledged'), // the responder pressed 收到
  Type.Literal('on_scene'), // 到场
  Type.Literal('done'), // 完成
  Type.Literal('cancelled'),
])
export type TaskState = Static<typeof TaskState>

/** One responder's task from an activated plan. Every change bumps `version` and appends to the change log. */
export const Task = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  operationId: Type.String(),
  planId: Type.String(),
  templateId: Type.String(),
  assigneeId: Type.String(),
  assigneeName: Type.String(),
  gridId: Type.Union([Type.String(), Type.Null()]),
  riskPointId: Type.Union([Type.String(), Type.Null()]),
  title: Type.String(),
  instructions: Type.String(),
  state: TaskState,
  sentAt: Type.String(),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  ackAt: Type.Union([Type.String(), Type.Null()]),
  onSceneAt: Type.Union([Type.String(), Type.Null()]),
  doneAt: Type.Union([Type.String(), Type.Null()]),
  ackDeadline: Type.String(),
  arriveDeadline: Type.String(),
  resends: Type.Integer({ minimum: 0 }),
  /** People told because this task went unacknowledged (grid instructor, contact leader). */
  escalatedTo: Type.Array(Type.String()),
  note: Type.Union([Type.String(), Type.Null()]),
  updatedAt: Type.String(),
})
export type Task = Static<typeof Task>

export const TaskStatusBody = Type.Object({
  state: Type.Union([Type.Literal('acknowledged'), Type.Literal('on_scene'), Type.Literal('done')]),
  note: Type.Optional(Type.String({ maxLength: TEXT_LIMITS.taskNote })),
  location: Type.Optional(Type.Object({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }, { additionalProperties: false })),
}, { additionalProperties: false })
export type TaskStatusBody = Static<typeof TaskStatusBody>

export const Colour = Type.Union([Type.Literal('blue'), Type.Literal('yellow'), Type.Literal('orange'), Type.Literal('red')])
export type Colour = Static<typeof Colour>
export const Hazard = Type.Union([
  Type.Literal('rainstorm'),
  Type.Literal('flood'),
  Type.Literal('landslide'),
  Type.Literal('fire'),
  Type.Literal('gas'),
  Type.Literal('earthquake'),
  Type.Literal('wind'),
  Type.Literal('other'),
])
export type Hazard = Static<typeof Hazard>

/** Who a task template reaches. Roster roles are per grid; force kinds are each grid's liaisons; roles are people anywhere. */
export const TaskTemplate = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 40 }),
  title: Type.String({ minLength: 1, maxLength: 80 }),
  instructions: Type.String({ maxLength: 1000 }),
  rosterRoles: Type.Array(Type.Union([Type.Literal('worker'), Type.Literal('instructor'), Type.Literal('contactLeader')]), { maxItems: 3 }),
  forceKinds: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 9 }),
  roles: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 12 }),
  /** Grids with any of these risk tags; empty = every grid. */
  riskTags: Type.Array(Type.String({ maxLength: 20 }), { maxItems: 4 }),
  /** Limit to these communities; empty = all. */
  communityIds: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20 }),
  /** Limit to these people (a drill's chosen group); absent or empty = everyone the template reaches. */
  personIds: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 2000 })),
  ackMinutes: Type.Number({ exclusiveMinimum: 0, maximum: 240 }),
  arriveMinutes: Type.Number({ exclusiveMinimum: 0, maximum: 1440 }),
}, { additionalProperties: false })
export type TaskTemplate = Static<typeof TaskTemplate>

export const Plan = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 40 }),
  version: Type.Integer({ minimum: 1 }),
  name: Type.String({ minLength: 1, maxLength: 80 }),
  hazard: Hazard,
  /** Response level: 1 = I (red, highest) … 4 = IV (blue). */
  level: Type.Integer({ minimum: 1, maximum: 4 }),
  /** Warnings that suggest this plan: their hazard and at least this colour. */
  suggestedBy: Type.Object({ hazards: Type.Array(Hazard), minColour: Colour }, { additionalProperties: false }),
  /** Incident deadlines are multiplied by this while the plan is active (0.5 = twice as fast). */
  deadlineFactor: Type.Number({ exclusiveMinimum: 0, maximum: 1 }),
  message: Type.String({ maxLength: 500 }),
  templates: Type.Array(TaskTemplate, { minItems: 1, maxItems: 20 }),
  resources: Type.Array(Type.Object({ kind: Type.String({ maxLength: 20 }), qty: Type.Integer({ minimum: 1 }), note: Type.String({ maxLength: 100 }) }, { additionalProperties: false }), { maxItems: 20 }),
  updatedAt: Type.String(),
  /** Left out of the subdistrict's package: kept for the operations that used it, offered no more. */
  retired: Type.Optional(Type.Boolean()),
})
export type Plan = Static<typeof Plan>

export const OperationEvent = Type.Object({ at: Type.String(), kind: Type.String(), text: Type.String(), by: Type.Union([Type.String(), Type.Null()]) })
export type OperationEvent = Static<typeof OperationEvent>

/** A wartime operation: declared, a plan activated, ended. The mode is wartime while one is active. */
export const Operation = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  active: Type.Boolean(),
  reason: Type.String(),
  declaredAt: Type.String(),
  declaredBy: Type.String(),
  warningId: Type.Union([Type.String(), Type.Null()]),
  planId: Type.Union([Type.String(), Type.Null()]),
  activatedAt: Type.Union([Type.String(), Type.Null()]),
  endedAt: Type.Union([Type.String(), Type.Null()]),
  endedBy: Type.Union([Type.String(), Type.Null()]),
  taskCount: Type.Integer({ minimum: 0 }),
  /** An exercise (演练), marked on every screen and in every task; absent (operations stored before #17) = false. */
  exercise: Type.Optional(Type.Boolean()),
  timeline: Type.Array(OperationEvent),
  updatedAt: Type.String(),
})
export type Operation = Static<typeof Operation>

/** A CAP warning as the wall shows it. */
export const Warning = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  sender: Type.String(),
  identifier: Type.String(),
  sent: Type.String(),
  msgType: Type.String(),
  status: Type.String(),
  event: Type.String(),
  headline: Type.String(),
  description: Type.String(),
  colour: Colour,
  hazard: Hazard,
  areaDesc: Type.String(),
  affectedGridIds: Type.Array(Type.String()),
  state: Type.Union([Type.Literal('active'), Type.Literal('superseded'), Type.Literal('cancelled'), Type.Literal('expired')]),
  expires: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.String(),
  /** "Declare wartime with plan X": a proposal; a person decides. */
  proposal: Type.Union([Type.Object({ planId: Type.String(), planName: Type.String() }), Type.Null()]),
  /** Test, Exercise or Draft: shown, never proposed. */
  exercise: Type.Boolean(),
})
export type Warning = Static<typeof Warning>

/** `GET /api/wartime`: the active operation, its plan and tasks, who is online, the active warnings. */
export const WartimeState = Type.Object({
  operation: Type.Union([Operation, Type.Null()]),
  plan: Type.Union([Plan, Type.Null()]),
  tasks: Type.Array(Task),
  online: Type.Array(Type.String()),
  warnings: Type.Array(Warning),
})
export type WartimeState = Static<typeof WartimeState>

/** A receipt over a socket (`task:received`, `message:received`, `message:read`): which one. */
export const IdRequest = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })
export type IdRequest = Static<typeof IdRequest>

/** `task:status` over a socket. */
export const TaskStatusRequest = Type.Object({ opId: Type.String({ minLength: 1, maxLength: 200 }), id: Type.String({ minLength: 1, maxLength: 200 }), body: TaskStatusBody })
export type TaskStatusRequest = Static<typeof TaskStatusRequest>

/** `GET /api/operations`: an ended operation with its after-action report's key figures (#17). */
export const PastOperation = Type.Object({
  id: Type.String(),
  exercise: Type.Boolean(),
  reason: Type.String(),
  declaredAt: Type.String(),
  endedAt: Type.String(),
  planName: Type.Union([Type.String(), Type.Null()]),
  tasks: Type.Integer({ minimum: 0 }),
  acknowledged: Type.Integer({ minimum: 0 }),
  silent: Type.Integer({ minimum: 0 }),
  /** Minutes from activation to the last acknowledgement, when everyone acknowledged. */
  allAckedMinutes: Type.Union([Type.Number(), Type.Null()]),
  coverage: Type.Object({ acknowledged: Type.Integer(), total: Type.Integer() }),
  /** Where to download the report. */
  html: Type.String(),
  xlsx: Type.String(),
})
export type PastOperation = Static<typeof PastOperation>
