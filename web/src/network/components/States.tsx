/** States the network's pages share: a person who is not there, and a private account. */
import { Lock } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

/** Unknown username, or someone who blocked the viewer: the server answers the same, and so do we. */
export function PersonNotFound() {
  const { t } = useTranslation("network");
  return (
    <div className="py-12 text-center">
      <h1 className="text-xl font-semibold">{t("notFound.title")}</h1>
      <p className="mt-2 text-sm text-zinc-500 dark:text-zinc-400">{t("notFound.description")}</p>
      <Link to="/network" className="mt-4 inline-block text-sm font-semibold text-brand-600 dark:text-brand-500">
        {t("notFound.back")}
      </Link>
    </div>
  );
}

export function PrivateAccountNotice() {
  const { t } = useTranslation("network");
  return (
    <div className="flex flex-col items-center gap-2 border-t border-zinc-200 py-12 text-center dark:border-zinc-800">
      <span className="rounded-full border-2 border-zinc-900 p-3 dark:border-zinc-100">
        <Lock aria-hidden className="h-6 w-6" />
      </span>
      <p className="font-semibold">{t("profile.privateTitle")}</p>
      <p className="text-sm text-zinc-500 dark:text-zinc-400">{t("profile.privateDescription")}</p>
    </div>
  );
}
