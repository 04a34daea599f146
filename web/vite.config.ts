/// <reference types="vitest/config" />
import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the API runs beside Vite (`viewfinder serve` on :8000); the built app is served by the API itself.
const api = process.env.VIEWFINDER_API ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: { alias: { "@": new URL("./src", import.meta.url).pathname } },
  server: {
    proxy: Object.fromEntries(["/api", "/media", "/health", "/docs", "/openapi.json"].map((p) => [p, api])),
  },
  build: { outDir: "dist", assetsDir: "assets", sourcemap: false },
  test: {
    globals: true,
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    css: false,
  },
});
