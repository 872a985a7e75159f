import type { Static } from 'typebox'
import { Type } from 'typebox'
import { Colour } from '../wartime/schema.ts'

// Sensor feeds (#17): stations and their thresholds are the package's data (sensors.json); readings come in over
// HTTP or from a poller; a crossing upward proposes a plan through a `warning` entity, as a CAP warning does.

export const SensorKind = Type.Union([
  Type.Literal('water_level'), // m (the station's datum, e.g. 吴淞高程)
  Type.Literal('rainfall_1h'), // mm/h
  Type.Literal('rainfall_24h'), // mm/24h
  Type.Literal('ponding'), // cm of standing water
])
export type SensorKind = Static<typeof SensorKind>

export const Threshold = Type.Object({
  level: Colour,
  value: Type.Number(),
  /** What the level is called where it is published, e.g. 警戒水位, 保证水位. */
  label: Type.Optional(Type.String({ maxLength: 40 })),
  /** The same in English, e.g. "warning level": the English wall's name for the line (else its colour). */
  labelEn: Type.Optional(Type.String({ maxLength: 60 })),
}, { additionalProperties: false })
export type Threshold = Static<typeof Threshold>

/** One station as sensors.json carries it. */
export const SensorStation = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
  name: Type.String({ minLength: 1, maxLength: 60 }),
  nameEn: Type.Optional(Type.String({ maxLength: 80 })),
  kind: SensorKind,
  /** WGS84. */
  location: Type.Object({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }, { additionalProperties: false }),
  /** The grids a crossing affects: the warning's area and the plan's reach. */
  gridIds: Type.Array(Type.String({ minLength: 1 }), { minItems: 1, maxItems: 500 }),
  /** The warning's area as people say it; absent = the grids' names. */
  areaDesc: Type.Optional(Type.String({ maxLength: 200 })),
  hazard: Type.Union([Type.Literal('flood'), Type.Literal('rainstorm')]),
  /** At most one per colour, rising with the colour (blue < yellow < orange < red). */
  thresholds: Type.Array(Threshold, { minItems: 1, maxItems: 4 }),
  /** How far under a level's threshold a reading must fall before the level drops (same unit); default per kind. */
  hysteresis: Type.Optional(Type.Number({ minimum: 0 })),
  /** The height datum of a water level, shown beside it (e.g. 吴淞高程). */
  datum: Type.Optional(Type.String({ maxLength: 40 })),
}, { additionalProperties: false })
export type SensorStation = Static<typeof SensorStation>

/** One reading. `at` is when it was measured (ISO); absent = when it arrived. */
export const SensorReadingIn = Type.Object({
  stationId: Type.String({ minLength: 1, maxLength: 64 }),
  at: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  value: Type.Number(),
}, { additionalProperties: false })
export type SensorReadingIn = Static<typeof SensorReadingIn>

/** The most readings one request carries. */
export const MAX_READINGS = 1000

/** `POST /api/sensors/readings`: one reading, or a batch. */
export const SensorReadingsBody = Type.Union([
  SensorReadingIn,
  Type.Object({ readings: Type.Array(SensorReadingIn, { minItems: 1, maxItems: MAX_READINGS }) }, { additionalProperties: false }),
])
export type SensorReadingsBody = Static<typeof SensorReadingsBody>

export const SensorReading = Type.Object({ stationId: Type.String(), at: Type.String(), value: Type.Number() })
export type SensorReading = Static<typeof SensorReading>

export const SensorIntake = Type.Object({
  /** Readings stored now. */
  accepted: Type.Integer({ minimum: 0 }),
  /** Readings already held (same station and time): a resend is harmless. */
  duplicates: Type.Integer({ minimum: 0 }),
  /** Warnings created or changed by these readings. */
  warnings: Type.Array(Type.String()),
})
export type SensorIntake = Static<typeof SensorIntake>

/** A station as the wall shows it: its data, its latest reading and the level it stands at (hysteresis applied). */
export const SensorState = Type.Object({
  station: SensorStation,
  latest: Type.Union([SensorReading, Type.Null()]),
  level: Type.Union([Colour, Type.Null()]),
  /** The open warning of this station, if any. */
  warningId: Type.Union([Type.String(), Type.Null()]),
})
export type SensorState = Static<typeof SensorState>
