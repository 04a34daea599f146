/** The languages the app (and the server's mails) speak. */
export const LANGUAGES = ["en", "it"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language in its own words: a person looking for theirs reads it whatever the interface speaks now. */
export const LANGUAGE_NAMES: Record<Language, string> = { en: "English", it: "Italiano" };

/** A stored locale as one the app speaks; anything else (an old or foreign value) reads as English. */
export function toLanguage(locale: string): Language {
  return (LANGUAGES as readonly string[]).includes(locale) ? (locale as Language) : "en";
}
