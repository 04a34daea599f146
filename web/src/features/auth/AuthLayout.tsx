/**
 * The frame of the public account pages (sign-in, sign-up, password reset, links from mails): the product's
 * name, the theme and language switches, and one centred card holding the page's heading and form.
 */
import { Aperture } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LanguageSwitch, ThemeSwitch } from "@/components/PreferenceSwitches";
import { PageHeader } from "@/components/ui/Card";

interface AuthLayoutProps {
  /** The page's one `h1`. */
  title: string;
  description?: string | undefined;
  children: ReactNode;
  /** Under the card: links to the neighbouring pages ("No account yet? Create one"). */
  footer?: ReactNode;
}

export default function AuthLayout({ title, description, children, footer }: AuthLayoutProps) {
  const { t } = useTranslation();
  return (
    <div className="flex min-h-screen flex-col bg-zinc-50 dark:bg-zinc-950">
      <header className="flex items-center justify-between gap-2 px-4 py-3 sm:px-6">
        <Link
          to="/"
          className="inline-flex items-center gap-2 rounded-md text-base font-semibold text-zinc-900 dark:text-zinc-100"
        >
          <Aperture aria-hidden className="h-6 w-6 text-brand-600 dark:text-brand-500" />
          {t("appName")}
        </Link>
        <div className="flex items-center gap-1">
          <LanguageSwitch />
          <ThemeSwitch />
        </div>
      </header>
      <main className="flex flex-1 justify-center px-4 pb-12 pt-4 sm:items-center sm:pt-0">
        <div className="w-full max-w-md">
          <div className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
            <PageHeader title={title} description={description} />
            {children}
          </div>
          {footer && (
            <div className="mt-6 space-y-2 text-center text-sm text-zinc-600 dark:text-zinc-400">{footer}</div>
          )}
        </div>
      </main>
    </div>
  );
}
