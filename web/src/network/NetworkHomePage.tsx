/**
 * `/network`: the signed-in person's start. The feed arrives with posts; until then, a welcome that leads to
 * finding people to follow. Signed out, the sign-in page.
 */
import { Search, UserPlus } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Avatar } from "@/components/Avatar";
import { LanguageSwitch, ThemeSwitch } from "@/components/PreferenceSwitches";
import { RequireNetworkSession } from "./components/RequireNetworkSession";

export default function NetworkHomePage() {
  const { t } = useTranslation("network");
  return (
    <RequireNetworkSession>
      {(me) => (
        <div className="space-y-6">
          <section className="flex flex-col items-center gap-3 rounded-xl border border-zinc-200 px-6 py-10 text-center dark:border-zinc-800">
            <Avatar name={me.name} url={me.avatar_url} size="lg" />
            <h1 className="text-xl font-semibold">{t("home.welcome", { name: me.name })}</h1>
            <p className="max-w-sm text-sm text-zinc-500 dark:text-zinc-400">{t("home.description")}</p>
            <Link
              to="/network/search"
              className="mt-2 inline-flex h-10 items-center gap-2 rounded-md bg-brand-600 px-4 text-sm font-medium text-white hover:bg-brand-700"
            >
              <Search aria-hidden className="h-4 w-4" />
              {t("home.findPeople")}
            </Link>
            <Link
              to={`/network/${me.username}`}
              className="inline-flex items-center gap-2 rounded-md px-2 py-1 text-sm font-semibold text-brand-600 dark:text-brand-500"
            >
              <UserPlus aria-hidden className="h-4 w-4" />
              {t("home.yourProfile")}
            </Link>
          </section>
          {/* On phones the top bar has no room for these. */}
          <div className="flex justify-center gap-1 sm:hidden">
            <LanguageSwitch />
            <ThemeSwitch />
          </div>
        </div>
      )}
    </RequireNetworkSession>
  );
}
