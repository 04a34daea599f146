import { useTranslation } from "react-i18next";
import { Link, useRouteError } from "react-router";
import { ErrorState } from "@/components/ui/States";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 p-6 text-center">
      <h1 className="text-2xl font-semibold">404</h1>
      <p>{t("errors:notFound")}</p>
      <Link className="text-brand-600 underline" to="/">
        {t("goHome")}
      </Link>
    </main>
  );
}

/** Shown when a page fails to load or render (an old tab after an upgrade, say): reloading fixes most. */
export function RouteError() {
  const error = useRouteError();
  return (
    <main className="mx-auto max-w-md p-6">
      <ErrorState error={error} onRetry={() => window.location.reload()} />
    </main>
  );
}
