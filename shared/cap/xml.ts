// From bytes to a namespace-checked element tree. fast-xml-parser is pure JS (no DOM, no Node), so it runs in
// shared/; its validator gives the line and column of the first well-formedness error.
import type { EntityDecoderOptions } from 'fast-xml-parser'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
// Larger bodies are refused before parsing: real CAP alerts are a few KiB, NWS's largest well under 100 KiB.
import { MAX_CAP_BYTES } from '../kernel/limits.ts'
import { CAP_NAMESPACE } from './types.ts'
import { CapError } from './values.ts'

/** An element: its trimmed text and its CAP-namespace children by local name, in document order. */
export interface XmlElement { text: string, children: Record<string, XmlElement[]> }

function utf8Length(s: string, stopAbove: number): number {
  let bytes = 0
  for (let i = 0; i < s.length && bytes <= stopAbove; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) {
      bytes += 1
    }
    else if (c < 0x800) {
      bytes += 2
    }
    else if (c >= 0xD800 && c <= 0xDBFF) {
      bytes += 4 // a surrogate pair is one 4-byte code point
      i++
    }
    else {
      bytes += 3
    }
  }
  return bytes
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: '\'' }

function decodeReference(whole: string, name: string): string {
  if (XML_ENTITIES[name] !== undefined)
    return XML_ENTITIES[name]
  const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1))
  return code > 0 && code <= 0x10FFFF ? String.fromCodePoint(code) : whole
}

// The five XML entities and character references, nothing else: DOCTYPEs are refused, so no entity can be declared.
const entityDecoder: EntityDecoderOptions = {
  setExternalEntities: () => {},
  addInputEntities: () => {},
  reset: () => {},
  setXmlVersion: () => {},
  decode: text => text.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, decodeReference),
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false, // trimmed per element below: fxp trims text and CDATA pieces separately, losing spaces between them
  ignoreDeclaration: true,
  ignorePiTags: true,
  entityDecoder,
  // Every element as an array, so a repeated element is never silently collapsed into one.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
})

type Raw = string | { [key: string]: unknown }

function split(name: string): { prefix: string, local: string } {
  const i = name.indexOf(':')
  return i < 0 ? { prefix: '', local: name } : { prefix: name.slice(0, i), local: name.slice(i + 1) }
}

function toElement(raw: Raw, capPrefix: string): XmlElement {
  if (typeof raw === 'string')
    return { text: raw.trim(), children: {} }
  const children: Record<string, XmlElement[]> = {}
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('@_') || key === '#text' || !Array.isArray(value))
      continue
    const { prefix, local } = split(key)
    // Elements of other namespaces are extensions: skip them. Unprefixed children under a prefixed root are
    // accepted (strictly they are in no namespace, but some senders write only the root prefixed).
    if (prefix !== capPrefix && prefix !== '')
      continue
    const list = (children[local] ??= [])
    for (const item of value as Raw[])
      list.push(toElement(item, capPrefix))
  }
  const text = raw['#text']
  return { text: typeof text === 'string' ? text.trim() : '', children }
}

/** Size, well-formedness, root element and namespace; throws CapError with a reason a sender can act on. */
export function readCapXml(input: unknown): XmlElement {
  if (typeof input !== 'string')
    throw new CapError('the body is not text: expected a CAP 1.2 <alert> XML document')
  if (input.length > MAX_CAP_BYTES || utf8Length(input, MAX_CAP_BYTES) > MAX_CAP_BYTES)
    throw new CapError(`the body is larger than ${MAX_CAP_BYTES / 1024} KiB; a CAP alert is a few KiB`)
  const xml = input.replace(/^\uFEFF/, '')
  if (xml.trim() === '')
    throw new CapError('the body is empty: expected a CAP 1.2 <alert> XML document')
  if (/<!DOCTYPE/i.test(xml))
    throw new CapError('a DOCTYPE is not allowed: CAP 1.2 uses none, and declared entities are an expansion risk')
  const valid = XMLValidator.validate(xml)
  if (valid !== true) {
    const { msg, line, col } = valid.err
    const at = col === undefined ? `line ${line}` : `line ${line}, column ${col}`
    throw new CapError(`not well-formed XML at ${at}: ${msg}`)
  }
  const doc = parser.parse(xml) as Record<string, unknown>
  const roots = Object.entries(doc).filter(([k]) => !k.startsWith('?') && !k.startsWith('#'))
  if (roots.length !== 1 || !Array.isArray(roots[0]![1]))
    throw new CapError('no root element: expected <alert>')
  const [rootName, rootList] = roots[0]! as [string, Raw[]]
  const { prefix, local } = split(rootName)
  if (local !== 'alert')
    throw new CapError(`the root element is <${rootName}>; a CAP 1.2 message is an <alert>`, rootName)
  const root = rootList[0]!
  const attr = prefix ? `@_xmlns:${prefix}` : '@_xmlns'
  const ns = typeof root === 'string' ? undefined : root[attr]
  if (typeof ns !== 'string' || ns === '')
    throw new CapError(`<${rootName}> has no namespace; CAP 1.2 requires ${prefix ? `xmlns:${prefix}` : 'xmlns'}="${CAP_NAMESPACE}"`, 'alert@xmlns')
  if (ns !== CAP_NAMESPACE) {
    const hint = /^urn:oasis:names:tc:emergency:cap:1\.[01]$/.test(ns) ? ` (that is CAP ${ns.slice(-3)}; only 1.2 is accepted)` : ''
    throw new CapError(`the namespace is "${ns}"${hint}; CAP 1.2 requires "${CAP_NAMESPACE}"`, 'alert@xmlns')
  }
  return toElement(root, prefix)
}
