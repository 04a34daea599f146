import { LogOut } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { useMe, useWorkspaces } from "@/app/session";
import { LanguageSwitch, ThemeSwitch } from "@/components/PreferenceSwitches";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { EmailVerificationNotice } from "@/components/EmailVerificationNotice";
import { useSignOut } from "./useSignOut";
import { WorkspaceForm } from "./WorkspaceForm";

/** `/welcome`: a person without a workspace creates their first one (or signs out). */
export default function WelcomePage() {
  const { t } = useTranslation("shell");
  const navigate = useNavigate();
  const me = useMe();
  const workspaces = useWorkspaces();
  const signOut = useSignOut();
  const firstName = me.data?.name.split(/\s+/)[0] ?? "";
  const existing = workspaces.data?.[0];

  return (
    <div className="min-h-screen">
      <header className="flex items-center justify-between gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <span className="font-semibold">{t("common:appName")}</span>
        <div className="flex items-center gap-1">
          <ThemeSwitch />
          <LanguageSwitch />
          <Button variant="ghost" size="sm" loading={signOut.isPending} onClick={() => signOut.mutate(false)}>
            {!signOut.isPending && <LogOut aria-hidden className="h-4 w-4" />}
            {t("userMenu.signOut")}
          </Button>
        </div>
      </header>
      <main id="content" className="mx-auto max-w-lg space-y-6 px-4 py-10">
        <div>
          <h1 className="text-2xl font-semibold">
            {firstName ? t("welcome.titleNamed", { name: firstName }) : t("welcome.title")}
          </h1>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t("welcome.intro")}</p>
        </div>
        {me.data && !me.data.email_verified && <EmailVerificationNotice email={me.data.email} />}
        <Card title={t("welcome.formTitle")} description={t("welcome.formDescription")}>
          <WorkspaceForm onCreated={(workspace) => void navigate(`/w/${workspace.id}`, { replace: true })} />
        </Card>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("welcome.invited")}</p>
        {existing && (
          <p className="text-sm">
            <Link
              to={`/w/${existing.id}`}
              className="text-brand-600 underline hover:text-brand-700 dark:text-brand-500"
            >
              {t("welcome.backToWorkspaces")}
            </Link>
          </p>
        )}
      </main>
    </div>
  );
}
