/**
 * The workspace's audit log (owners and admins): filter it, page through it, export it as CSV, and see whether
 * its hash chain is intact.
 */
import { Download, ShieldAlert, ShieldCheck } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { api } from "@/api/client";
import { can, type Workspace } from "@/app/session";
import { LoadMoreButton } from "@/components/LoadMoreButton";
import { Button } from "@/components/ui/Button";
import { Card, PageHeader } from "@/components/ui/Card";
import { EmptyState, ErrorState, ListSkeleton, Skeleton } from "@/components/ui/States";
import { cn } from "@/lib/cn";
import { useDateFormat } from "@/lib/dates";
import {
  exportUrl,
  filtersFrom,
  filtersToParams,
  useAuditChain,
  useAuditEntries,
  type AuditEntry,
  type AuditFilters,
} from "./audit";
import { AuditFilterForm } from "./AuditFilterForm";
import { WorkspaceGate } from "./WorkspaceGate";

export default function AuditPage() {
  return <WorkspaceGate>{(workspace) => <Audit workspace={workspace} />}</WorkspaceGate>;
}

function Audit({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation("workspace");
  const [searchParams, setSearchParams] = useSearchParams();
  const allowed = can(workspace, "audit:read");
  const filters = filtersFrom(searchParams);
  const apply = (next: AuditFilters) => setSearchParams(filtersToParams(next));

  if (!allowed) {
    return (
      <div className="mx-auto w-full max-w-6xl">
        <PageHeader title={t("audit.title")} />
        <Card>
          <p className="text-sm">{t("audit.forbidden")}</p>
        </Card>
      </div>
    );
  }

  return (
    <div className="mx-auto w-full max-w-6xl">
      <PageHeader
        title={t("audit.title")}
        description={t("audit.description")}
        actions={
          // The export is a plain GET with the session cookie: a link downloads it, with the same filters. A
          // request through the API client first renews the session if its access token has run out.
          <a
            href={exportUrl(workspace.id, filters)}
            download
            onClick={(event) => {
              event.preventDefault();
              const href = event.currentTarget.href;
              void api.GET("/api/v1/auth/me").then(() => window.location.assign(href));
            }}
            className="inline-flex h-10 items-center gap-2 rounded-md border border-zinc-300 bg-white px-4 text-sm font-medium text-zinc-900 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800"
          >
            <Download aria-hidden className="h-4 w-4" />
            {t("audit.export")}
          </a>
        }
      />
      <div className="space-y-6">
        <ChainBadge workspaceId={workspace.id} />
        <Card>
          {/* Remounted when the address changes (back button, cleared filters), so the form shows what applies. */}
          <AuditFilterForm key={searchParams.toString()} workspace={workspace} filters={filters} onApply={apply} />
        </Card>
        <Entries workspaceId={workspace.id} filters={filters} onClear={() => apply({})} />
      </div>
    </div>
  );
}

function ChainBadge({ workspaceId }: { workspaceId: string }) {
  const { t } = useTranslation("workspace");
  const chain = useAuditChain(workspaceId);
  if (chain.isPending) return <Skeleton className="h-9 w-64" />;
  if (chain.isError) {
    return (
      <div className="flex flex-wrap items-center gap-2 text-sm text-red-700 dark:text-red-300">
        <span>{t("audit.chain.unknown")}</span>
        <Button variant="ghost" size="sm" onClick={() => void chain.refetch()}>
          {t("common:retry")}
        </Button>
      </div>
    );
  }
  const status = chain.data;
  const intact = status.valid;
  const Icon = intact ? ShieldCheck : ShieldAlert;
  return (
    <div
      className={cn(
        "inline-flex max-w-full items-start gap-2 rounded-md border px-3 py-2 text-sm",
        intact
          ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200"
          : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-200",
      )}
    >
      <Icon aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
      <span>
        {intact ? (
          <>
            <strong>{t("audit.chain.intact")}</strong> {t("audit.chain.intactDetail", { count: status.entries })}
          </>
        ) : (
          <>
            <strong>{t("audit.chain.broken")}</strong>{" "}
            {status.first_broken_seq != null ? t("audit.chain.brokenAt", { seq: status.first_broken_seq }) : null}
            {status.reason ? ` ${status.reason}` : null}
          </>
        )}
      </span>
    </div>
  );
}

function Entries({
  workspaceId,
  filters,
  onClear,
}: {
  workspaceId: string;
  filters: AuditFilters;
  onClear: () => void;
}) {
  const { t } = useTranslation("workspace");
  const entries = useAuditEntries(workspaceId, filters);
  const filtered = Object.keys(filters).length > 0;

  if (entries.isPending) return <ListSkeleton rows={6} />;
  if (entries.isError) {
    return (
      <div className="space-y-3">
        <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
        {filtered && (
          <div className="flex justify-center">
            <Button variant="secondary" size="sm" onClick={onClear}>
              {t("audit.filters.clear")}
            </Button>
          </div>
        )}
      </div>
    );
  }
  const list = entries.data.pages.flatMap((page) => page.items);
  if (list.length === 0) {
    return (
      <EmptyState
        title={filtered ? t("audit.emptyFiltered") : t("audit.empty")}
        action={
          filtered && (
            <Button variant="secondary" size="sm" onClick={onClear}>
              {t("audit.filters.clear")}
            </Button>
          )
        }
      />
    );
  }
  return (
    <div>
      <AuditTable entries={list} />
      <LoadMoreButton query={entries} />
    </div>
  );
}

const COLUMNS = ["time", "actor", "action", "target", "summary", "ip"] as const;

/**
 * One table for every width: a grid of columns on wide screens, and on narrow ones each row stacks its cells,
 * each led by its column's name (the header row is hidden there).
 */
function AuditTable({ entries }: { entries: AuditEntry[] }) {
  const { t } = useTranslation("workspace");
  return (
    <div className="rounded-lg border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <table className="block w-full text-left text-sm md:table">
        <caption className="sr-only">{t("audit.tableLabel")}</caption>
        <thead className="hidden border-b border-zinc-200 text-xs uppercase tracking-wide text-zinc-500 md:table-header-group dark:border-zinc-800 dark:text-zinc-400">
          <tr>
            {COLUMNS.map((column) => (
              <th key={column} scope="col" className="px-3 py-2 font-medium">
                {t(`audit.columns.${column}`)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="block divide-y divide-zinc-200 md:table-row-group dark:divide-zinc-800">
          {entries.map((entry) => (
            <AuditRow key={entry.id} entry={entry} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Cell({
  column,
  children,
  className,
}: {
  column: (typeof COLUMNS)[number];
  children: ReactNode;
  className?: string;
}) {
  const { t } = useTranslation("workspace");
  return (
    <td className={cn("block px-3 py-0.5 align-top md:table-cell md:py-2", className)}>
      <span className="mr-2 text-xs font-medium uppercase tracking-wide text-zinc-500 md:hidden dark:text-zinc-400">
        {t(`audit.columns.${column}`)}
      </span>
      {children}
    </td>
  );
}

function AuditRow({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation("workspace");
  const format = useDateFormat();
  const actor = entry.actor;
  return (
    <tr className="block py-2 md:table-row md:py-0">
      <Cell column="time" className="whitespace-nowrap">
        <time dateTime={entry.time}>{format.preciseDateTime(entry.time)}</time>
      </Cell>
      <Cell column="actor">
        {actor === null ? (
          <span className="italic text-zinc-500 dark:text-zinc-400">{t("audit.system")}</span>
        ) : (
          <span className="inline-flex flex-col align-top">
            <span>{actor.name ?? actor.email ?? t("audit.deletedUser")}</span>
            {actor.name && actor.email && (
              <span className="text-xs text-zinc-500 dark:text-zinc-400">{actor.email}</span>
            )}
          </span>
        )}
      </Cell>
      <Cell column="action">
        <code className="rounded bg-zinc-100 px-1 py-0.5 text-xs dark:bg-zinc-800">{entry.action}</code>
      </Cell>
      <Cell column="target">
        <span>{t(`audit.targets.${entry.target_type}`, { defaultValue: entry.target_type })}</span>
        {entry.target_id && (
          <code className="block break-all text-xs text-zinc-500 dark:text-zinc-400">{entry.target_id}</code>
        )}
      </Cell>
      <Cell column="summary" className="md:max-w-sm">
        {entry.summary}
      </Cell>
      <Cell column="ip" className="whitespace-nowrap">
        {entry.ip ?? "—"}
      </Cell>
    </tr>
  );
}
