import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import { BROWSER_TARGETS, inlineScript } from "./scripts/lib/inline-script";

const app = fileURLToPath(new URL("./app", import.meta.url));

// Parents answer on old Android WebViews and iOS Safari still in use (Chrome 61+, Safari 12+):
// the client bundle's syntax, and the phone page's inline script, are lowered to those engines.

export default defineConfig({
  resolve: { alias: { "~": app } },
  build: {
    target: BROWSER_TARGETS,
    cssTarget: BROWSER_TARGETS,
  },
  plugins: [
    inlineScript(),
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
});
