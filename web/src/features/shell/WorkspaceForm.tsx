import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { queryKeys, type Workspace } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { browserTimeZone } from "@/lib/timeZones";
import { toLanguage } from "@/lib/languages";
import { TimeZoneSelect } from "@/components/TimeZoneSelect";

const FIELDS = ["name", "timezone"] as const;

/**
 * Creates a workspace (the caller becomes its owner): the dialog of the shell and the welcome page both use it.
 * The caller decides where to go next with `onCreated`.
 */
export function WorkspaceForm({ onCreated }: { onCreated: (workspace: Workspace) => void }) {
  const { t, i18n } = useTranslation("shell");
  const queryClient = useQueryClient();
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t("workspaceForm.nameRequired")).max(100, t("workspaceForm.nameTooLong")),
        timezone: z.string().min(1),
      }),
    [t],
  );
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { name: "", timezone: browserTimeZone() } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const workspace = await unwrap(
        api.POST("/api/v1/workspaces", {
          // The workspace speaks the creator's language until someone changes it in its settings.
          body: { ...values, locale: toLanguage(i18n.language) },
        }),
      );
      queryClient.setQueryData(queryKeys.workspace(workspace.id), workspace);
      void queryClient.invalidateQueries({ queryKey: queryKeys.workspaces, exact: true });
      toast.success(t("workspaceForm.created", { name: workspace.name }));
      onCreated(workspace);
    } catch (error) {
      showError(error, { setError: form.setError, fields: FIELDS });
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={errors.root?.server?.message} />
      <Field label={t("workspaceForm.name")} error={errors.name?.message} hint={t("workspaceForm.nameHint")}>
        {(control) => <Input {...control} {...form.register("name")} autoComplete="organization" maxLength={100} />}
      </Field>
      <Field
        label={t("workspaceForm.timezone")}
        error={errors.timezone?.message}
        hint={t("workspaceForm.timezoneHint")}
      >
        {(control) => <TimeZoneSelect {...control} {...form.register("timezone")} include={browserTimeZone()} />}
      </Field>
      <div className="flex justify-end">
        <Button type="submit" loading={isSubmitting}>
          {t("workspaceForm.submit")}
        </Button>
      </div>
    </form>
  );
}
