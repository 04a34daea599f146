/** The scopes an app asks for or holds, in plain words (an unknown one shows as its name). */
import { Check } from "lucide-react";
import { useTranslation } from "react-i18next";

export function ScopeList({ scopes }: { scopes: readonly string[] }) {
  const { t } = useTranslation("oauth");
  return (
    <ul className="space-y-2">
      {scopes.map((scope) => (
        <li key={scope} className="flex items-start gap-2 text-sm">
          <Check aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-brand-600 dark:text-brand-500" />
          <span>{t(`scopes.${scope}`, { defaultValue: scope })}</span>
        </li>
      ))}
    </ul>
  );
}
