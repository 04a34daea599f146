/** The workspace's own settings: name, time zone and locale, and (for owners) deleting it. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { can, queryKeys, type Workspace } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Card, PageHeader } from "@/components/ui/Card";
import { ConfirmDialog } from "@/components/ui/Dialog";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { LocaleSelect } from "@/components/LocaleSelect";
import { TimeZoneSelect } from "@/components/TimeZoneSelect";
import { LANGUAGES, toLanguage } from "@/lib/languages";
import { workspaceKeys } from "./keys";
import { useLeaveWorkspace } from "./useLeaveWorkspace";
import { WorkspaceGate } from "./WorkspaceGate";

const FIELDS = ["name", "timezone", "locale"] as const;

function settingsSchema(t: TFunction<"workspace">) {
  return z.object({
    name: z.string().trim().min(1, t("settings.nameRequired")).max(100, t("settings.nameTooLong")),
    timezone: z.string().min(1),
    locale: z.enum(LANGUAGES),
  });
}
type Values = z.infer<ReturnType<typeof settingsSchema>>;

function valuesOf(workspace: Workspace): Values {
  return { name: workspace.name, timezone: workspace.timezone, locale: toLanguage(workspace.locale) };
}

export default function WorkspaceSettingsPage() {
  const { t } = useTranslation("workspace");
  return (
    <div className="mx-auto w-full max-w-3xl">
      <PageHeader title={t("settings.title")} description={t("settings.description")} />
      <WorkspaceGate>
        {(workspace) => (
          <div className="space-y-6">
            <GeneralSettings workspace={workspace} />
            {can(workspace, "workspace:delete") && <DangerZone workspace={workspace} />}
          </div>
        )}
      </WorkspaceGate>
    </div>
  );
}

function GeneralSettings({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation("workspace");
  const queryClient = useQueryClient();
  const editable = can(workspace, "workspace:write");

  const schema = useMemo(() => settingsSchema(t), [t]);
  const form = useForm<Values>({ resolver: zodResolver(schema), defaultValues: valuesOf(workspace) });
  const { register, handleSubmit, reset, setError, formState } = form;

  // Follow the saved workspace (a change seen on refetch) unless the person is in the middle of editing.
  const { isDirty } = formState;
  useEffect(() => {
    if (!isDirty) reset(valuesOf(workspace));
  }, [workspace, isDirty, reset]);

  const save = useMutation({
    mutationFn: (values: Values) =>
      unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}", {
          params: { path: { workspace_id: workspace.id } },
          body: values,
        }),
      ),
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.workspace(workspace.id), updated);
      reset(valuesOf(updated));
      void queryClient.invalidateQueries({ queryKey: queryKeys.workspaces, exact: true });
      void queryClient.invalidateQueries({ queryKey: workspaceKeys.audit(workspace.id) });
      toast.success(t("settings.saved"));
    },
    onError: (error) => showError(error, { setError, fields: FIELDS }),
  });

  return (
    <Card title={t("settings.general")}>
      {!editable && (
        <p className="mb-4 rounded-md bg-zinc-100 px-3 py-2 text-sm text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
          {t("settings.readOnly")}
        </p>
      )}
      <form noValidate onSubmit={handleSubmit((values) => save.mutate(values))} className="space-y-4">
        <FormError message={formState.errors.root?.server?.message} />
        <fieldset disabled={!editable} className="space-y-4">
          <Field label={t("settings.name")} error={formState.errors.name?.message}>
            {(control) => <Input {...control} {...register("name")} autoComplete="off" />}
          </Field>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label={t("settings.timezone")}
              hint={t("settings.timezoneHint")}
              error={formState.errors.timezone?.message}
            >
              {(control) => <TimeZoneSelect {...control} {...register("timezone")} include={workspace.timezone} />}
            </Field>
            <Field
              label={t("settings.locale")}
              hint={t("settings.localeHint")}
              error={formState.errors.locale?.message}
            >
              {(control) => <LocaleSelect {...control} {...register("locale")} />}
            </Field>
          </div>
        </fieldset>
        {editable && (
          <div className="flex justify-end">
            <Button type="submit" loading={save.isPending} disabled={!formState.isDirty}>
              {t("settings.save")}
            </Button>
          </div>
        )}
      </form>
    </Card>
  );
}

function DangerZone({ workspace }: { workspace: Workspace }) {
  const { t } = useTranslation("workspace");
  const leave = useLeaveWorkspace();
  const [confirming, setConfirming] = useState(false);

  const remove = useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}", {
          // The server deletes only when the typed name comes along, so a stray request cannot.
          params: { path: { workspace_id: workspace.id }, query: { confirm: workspace.name } },
        }),
      ),
    onSuccess: async () => {
      setConfirming(false);
      toast.success(t("danger.deleted", { name: workspace.name }));
      await leave(workspace.id);
    },
    onError: (error) => {
      setConfirming(false);
      showError(error);
    },
  });

  return (
    <Card title={t("danger.title")} className="border-red-300 dark:border-red-900">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <p className="text-sm font-medium">{t("danger.deleteTitle")}</p>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("danger.deleteDescription")}</p>
        </div>
        <Button variant="danger" className="shrink-0 self-start sm:self-auto" onClick={() => setConfirming(true)}>
          {t("danger.delete")}
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={t("danger.confirmTitle", { name: workspace.name })}
        description={t("danger.confirmDescription")}
        confirmLabel={t("danger.confirm")}
        typeToConfirm={workspace.name}
        busy={remove.isPending}
        onConfirm={() => remove.mutate()}
      />
    </Card>
  );
}
