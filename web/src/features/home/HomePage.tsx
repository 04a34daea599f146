import { ArrowRight, Building2, KeyRound, LayoutDashboard, User, Users, type LucideIcon } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { can, useCurrentWorkspace, useMe, type Account, type Workspace } from "@/app/session";
import { Card, PageHeader } from "@/components/ui/Card";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { EmailVerificationNotice } from "@/components/EmailVerificationNotice";
import { timeZoneLabel } from "@/lib/timeZones";

/** The workspace's start page. There is no content to sum up yet, so it lists what a person can set up now. */
export default function HomePage() {
  const { t } = useTranslation("shell");
  const workspace = useCurrentWorkspace();
  const me = useMe();

  if (workspace.isPending || me.isPending) {
    return (
      <div role="status" aria-label={t("common:loading")} className="space-y-4">
        <Skeleton className="h-8 w-64" />
        <div className="grid gap-4 sm:grid-cols-2">
          <Skeleton className="h-36" />
          <Skeleton className="h-36" />
        </div>
      </div>
    );
  }
  if (workspace.isError) return <ErrorState error={workspace.error} onRetry={() => void workspace.refetch()} />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return null;
  return <Dashboard workspace={workspace.data} me={me.data} />;
}

interface Step {
  key: string;
  icon: LucideIcon;
  title: string;
  body: string;
  to: string;
  action: string;
}

function useSteps(workspace: Workspace): Step[] {
  const { t } = useTranslation("shell");
  const base = `/w/${workspace.id}/settings`;
  const timezone = timeZoneLabel(workspace.timezone);
  const steps: Step[] = [];
  if (can(workspace, "members:write")) {
    steps.push({
      key: "team",
      icon: Users,
      title: t("home.team.title"),
      body: t("home.team.body"),
      to: `${base}/team`,
      action: t("home.team.action"),
    });
  }
  steps.push(
    can(workspace, "workspace:write")
      ? {
          key: "timezone",
          icon: Building2,
          title: t("home.timezone.title"),
          body: t("home.timezone.body", { timezone }),
          to: `${base}/workspace`,
          action: t("home.timezone.action"),
        }
      : {
          key: "timezone",
          icon: Building2,
          title: t("home.timezoneReadOnly.title"),
          body: t("home.timezoneReadOnly.body", { timezone }),
          to: `${base}/workspace`,
          action: t("home.timezoneReadOnly.action"),
        },
    {
      key: "profile",
      icon: User,
      title: t("home.profile.title"),
      body: t("home.profile.body"),
      to: `${base}/profile`,
      action: t("home.profile.action"),
    },
    {
      key: "security",
      icon: KeyRound,
      title: t("home.security.title"),
      body: t("home.security.body"),
      to: `${base}/security`,
      action: t("home.security.action"),
    },
  );
  return steps;
}

function Dashboard({ workspace, me }: { workspace: Workspace; me: Account }) {
  const { t } = useTranslation("shell");
  const steps = useSteps(workspace);
  const firstName = me.name.split(/\s+/)[0] ?? me.name;
  return (
    <div className="space-y-6">
      <PageHeader
        title={t("home.title", { name: firstName })}
        description={t("home.description", { workspace: workspace.name, role: t(`common:roles.${workspace.role}`) })}
      />
      {!me.email_verified && <EmailVerificationNotice email={me.email} />}
      <section aria-labelledby="next-steps">
        <h2 id="next-steps" className="mb-3 text-base font-semibold">
          {t("home.nextSteps")}
        </h2>
        <ol className="grid gap-4 sm:grid-cols-2">
          {steps.map((step) => (
            <StepCard key={step.key} step={step} />
          ))}
        </ol>
      </section>
      <Card title={t("home.later.title")}>
        <div className="flex gap-3 text-sm text-zinc-600 dark:text-zinc-400">
          <LayoutDashboard aria-hidden className="mt-0.5 h-5 w-5 shrink-0 text-zinc-400" />
          <p>{t("home.later.body", { workspace: workspace.name })}</p>
        </div>
      </Card>
    </div>
  );
}

function StepCard({ step }: { step: Step }) {
  const Icon = step.icon;
  return (
    <li className="flex flex-col gap-3 rounded-lg border border-zinc-200 bg-white p-4 sm:p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex items-start gap-3">
        <span
          aria-hidden
          className="flex h-9 w-9 shrink-0 items-center justify-center rounded-md bg-brand-50 text-brand-700 dark:bg-zinc-800 dark:text-brand-100"
        >
          <Icon className="h-5 w-5" />
        </span>
        <div>
          <h3 className="font-medium">{step.title}</h3>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{step.body}</p>
        </div>
      </div>
      <Link
        to={step.to}
        className="mt-auto inline-flex items-center gap-1 self-start text-sm font-medium text-brand-600 hover:text-brand-700 hover:underline dark:text-brand-500"
      >
        {step.action}
        <ArrowRight aria-hidden className="h-4 w-4" />
      </Link>
    </li>
  );
}
