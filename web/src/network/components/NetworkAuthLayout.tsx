/** The frame of the network's sign-in and sign-up pages: the name, one card, links to the other page. */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LanguageSwitch, ThemeSwitch } from "@/components/PreferenceSwitches";
import { Skeleton } from "@/components/ui/States";

export function NetworkAuthLayout({
  title,
  description,
  children,
  footer,
}: {
  title: string;
  description: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  const { t } = useTranslation("network");
  return (
    <div className="flex min-h-screen flex-col bg-zinc-50 text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100">
      <header className="flex items-center justify-end gap-1 px-4 py-2">
        <LanguageSwitch />
        <ThemeSwitch />
      </header>
      <main className="flex flex-1 justify-center px-4 pb-12 sm:items-center">
        <div className="w-full max-w-sm space-y-3">
          <div className="rounded-xl border border-zinc-200 bg-white px-5 py-8 sm:px-8 dark:border-zinc-800 dark:bg-zinc-900">
            <Link to="/network" className="block text-center text-3xl font-bold italic tracking-tight">
              {t("name")}
            </Link>
            <h1 className="mt-4 text-center text-lg font-semibold">{title}</h1>
            <p className="mt-1 text-center text-sm text-zinc-500 dark:text-zinc-400">{description}</p>
            <div className="mt-6">{children}</div>
          </div>
          <div className="rounded-xl border border-zinc-200 bg-white px-5 py-4 text-center text-sm dark:border-zinc-800 dark:bg-zinc-900">
            {footer}
          </div>
        </div>
      </main>
    </div>
  );
}

export function AuthFormSkeleton() {
  const { t } = useTranslation();
  return (
    <div role="status" aria-label={t("loading")} className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm space-y-3">
        {Array.from({ length: 4 }, (_, index) => (
          <Skeleton key={index} className="h-10 w-full" />
        ))}
      </div>
    </div>
  );
}
