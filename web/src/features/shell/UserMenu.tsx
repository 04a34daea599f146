import { LogOut, User } from "lucide-react";
import { Popover } from "radix-ui";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Account } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Avatar } from "@/components/Avatar";
import { useSignOut } from "./useSignOut";

/**
 * The signed-in person: their profile and signing out. A popover of plain links and buttons (rather than a
 * menu), so "Sign out" is a button wherever it is looked for.
 */
export function UserMenu({ me, profilePath }: { me: Account; profilePath: string }) {
  const { t } = useTranslation("shell");
  const [open, setOpen] = useState(false);
  const signOut = useSignOut();
  const item = "flex w-full items-center gap-2 rounded px-2 py-2 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800";
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button
          type="button"
          aria-label={t("userMenu.labelWithName", { name: me.name })}
          className="flex min-w-0 flex-1 items-center gap-2 rounded-md px-2 py-1.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
        >
          <Avatar name={me.name} url={me.avatar_url} />
          <span className="truncate text-sm font-medium">{me.name}</span>
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          side="top"
          align="start"
          sideOffset={6}
          aria-label={t("userMenu.label")}
          className="z-50 w-64 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className="px-2 py-1.5">
            <p className="truncate text-sm font-medium">{me.name}</p>
            <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">{me.email}</p>
          </div>
          <div className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <Link to={profilePath} className={item} onClick={() => setOpen(false)}>
            <User aria-hidden className="h-4 w-4" />
            {t("userMenu.profile")}
          </Link>
          <div className="my-1 h-px bg-zinc-200 dark:bg-zinc-800" />
          <Button
            variant="ghost"
            size="sm"
            className="w-full"
            loading={signOut.isPending && signOut.variables === false}
            disabled={signOut.isPending}
            onClick={() => signOut.mutate(false)}
          >
            {!(signOut.isPending && signOut.variables === false) && <LogOut aria-hidden className="h-4 w-4" />}
            {t("userMenu.signOut")}
          </Button>
          <Button
            variant="ghost"
            size="sm"
            className="w-full"
            loading={signOut.isPending && signOut.variables === true}
            disabled={signOut.isPending}
            onClick={() => signOut.mutate(true)}
          >
            {!(signOut.isPending && signOut.variables === true) && <LogOut aria-hidden className="h-4 w-4" />}
            {t("userMenu.signOutEverywhere")}
          </Button>
          <p className="px-2 pb-1 text-xs text-zinc-500 dark:text-zinc-400">{t("userMenu.signOutEverywhereHint")}</p>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
