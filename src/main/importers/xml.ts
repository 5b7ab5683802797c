/**
 * A small non-validating XML parser, enough for HL7 aECG files: elements, attributes, text, CDATA, comments,
 * processing instructions and a DOCTYPE are understood; entities are the five predefined ones plus numeric
 * references. Element and attribute names keep their prefixes; lookups below match on local names, which is
 * what aECG readers need (files use the urn:hl7-org:v3 namespace with or without a prefix).
 */

export interface XmlElement {
  /** Local name (prefix removed). */
  name: string
  /** Attributes by qualified name as written. */
  attrs: Record<string, string>
  children: XmlElement[]
  /** Concatenated character data directly inside this element. */
  text: string
}

export class XmlSyntaxError extends Error {
  constructor(message: string, readonly line: number) {
    super(`XML line ${line}: ${message}`)
  }
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-zA-Z]+);/g, (whole, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16))
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10))
    return ENTITIES[e] ?? whole
  })
}

function localName(q: string): string {
  const c = q.indexOf(':')
  return c >= 0 ? q.slice(c + 1) : q
}

const ATTR = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g

export function parseXml(text: string): XmlElement {
  const lineAt = (pos: number): number => text.slice(0, pos).split('\n').length
  const stack: XmlElement[] = []
  let root: XmlElement | undefined
  let i = 0
  const need = (token: string, from: number, what: string): number => {
    const at = text.indexOf(token, from)
    if (at < 0) throw new XmlSyntaxError(`unterminated ${what}`, lineAt(from))
    return at
  }
  while (i < text.length) {
    const lt = text.indexOf('<', i)
    const chunk = text.slice(i, lt < 0 ? text.length : lt)
    const top = stack[stack.length - 1]
    if (top) top.text += decodeEntities(chunk)
    else if (chunk.trim() !== '') throw new XmlSyntaxError('text outside the root element', lineAt(i))
    if (lt < 0) break
    if (text.startsWith('<!--', lt)) i = need('-->', lt + 4, 'comment') + 3
    else if (text.startsWith('<![CDATA[', lt)) {
      const end = need(']]>', lt + 9, 'CDATA section')
      if (!top) throw new XmlSyntaxError('CDATA outside the root element', lineAt(lt))
      top.text += text.slice(lt + 9, end)
      i = end + 3
    } else if (text.startsWith('<?', lt)) i = need('?>', lt + 2, 'processing instruction') + 2
    else if (text.startsWith('<!', lt)) {
      const bracket = text.indexOf('[', lt)
      const close = need('>', lt, 'declaration')
      i = (bracket >= 0 && bracket < close ? need(']>', bracket, 'DOCTYPE') + 1 : close) + 1
    } else if (text.startsWith('</', lt)) {
      const end = need('>', lt, 'end tag')
      const name = localName(text.slice(lt + 2, end).trim())
      const open = stack.pop()
      if (!open || open.name !== name) throw new XmlSyntaxError(`</${name}> does not close <${open?.name ?? '(nothing)'}>`, lineAt(lt))
      i = end + 1
    } else {
      // Start tag: find its end outside quoted attribute values.
      let j = lt + 1
      let quote = ''
      for (; j < text.length; j++) {
        const c = text[j]
        if (quote) {
          if (c === quote) quote = ''
        } else if (c === '"' || c === "'") quote = c
        else if (c === '>') break
      }
      if (j >= text.length) throw new XmlSyntaxError('unterminated start tag', lineAt(lt))
      const selfClosing = text[j - 1] === '/'
      const body = text.slice(lt + 1, selfClosing ? j - 1 : j)
      const nameMatch = /^[^\s/>]+/.exec(body)
      if (!nameMatch) throw new XmlSyntaxError('start tag without a name', lineAt(lt))
      const attrs: Record<string, string> = {}
      for (const m of body.slice(nameMatch[0].length).matchAll(ATTR)) attrs[m[1]!] = decodeEntities(m[2] ?? m[3] ?? '')
      const el: XmlElement = { name: localName(nameMatch[0]), attrs, children: [], text: '' }
      if (top) top.children.push(el)
      else if (root) throw new XmlSyntaxError('a second root element', lineAt(lt))
      else root = el
      if (!selfClosing) stack.push(el)
      i = j + 1
    }
  }
  if (stack.length > 0) throw new XmlSyntaxError(`<${stack[stack.length - 1]!.name}> is never closed (file truncated?)`, lineAt(text.length))
  if (!root) throw new XmlSyntaxError('no root element', 1)
  return root
}

/** Attribute by local name (`type` finds `xsi:type`). */
export function attr(el: XmlElement | undefined, name: string): string | undefined {
  if (!el) return undefined
  if (name in el.attrs) return el.attrs[name]
  for (const [k, v] of Object.entries(el.attrs)) if (localName(k) === name) return v
  return undefined
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name)
}

export function children(el: XmlElement | undefined, name: string): XmlElement[] {
  return el?.children.filter((c) => c.name === name) ?? []
}

/** Follow a path of child names, e.g. path(root, 'component', 'series'). */
export function path(el: XmlElement | undefined, ...names: string[]): XmlElement | undefined {
  let cur = el
  for (const n of names) cur = child(cur, n)
  return cur
}

/** Depth-first search for the first descendant named `name`. */
export function find(el: XmlElement | undefined, name: string): XmlElement | undefined {
  if (!el) return undefined
  for (const c of el.children) {
    if (c.name === name) return c
    const d = find(c, name)
    if (d) return d
  }
  return undefined
}
