/**
 * `import code from "./x.ts?inline-script"` — a browser script written in TypeScript, bundled by
 * esbuild into one minified IIFE for the engines parents still use (Chrome 61, Safari 12: the same
 * targets as the client bundle), and imported as its source text so a route can inline it under the
 * page's CSP nonce. Type-checked with the rest (tsc), compiled the same way in the build, the dev
 * server and the tests (vite.config.ts and vitest.config.ts both use this plugin).
 */
import { build } from "esbuild";
import type { Plugin } from "vite";

export const BROWSER_TARGETS = ["chrome61", "safari12", "ios12"];
const SUFFIX = "?inline-script";

export function inlineScript(): Plugin {
  return {
    name: "inline-script",
    enforce: "pre",
    async resolveId(source, importer) {
      if (!source.endsWith(SUFFIX)) return null;
      const resolved = await this.resolve(source.slice(0, -SUFFIX.length), importer, { skipSelf: true });
      return resolved ? `${resolved.id}${SUFFIX}` : null;
    },
    async load(id) {
      if (!id.endsWith(SUFFIX)) return null;
      const file = id.slice(0, -SUFFIX.length);
      const result = await build({
        entryPoints: [file],
        bundle: true,
        write: false,
        format: "iife",
        target: BROWSER_TARGETS,
        minify: true,
        legalComments: "none",
        charset: "utf8",
        metafile: true,
        logLevel: "silent",
      });
      for (const input of Object.keys(result.metafile.inputs)) this.addWatchFile(input);
      const code = result.outputFiles[0]?.text ?? "";
      return `export default ${JSON.stringify(code.trim())};`;
    },
  };
}
