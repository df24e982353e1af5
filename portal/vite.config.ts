import { defineConfig } from "vite";

// Built into dist/, which the gateway serves at "/" (relative asset paths, so any prefix works).
export default defineConfig({
  base: "./",
  build: { outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 1500 },
});
