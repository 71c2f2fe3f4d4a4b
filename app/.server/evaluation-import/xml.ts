/**
 * A small incremental XML tokenizer for the parts of an .xlsx (SpreadsheetML): text is fed in
 * pieces as a zip entry inflates, and start tags, end tags and text come out as they complete,
 * so a reader can stop (a row cap) without the rest ever being inflated.
 *
 * Only the five predefined entities and character references are expanded: a DOCTYPE's own
 * entities are never defined, so an entity-expansion bomb expands to nothing. Namespace
 * prefixes are dropped (`x:row` is `row`), as some generators write them.
 */
import { FileRefused } from "./limits";

export interface XmlHandler {
  open(name: string, attributes: Readonly<Record<string, string>>, selfClosing: boolean): void;
  close(name: string): void;
  /** Raw text (entities not yet expanded; may arrive in several pieces). */
  text(raw: string): void;
}

const TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const END = /<\/([A-Za-z_][\w.:-]*)\s*>/y;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
/** A tag longer than this is not SpreadsheetML: the part is broken. */
const MAX_TAG = 64 * 1024;

const local = (name: string) => {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
};

/** Expands the predefined entities and character references of raw XML text. */
export function decodeXmlText(raw: string): string {
  if (!raw.includes("&")) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    switch (e) {
      case "amp":
        return "&";
      case "lt":
        return "<";
      case "gt":
        return ">";
      case "quot":
        return '"';
      case "apos":
        return "'";
      default: {
        const code = e.startsWith("#x") ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "";
      }
    }
  });
}

export class XmlTokenizer {
  private buffer = "";
  private readonly decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(
    private readonly handler: XmlHandler,
    private readonly broken: () => FileRefused,
  ) {}

  /** Feeds UTF-8 bytes. */
  push(bytes: Uint8Array, final = false): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes, { stream: !final });
    } catch {
      throw this.broken();
    }
    this.feed(text, final);
  }

  private feed(text: string, final: boolean): void {
    this.buffer += text;
    const b = this.buffer;
    let at = 0;
    for (;;) {
      const lt = b.indexOf("<", at);
      if (lt < 0) {
        // Text up to the end, except a reference cut in two («&am» + «p;»).
        const amp = b.lastIndexOf("&");
        const cut = !final && amp >= at && !b.includes(";", amp) ? amp : b.length;
        if (cut > at) this.handler.text(b.slice(at, cut));
        at = cut;
        break;
      }
      if (lt > at) this.handler.text(b.slice(at, lt));
      at = lt;
      const next = this.token(b, lt);
      if (next < 0) break; // incomplete: wait for more
      at = next;
    }
    this.buffer = b.slice(at);
    if (this.buffer.length > MAX_TAG) throw this.broken();
    if (final && this.buffer.trim() !== "") throw this.broken();
  }

  /** Handles the markup at `lt`; returns the index after it, or -1 when it is not complete yet. */
  private token(b: string, lt: number): number {
    const c1 = b.charCodeAt(lt + 1);
    if (Number.isNaN(c1)) return -1;
    if (c1 === 0x3f /* ? */) return this.skipTo(b, lt, "?>");
    if (c1 === 0x21 /* ! */) {
      if (b.startsWith("<!--", lt)) return this.skipTo(b, lt, "-->");
      if (b.startsWith("<![CDATA[", lt)) {
        const end = b.indexOf("]]>", lt + 9);
        if (end < 0) return this.incomplete(b, lt);
        // CDATA is literal text: escape what the handler will expand again.
        this.handler.text(b.slice(lt + 9, end).replace(/&/g, "&amp;"));
        return end + 3;
      }
      if (b.length - lt < 9) return -1;
      // <!DOCTYPE …>: skipped, its entities are never used (see the module comment).
      return this.skipTo(b, lt, ">");
    }
    if (c1 === 0x2f /* / */) {
      END.lastIndex = lt;
      const m = END.exec(b);
      if (!m) return this.incomplete(b, lt);
      this.handler.close(local(m[1] ?? ""));
      return END.lastIndex;
    }
    TAG.lastIndex = lt;
    const m = TAG.exec(b);
    if (!m) return this.incomplete(b, lt);
    const attributes: Record<string, string> = {};
    for (const a of (m[2] ?? "").matchAll(ATTRIBUTE)) attributes[local(a[1] ?? "")] = decodeXmlText(a[2] ?? a[3] ?? "");
    const name = local(m[1] ?? "");
    const selfClosing = m[3] === "/";
    this.handler.open(name, attributes, selfClosing);
    if (selfClosing) this.handler.close(name);
    return TAG.lastIndex;
  }

  private skipTo(b: string, lt: number, end: string): number {
    const i = b.indexOf(end, lt);
    return i < 0 ? this.incomplete(b, lt) : i + end.length;
  }

  /** Not parsable at `lt`: more input may complete it, unless a '>' closing it is already here. */
  private incomplete(b: string, lt: number): number {
    const gt = b.indexOf(">", lt);
    if (gt >= 0 && !b.startsWith("<!--", lt) && !b.startsWith("<![CDATA[", lt) && !b.startsWith("<?", lt) && !this.quotesOpen(b, lt, gt)) throw this.broken();
    if (b.length - lt > MAX_TAG) throw this.broken();
    return -1;
  }

  /** Whether the '>' at `gt` lies inside an attribute value (then the tag continues). */
  private quotesOpen(b: string, lt: number, gt: number): boolean {
    let quote = "";
    for (let i = lt; i < gt; i += 1) {
      const ch = b[i] ?? "";
      if (quote) {
        if (ch === quote) quote = "";
      } else if (ch === '"' || ch === "'") quote = ch;
    }
    return quote !== "";
  }
}
