import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach } from "vitest";
import "@/i18n";

// jsdom has no ResizeObserver; Radix's Switch and popovers measure themselves with it.
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
};

// As in a browser holding a session: the app then asks /api/v1/auth/me, whose mocked answer (an account or a
// 401) decides whether someone is signed in.
beforeEach(() => {
  document.cookie = "vf_csrf=test-csrf-token; path=/";
});

afterEach(() => cleanup());
