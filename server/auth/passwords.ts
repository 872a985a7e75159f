import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// scrypt from Node's own crypto: memory-hard, well kept, no native add-on to build.
// N=2^15, r=8 → 32 MiB per hash; stored with its parameters so they can be raised later.
// ONESCREEN_SCRYPT_LOG2N lowers it for the test suite only (it hashes dozens of demo passwords per run).
const N = 2 ** Math.max(12, Number(process.env.ONESCREEN_SCRYPT_LOG2N ?? 15))
const R = 8
const P = 1
const KEYLEN = 32
const MAXMEM = 64 * 1024 * 1024

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEYLEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) => err ? reject(err) : resolve(key))
  })
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, N, R, P)
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key)
    return false
  const expected = Buffer.from(key, 'base64url')
  const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p))
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/** A policy a person can meet: long enough, not one repeated character. */
export function passwordProblem(password: string): string | null {
  if (password.length < 10)
    return 'password must be at least 10 characters'
  if (new Set(password).size < 4)
    return 'password is too simple'
  return null
}
