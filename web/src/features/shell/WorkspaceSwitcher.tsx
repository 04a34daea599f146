import { ChevronsUpDown, Plus } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { errorMessage } from "@/api/errors";
import { useWorkspaces, type Workspace } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Menu, MenuItem, MenuLabel, MenuRadioGroup, MenuRadioItem, MenuSeparator } from "@/components/ui/Menu";
import { Skeleton } from "@/components/ui/States";
import { WorkspaceForm } from "./WorkspaceForm";

/** The current workspace, a menu to go to another, and the way to create a new one. */
export function WorkspaceSwitcher({ current }: { current: Workspace | undefined }) {
  const { t } = useTranslation("shell");
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);

  return (
    <div className="flex items-center gap-1">
      <Menu
        align="start"
        label={t("switcher.menu")}
        trigger={
          <button
            type="button"
            aria-label={current ? t("switcher.labelWithName", { name: current.name }) : t("switcher.label")}
            className="flex min-w-0 flex-1 items-center gap-2 rounded-md px-2 py-1.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            <span
              aria-hidden
              className="flex h-8 w-8 shrink-0 items-center justify-center rounded-md bg-brand-600 text-sm font-semibold text-white"
            >
              {current ? (Array.from(current.name)[0] ?? "?").toUpperCase() : ""}
            </span>
            {current ? (
              <span className="min-w-0 flex-1 truncate text-sm font-semibold">{current.name}</span>
            ) : (
              <Skeleton className="h-4 flex-1" />
            )}
            <ChevronsUpDown aria-hidden className="h-4 w-4 shrink-0 text-zinc-500" />
          </button>
        }
      >
        <MenuLabel>{t("switcher.heading")}</MenuLabel>
        <WorkspaceChoices currentId={current?.id} onChoose={(id) => void navigate(`/w/${id}`)} />
        <MenuSeparator />
        <MenuItem onSelect={() => setCreating(true)}>
          <Plus aria-hidden className="h-4 w-4" />
          {t("switcher.new")}
        </MenuItem>
      </Menu>
      {/* The same action one click away, without opening the menu. */}
      <Button
        variant="ghost"
        size="icon"
        aria-label={t("switcher.new")}
        title={t("switcher.new")}
        onClick={() => setCreating(true)}
      >
        <Plus aria-hidden className="h-4 w-4" />
      </Button>
      <Dialog
        open={creating}
        onOpenChange={setCreating}
        title={t("switcher.new")}
        description={t("switcher.newDescription")}
      >
        <WorkspaceForm
          onCreated={(workspace) => {
            setCreating(false);
            void navigate(`/w/${workspace.id}`);
          }}
        />
      </Dialog>
    </div>
  );
}

function WorkspaceChoices({ currentId, onChoose }: { currentId: string | undefined; onChoose: (id: string) => void }) {
  const { t } = useTranslation("shell");
  const workspaces = useWorkspaces();
  if (workspaces.isPending) return <MenuLabel>{t("common:loading")}</MenuLabel>;
  if (workspaces.isError) {
    return (
      <>
        <MenuLabel>{errorMessage(workspaces.error)}</MenuLabel>
        <MenuItem onSelect={() => void workspaces.refetch()}>{t("common:retry")}</MenuItem>
      </>
    );
  }
  return (
    <MenuRadioGroup value={currentId ?? ""} onValueChange={onChoose}>
      {workspaces.data.map((workspace) => (
        <MenuRadioItem key={workspace.id} value={workspace.id}>
          <span className="truncate">{workspace.name}</span>
        </MenuRadioItem>
      ))}
    </MenuRadioGroup>
  );
}
