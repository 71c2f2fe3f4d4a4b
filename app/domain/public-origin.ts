/**
 * Whether the origin printed in links and QR codes (PUBLIC_URL) can be opened from a parent's
 * phone. When PUBLIC_URL is unset the server prints `http://localhost:PORT` (app/.server/config.ts):
 * every copied link and printed QR code then points at the phone itself and opens nothing.
 *
 * - loopback: localhost, *.localhost, 127.0.0.0/8, ::1, 0.0.0.0 — no phone can open it;
 * - private: 10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7, fe80::/10 — only devices on
 *   the same intranet (not a parent on 4G);
 * - insecure: any other http:// origin — it opens, but WeChat may warn before opening it and
 *   answers travel unencrypted.
 *
 * Pure: takes the configured URL, returns the problem (or null for an https public origin).
 */
export type PublicOriginLevel = "loopback" | "private" | "insecure";

export interface PublicOriginProblem {
  level: PublicOriginLevel;
  /** The origin as printed, e.g. `http://localhost:3000`. */
  origin: string;
  /** What the banner says, in Chinese. */
  message: string;
}

function ipv4(host: string): [number, number, number, number] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as const;
  return parts.every((p) => p <= 255) ? [...parts] : null;
}

/** The host's kind: `hostname` as `URL` gives it (lower case, IPv6 in brackets). */
export function hostKind(hostname: string): "loopback" | "private" | "public" {
  const host = hostname
    .replace(/^\[|\]$/g, "")
    .replace(/\.$/, "")
    .toLowerCase();
  if (host === "localhost" || host.endsWith(".localhost") || host === "::1" || host === "::" || host === "0.0.0.0") return "loopback";
  const mapped = /^::ffff:(.+)$/.exec(host);
  const v4 = ipv4(mapped?.[1] ?? host);
  if (v4) {
    const [a, b] = v4;
    if (a === 127 || a === 0) return "loopback";
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) return "private";
    return "public";
  }
  // Node's URL writes an IPv4-mapped IPv6 address in hex (::ffff:7f00:1).
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1] ?? "0", 16);
    return hostKind(`${String(hi >> 8)}.${String(hi & 255)}.0.1`);
  }
  if (/^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host)) return "private";
  return "public";
}

/**
 * The problem with `publicUrl` as an address for parents' phones, or null when it is an https
 * origin on a public host. A URL that does not parse is reported as loopback-level: nothing
 * printed from it opens.
 */
export function publicOriginProblem(publicUrl: string): PublicOriginProblem | null {
  let url: URL;
  try {
    url = new URL(publicUrl);
  } catch {
    return { level: "loopback", origin: publicUrl, message: `链接地址（${publicUrl}）无效，家长手机无法打开。请管理员设置 PUBLIC_URL 为正式的 https 地址。` };
  }
  const origin = url.origin;
  const kind = hostKind(url.hostname);
  if (kind === "loopback") {
    return { level: "loopback", origin, message: `链接指向本机地址（${origin}），家长手机无法打开。请管理员设置 PUBLIC_URL 为正式的 https 地址。` };
  }
  if (kind === "private") {
    return {
      level: "private",
      origin,
      message: `链接指向内网地址（${origin}），只有连在同一内网的电脑和手机能打开，用流量上网的家长手机无法打开。请管理员设置 PUBLIC_URL 为正式的 https 地址。`,
    };
  }
  if (url.protocol !== "https:") {
    return {
      level: "insecure",
      origin,
      message: `链接使用未加密的 http 地址（${origin}）：微信打开时可能提示风险，答卷在传输中未加密。建议管理员将 PUBLIC_URL 设置为 https 地址。`,
    };
  }
  return null;
}
