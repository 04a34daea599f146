import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/** Formats an ISO date-time in the interface language (dates follow the language the person chose). */
export function useFormatDateTime(): (iso: string) => string {
  const { i18n } = useTranslation();
  const formatter = useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium", timeStyle: "short" }),
    [i18n.language],
  );
  return (iso) => formatter.format(new Date(iso));
}
