import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Switch } from "radix-ui";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { Card, PageHeader } from "@/components/ui/Card";
import { ErrorState, ListSkeleton } from "@/components/ui/States";
import { accountKeys } from "./queries";

type Events = Record<string, boolean>;

/** `/w/:id/settings/notifications`: which events mail the person. */
export default function NotificationsPage() {
  const { t } = useTranslation("account");
  const preferences = useQuery({
    queryKey: accountKeys.notifications,
    queryFn: () => unwrap(api.GET("/api/v1/auth/notifications")),
  });
  return (
    <div className="space-y-6">
      <PageHeader title={t("notifications.title")} description={t("notifications.description")} />
      <Card>
        {preferences.isPending ? (
          <ListSkeleton rows={4} />
        ) : preferences.isError ? (
          <ErrorState error={preferences.error} onRetry={() => void preferences.refetch()} />
        ) : (
          <NotificationsForm initial={preferences.data.events} />
        )}
      </Card>
    </div>
  );
}

/** "post_published" → "Post published", for an event this version of the app has no words for yet. */
function humanize(event: string): string {
  const words = event.replaceAll("_", " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function NotificationsForm({ initial }: { initial: Events }) {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const [events, setEvents] = useState<Events>(initial);
  const save = useMutation({
    mutationFn: () => unwrap(api.PUT("/api/v1/auth/notifications", { body: { events } })),
    onSuccess: (saved) => {
      queryClient.setQueryData(accountKeys.notifications, saved);
      setEvents(saved.events);
      toast.success(t("notifications.saved"));
    },
    onError: (error) => showError(error),
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate();
      }}
    >
      <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {/* In the server's order: it lists its events from the most to the least pressing. */}
        {Object.keys(initial).map((name) => (
          <EventSwitch
            key={name}
            label={t(`notifications.events.${name}.label`, { defaultValue: humanize(name) })}
            description={t(`notifications.events.${name}.description`, { defaultValue: "" })}
            checked={events[name] ?? false}
            onChange={(checked) => setEvents((current) => ({ ...current, [name]: checked }))}
          />
        ))}
      </ul>
      <div className="mt-4 flex justify-end">
        <Button type="submit" loading={save.isPending}>
          {t("common:save")}
        </Button>
      </div>
    </form>
  );
}

function EventSwitch({
  label,
  description,
  checked,
  onChange,
}: {
  label: string;
  description: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <li className="flex items-start justify-between gap-4 py-3">
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        {description && (
          <p id={`${id}-description`} className="text-sm text-zinc-500 dark:text-zinc-400">
            {description}
          </p>
        )}
      </div>
      <Switch.Root
        id={id}
        checked={checked}
        onCheckedChange={onChange}
        aria-describedby={description ? `${id}-description` : undefined}
        className="relative mt-0.5 inline-flex h-6 w-11 shrink-0 cursor-pointer items-center rounded-full bg-zinc-300 transition-colors data-[state=checked]:bg-brand-600 dark:bg-zinc-700 dark:data-[state=checked]:bg-brand-500"
      >
        <Switch.Thumb className="block h-5 w-5 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[22px]" />
      </Switch.Root>
    </li>
  );
}
