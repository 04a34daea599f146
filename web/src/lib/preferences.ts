import { create } from "zustand";
import { persist } from "zustand/middleware";
import type { Language } from "./languages";

export type Theme = "light" | "dark" | "system";

interface Preferences {
  theme: Theme;
  language: Language;
  /** The workspace opened last, to open it again at the next visit. */
  lastWorkspaceId: string | null;
  setTheme: (theme: Theme) => void;
  setLanguage: (language: Language) => void;
  setLastWorkspaceId: (id: string | null) => void;
}

function browserLanguage(): Language {
  return typeof navigator !== "undefined" && navigator.language.toLowerCase().startsWith("it") ? "it" : "en";
}

// The key is read by public/theme.js before the app starts: keep the two in step.
export const usePreferences = create<Preferences>()(
  persist(
    (set) => ({
      theme: "system",
      language: browserLanguage(),
      lastWorkspaceId: null,
      setTheme: (theme) => set({ theme }),
      setLanguage: (language) => set({ language }),
      setLastWorkspaceId: (lastWorkspaceId) => set({ lastWorkspaceId }),
    }),
    { name: "viewfinder-preferences" },
  ),
);

export function applyTheme(theme: Theme): void {
  const dark = theme === "dark" || (theme === "system" && window.matchMedia("(prefers-color-scheme: dark)").matches);
  document.documentElement.classList.toggle("dark", dark);
}
