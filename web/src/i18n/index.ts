import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { usePreferences } from "@/lib/preferences";

// Every feature keeps its words in locales/<language>/<namespace>.json; they are all bundled (they are small).
const files = import.meta.glob<{ default: Record<string, unknown> }>("./locales/*/*.json", { eager: true });
const resources: Record<string, Record<string, Record<string, unknown>>> = {};
for (const [path, module] of Object.entries(files)) {
  const [, language, namespace] = /\.\/locales\/(\w+)\/(\w+)\.json$/.exec(path)!;
  (resources[language!] ??= {})[namespace!] = module.default;
}

void i18n.use(initReactI18next).init({
  resources,
  lng: usePreferences.getState().language,
  fallbackLng: "en",
  defaultNS: "common",
  interpolation: { escapeValue: false }, // React escapes already
  returnNull: false,
});

i18n.on("languageChanged", (language) => {
  document.documentElement.lang = language;
});
document.documentElement.lang = i18n.language;

export default i18n;
