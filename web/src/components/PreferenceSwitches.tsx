import { Languages, Monitor, Moon, Sun } from "lucide-react";
import { useTranslation } from "react-i18next";
import i18n from "@/i18n";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "@/lib/languages";
import { usePreferences, type Theme } from "@/lib/preferences";
import { Button } from "./ui/Button";
import { Menu, MenuRadioGroup, MenuRadioItem } from "./ui/Menu";

const THEME_ICONS = { light: Sun, dark: Moon, system: Monitor } as const;

/** Light, dark or the system's; remembered in this browser. */
export function ThemeSwitch() {
  const { t } = useTranslation();
  const theme = usePreferences((state) => state.theme);
  const setTheme = usePreferences((state) => state.setTheme);
  const Icon = THEME_ICONS[theme];
  return (
    <Menu
      label={t("theme.label")}
      trigger={
        <Button variant="ghost" size="icon" aria-label={t("theme.label")}>
          <Icon aria-hidden className="h-4 w-4" />
        </Button>
      }
    >
      <MenuRadioGroup value={theme} onValueChange={(value) => setTheme(value as Theme)}>
        {(["light", "dark", "system"] as const).map((option) => (
          <MenuRadioItem key={option} value={option}>
            {t(`theme.${option}`)}
          </MenuRadioItem>
        ))}
      </MenuRadioGroup>
    </Menu>
  );
}

/** English or Italian; remembered in this browser. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = usePreferences((state) => state.language);
  const setLanguage = usePreferences((state) => state.setLanguage);
  return (
    <Menu
      label={t("language.label")}
      trigger={
        <Button variant="ghost" size="icon" aria-label={t("language.label")}>
          <Languages aria-hidden className="h-4 w-4" />
        </Button>
      }
    >
      <MenuRadioGroup
        value={language}
        onValueChange={(value) => {
          const next = value as Language;
          setLanguage(next);
          void i18n.changeLanguage(next);
        }}
      >
        {LANGUAGES.map((option) => (
          <MenuRadioItem key={option} value={option}>
            <span lang={option}>{LANGUAGE_NAMES[option]}</span>
          </MenuRadioItem>
        ))}
      </MenuRadioGroup>
    </Menu>
  );
}
