import type { ComponentProps } from "react";
import { Select } from "@/components/ui/Input";
import { LANGUAGE_NAMES, LANGUAGES } from "@/lib/languages";

/** A native select of the languages the app (and the server's mails) speak. */
export function LocaleSelect(props: ComponentProps<typeof Select>) {
  return (
    <Select {...props}>
      {LANGUAGES.map((language) => (
        <option key={language} value={language} lang={language}>
          {LANGUAGE_NAMES[language]}
        </option>
      ))}
    </Select>
  );
}
