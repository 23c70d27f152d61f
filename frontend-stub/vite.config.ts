import { defineConfig } from "vite";

// The API serves the built files under /app/ from its binary (services/api/internal/spa),
// with a Content-Security-Policy that allows no inline script or style and no data: URLs:
// so nothing is inlined, and the module-preload polyfill (an inline helper) is left out.
export default defineConfig({
  base: "/app/",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: "es2022",
  },
  server: {
    // `npm run dev` talks to a local `make run`.
    proxy: { "/api": "http://127.0.0.1:8080" },
  },
});
