/**
 * An allow-list sanitiser for the HTML a questionnaire definition may carry: SurveyJS renders
 * the `html` of an `html` element and the survey's `completedHtml`, `completedBeforeHtml`,
 * `loadingHtml` and `completedHtmlOnCondition[].html` as markup (innerHTML). Titles,
 * descriptions and choice texts are rendered as text (this app registers no `onTextMarkdown`
 * handler), so they are not HTML.
 *
 * The markup is re-serialised from what is allowed, never passed through: text is escaped,
 * only the tags in `ALLOWED_TAGS` survive, each with only its allowed attributes, every value
 * re-quoted and escaped. Removed, and reported so that publishing can refuse the definition:
 * `<script>`, `<style>`, `<iframe>`, `<object>`, `<embed>`, `<svg>`, `<math>`, `<template>`,
 * `<noscript>` and the like with their content; forms and their controls, `<link>`, `<meta>`,
 * `<base>` and every other tag not allowed; event handlers (`on…`); URLs other than http(s),
 * mailto, tel and same-site paths (`javascript:`, `data:` except raster images, `vbscript:`,
 * also when hidden behind entities or control characters); images from other hosts (a remote
 * load is a beacon, and unreachable offline); style declarations outside a short list of
 * properties, or holding `url(`, `expression(`, `@import`, escapes or comments.
 *
 * Pure. The output contains no `<` that does not open an allowed tag, and no attribute that is
 * not allowed, whatever the input.
 */

const ALLOWED_TAGS = new Set([
  "p",
  "br",
  "b",
  "strong",
  "i",
  "em",
  "u",
  "s",
  "small",
  "sub",
  "sup",
  "span",
  "div",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "ul",
  "ol",
  "li",
  "blockquote",
  "hr",
  "a",
  "img",
  "table",
  "thead",
  "tbody",
  "tfoot",
  "tr",
  "th",
  "td",
  "caption",
  "code",
  "pre",
  "mark",
  "abbr",
]);
const VOID_TAGS = new Set(["br", "hr", "img"]);
/** Dropped together with everything up to their closing tag. */
const DROP_WITH_CONTENT = new Set([
  "script",
  "style",
  "iframe",
  "object",
  "embed",
  "applet",
  "svg",
  "math",
  "template",
  "noscript",
  "noembed",
  "noframes",
  "frameset",
  "frame",
  "textarea",
  "title",
  "xmp",
  "plaintext",
  "select",
  "audio",
  "video",
]);

const GLOBAL_ATTRIBUTES = new Set(["title", "class", "style", "lang", "dir"]);
const TAG_ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  a: new Set(["href", "target"]),
  img: new Set(["src", "alt", "width", "height"]),
  td: new Set(["colspan", "rowspan", "align"]),
  th: new Set(["colspan", "rowspan", "align", "scope"]),
  ol: new Set(["start", "type"]),
  p: new Set(["align"]),
  div: new Set(["align"]),
};

const STYLE_PROPERTIES = new Set([
  "color",
  "background-color",
  "font-weight",
  "font-style",
  "font-size",
  "text-align",
  "text-decoration",
  "line-height",
  "margin",
  "margin-top",
  "margin-bottom",
  "margin-left",
  "margin-right",
  "padding",
  "padding-top",
  "padding-bottom",
  "padding-left",
  "padding-right",
  "border",
  "border-top",
  "border-bottom",
  "border-left",
  "border-right",
  "border-collapse",
  "width",
  "max-width",
  "height",
  "vertical-align",
  "white-space",
]);

export interface SanitizedHtml {
  html: string;
  /** What was removed, in Chinese (empty when nothing dangerous or disallowed was found). */
  removed: string[];
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
  colon: ":",
  tab: "\t",
  newline: "\n",
  sol: "/",
  lpar: "(",
  rpar: ")",
  bsol: "\\",
};

/** Decodes character references as a browser does in an attribute value (enough to see through `jav&#x61;script:`). */
function decodeEntities(value: string): string {
  return value.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);?/g, (whole, ref: string) => {
    if (ref.startsWith("#")) {
      const code = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
    }
    return NAMED_ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

function escapeText(text: string): string {
  // Keep well-formed character references; escape every other & and the angle brackets.
  return text
    .replace(/&(?!(?:#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);)/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/'/g, "&#39;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A URL allowed in `href` (or `src` when `image`), or null. */
function safeUrl(raw: string, image: boolean): string | null {
  // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:").
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const url = decodeEntities(raw).replace(/[\u0000-\u0020\u007f-\u009f]/g, "");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    // Same-site paths and fragments only: "//host" is another host.
    if (url.startsWith("//") || url.startsWith("\\")) return null;
    return decodeEntities(raw).trim();
  }
  if (image) return /^data:image\/(?:png|jpeg|gif|webp);base64,[a-zA-Z0-9+/=]+$/.test(url) ? url : null;
  return scheme === "http" || scheme === "https" || scheme === "mailto" || scheme === "tel" ? decodeEntities(raw).trim() : null;
}

function safeStyle(raw: string, removed: string[]): string | null {
  const value = decodeEntities(raw);
  if (/url\s*\(|expression\s*\(|@import|\\|\/\*|javascript:|behavior\s*:|-moz-binding/i.test(value)) {
    removed.push(`可加载外部资源或执行代码的样式（${value.slice(0, 40)}）`);
    return null;
  }
  const kept: string[] = [];
  for (const declaration of value.split(";")) {
    const colon = declaration.indexOf(":");
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const v = declaration.slice(colon + 1).trim();
    if (!STYLE_PROPERTIES.has(property) || !/^[#a-zA-Z0-9%.,\s()-]+$/.test(v)) {
      if (property !== "") removed.push(`不允许的样式 ${property}`);
      continue;
    }
    kept.push(`${property}: ${v}`);
  }
  return kept.length > 0 ? kept.join("; ") : null;
}

interface Attribute {
  name: string;
  value: string | null;
}

/** Parses the attributes of a start tag from `s[i]` to its `>`; returns them and the index after `>`. */
function parseAttributes(s: string, start: number): { attributes: Attribute[]; end: number; selfClosing: boolean } {
  const attributes: Attribute[] = [];
  let i = start;
  let selfClosing = false;
  for (;;) {
    while (i < s.length && /[\s/]/.test(s[i] ?? "")) {
      if (s[i] === "/") selfClosing = true;
      i++;
    }
    if (i >= s.length) return { attributes, end: s.length, selfClosing };
    if (s[i] === ">") return { attributes, end: i + 1, selfClosing };
    selfClosing = false;
    let name = "";
    while (i < s.length && !/[\s/>=]/.test(s[i] ?? "")) name += s[i++];
    while (i < s.length && /\s/.test(s[i] ?? "")) i++;
    let value: string | null = null;
    if (s[i] === "=") {
      i++;
      while (i < s.length && /\s/.test(s[i] ?? "")) i++;
      const quote = s[i];
      if (quote === '"' || quote === "'") {
        const close = s.indexOf(quote, i + 1);
        value = s.slice(i + 1, close < 0 ? s.length : close);
        i = close < 0 ? s.length : close + 1;
      } else {
        value = "";
        while (i < s.length && !/[\s>]/.test(s[i] ?? "")) value += s[i++];
      }
    }
    attributes.push({ name: name.toLowerCase(), value });
  }
}

function cleanAttributes(tag: string, attributes: readonly Attribute[], removed: string[]): string {
  const out: string[] = [];
  const allowed = TAG_ATTRIBUTES[tag];
  let blankTarget = false;
  for (const { name, value } of attributes) {
    if (name.startsWith("on")) {
      removed.push(`事件属性 ${name}`);
      continue;
    }
    if (!GLOBAL_ATTRIBUTES.has(name) && !allowed?.has(name)) {
      removed.push(`<${tag}> 不允许的属性 ${name}`);
      continue;
    }
    const v = value ?? "";
    let clean: string | null = decodeEntities(v);
    if (name === "href" || name === "src") {
      clean = safeUrl(v, name === "src");
      if (clean === null) removed.push(`不允许的链接 ${name}="${v.slice(0, 40)}"${name === "src" ? "（图片只能使用本站路径或内嵌图片）" : ""}`);
    } else if (name === "style") {
      clean = safeStyle(v, removed);
    } else if (name === "target") {
      clean = clean.trim() === "_blank" ? "_blank" : null;
      blankTarget = clean !== null;
    } else if (name === "colspan" || name === "rowspan" || name === "start" || name === "width" || name === "height") {
      clean = /^\s*\d{1,4}%?\s*$/.test(clean) ? clean.trim() : null;
    }
    if (clean !== null) out.push(` ${name}="${escapeAttribute(clean)}"`);
  }
  if (tag === "a" && blankTarget) out.push(' rel="noopener noreferrer"');
  return out.join("");
}

export function sanitizeHtml(input: string): SanitizedHtml {
  const removed: string[] = [];
  const out: string[] = [];
  const open: string[] = [];
  let i = 0;
  const s = input;
  while (i < s.length) {
    const lt = s.indexOf("<", i);
    if (lt < 0) {
      out.push(escapeText(s.slice(i)));
      break;
    }
    out.push(escapeText(s.slice(i, lt)));
    i = lt;
    if (s.startsWith("<!--", i)) {
      const end = s.indexOf("-->", i + 4);
      i = end < 0 ? s.length : end + 3;
      continue;
    }
    if (s[i + 1] === "!" || s[i + 1] === "?") {
      // Doctype, CDATA, processing instructions: nothing a questionnaire needs.
      removed.push("<! 或 <? 声明");
      const end = s.indexOf(">", i);
      i = end < 0 ? s.length : end + 1;
      continue;
    }
    const closing = s[i + 1] === "/";
    const nameMatch = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(s.slice(i + (closing ? 2 : 1)));
    if (!nameMatch) {
      out.push("&lt;");
      i += 1;
      continue;
    }
    const tag = nameMatch[0].toLowerCase();
    const afterName = i + (closing ? 2 : 1) + nameMatch[0].length;
    if (closing) {
      const end = s.indexOf(">", afterName);
      i = end < 0 ? s.length : end + 1;
      const at = open.lastIndexOf(tag);
      if (at >= 0) {
        while (open.length > at) out.push(`</${open.pop() ?? ""}>`);
      }
      continue;
    }
    const { attributes, end, selfClosing } = parseAttributes(s, afterName);
    i = end;
    if (DROP_WITH_CONTENT.has(tag)) {
      removed.push(`<${tag}>`);
      const close = s.toLowerCase().indexOf(`</${tag}`, i);
      if (close < 0) i = s.length;
      else {
        const gt = s.indexOf(">", close);
        i = gt < 0 ? s.length : gt + 1;
      }
      continue;
    }
    if (!ALLOWED_TAGS.has(tag)) {
      removed.push(`不允许的标签 <${tag}>`);
      continue;
    }
    out.push(`<${tag}${cleanAttributes(tag, attributes, removed)}>`);
    if (!VOID_TAGS.has(tag) && !selfClosing) open.push(tag);
  }
  while (open.length > 0) out.push(`</${open.pop() ?? ""}>`);
  return { html: out.join(""), removed: [...new Set(removed)] };
}

/** Properties of a SurveyJS definition rendered as HTML (see the module comment). */
const HTML_PROPERTIES = new Set(["html", "completedHtml", "completedBeforeHtml", "loadingHtml"]);

/**
 * Sanitises every HTML-rendered string of a SurveyJS definition (also localised ones, `{
 * "default": …, "zh-cn": … }`, and inside panels and `completedHtmlOnCondition`). Returns the
 * sanitised copy and, per place, what was removed.
 */
export function sanitizeDefinitionHtml(json: unknown): { json: unknown; problems: string[] } {
  const problems: string[] = [];
  const clean = (value: string, where: string): string => {
    const r = sanitizeHtml(value);
    if (r.removed.length > 0) problems.push(`${where} 含有不允许的 HTML：${r.removed.join("、")}`);
    return r.html;
  };
  const walk = (node: unknown, where: string): unknown => {
    if (Array.isArray(node)) return node.map((x, i) => walk(x, `${where}[${String(i)}]`));
    if (typeof node !== "object" || node === null) return node;
    const named = "name" in node && typeof node.name === "string" ? `${where}「${node.name}」` : where;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (HTML_PROPERTIES.has(key)) {
        if (typeof value === "string") out[key] = clean(value, `${named}.${key}`);
        else if (typeof value === "object" && value !== null && !Array.isArray(value))
          out[key] = Object.fromEntries(
            Object.entries(value).map(([lang, text]) => [lang, typeof text === "string" ? clean(text, `${named}.${key}.${lang}`) : text]),
          );
        else out[key] = value;
      } else out[key] = walk(value, key === "pages" || key === "elements" || key === "completedHtmlOnCondition" ? `${named}.${key}` : named);
    }
    return out;
  };
  return { json: walk(json, "问卷"), problems };
}
