import type BetterSqlite3 from 'better-sqlite3'
import { createRequire } from 'node:module'

// better-sqlite3 for the Node that runs us, with nothing to install by hand. Two lines are installed:
// - 12 (`better-sqlite3`), built from source at `npm install`, the only line that runs on Node 20 (13 crashes there);
// - 13 (`better-sqlite3-13`, an npm alias), whose package ships prebuilt N-API binaries. 12 aborts on Node 24 when V8
//   collects a prepared statement; 13 is fixed, and runs on 22 as well.
// Both have the same API (the types are @types/better-sqlite3's).

const require = createRequire(import.meta.url)

/** Which package this Node loads: 13 from Node 22 on, 12 before. */
export function driverPackage(nodeVersion = process.versions.node): 'better-sqlite3' | 'better-sqlite3-13' {
  return Number(nodeVersion.split('.')[0]) >= 22 ? 'better-sqlite3-13' : 'better-sqlite3'
}

const Database = require(driverPackage()) as typeof BetterSqlite3
export default Database
