import { useMemo } from "react";
import { useTranslation } from "react-i18next";

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 hours ago" in the interface language; under a minute, "now". */
export function useTimeAgo() {
  const { i18n } = useTranslation();
  const language = i18n.language;
  return useMemo(() => {
    const format = new Intl.RelativeTimeFormat(language, { numeric: "auto", style: "long" });
    return (iso: string, now: number = Date.now()) => {
      const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
      for (const [unit, size] of UNITS) {
        if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
      }
      return format.format(0, "second");
    };
  }, [language]);
}
