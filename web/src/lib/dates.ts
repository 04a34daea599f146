import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/**
 * Dates and times in the interface language (the person's choice, not the browser's). The formatters are rebuilt
 * only when the language changes.
 */
export function useDateFormat() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(() => {
    const day = new Intl.DateTimeFormat(language, { dateStyle: "medium" });
    const moment = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" });
    const precise = new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "medium" });
    return {
      date: (iso: string) => day.format(new Date(iso)),
      dateTime: (iso: string) => moment.format(new Date(iso)),
      /** With seconds: audit entries a few seconds apart must be told apart. */
      preciseDateTime: (iso: string) => precise.format(new Date(iso)),
    };
  }, [language]);
}
