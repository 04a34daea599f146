/** The dialog that invites someone by email with a role. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { TFunction } from "i18next";
import { useMemo } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import type { Role, Workspace } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Field, FormError } from "@/components/ui/Field";
import { Input, Select } from "@/components/ui/Input";
import { workspaceKeys } from "./keys";
import { ALL_ROLES, RoleGuide } from "./roles";

function inviteSchema(t: TFunction<"workspace">) {
  return z.object({
    // Trimmed first: a pasted address often brings a space along.
    email: z
      .string()
      .trim()
      .max(320, t("invite.emailInvalid"))
      .pipe(z.email({ error: t("invite.emailInvalid") })),
    role: z.enum(ALL_ROLES as [Role, ...Role[]]),
  });
}
type InviteValues = z.infer<ReturnType<typeof inviteSchema>>;

/** The least powerful role the caller may give: inviting starts from the smallest access. */
function defaultRole(assignable: Role[]): Role {
  return assignable.includes("viewer") ? "viewer" : (assignable[assignable.length - 1] ?? "viewer");
}

interface InviteDialogProps {
  workspace: Workspace;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

export function InviteDialog({ workspace, open, onOpenChange }: InviteDialogProps) {
  const { t } = useTranslation("workspace");
  const queryClient = useQueryClient();
  const schema = useMemo(() => inviteSchema(t), [t]);
  const initial = { email: "", role: defaultRole(workspace.assignable_roles) };
  const { register, handleSubmit, reset, setError, formState } = useForm<InviteValues>({
    resolver: zodResolver(schema),
    defaultValues: initial,
  });

  const invite = useMutation({
    mutationFn: (values: InviteValues) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/invitations", {
          params: { path: { workspace_id: workspace.id } },
          body: values,
        }),
      ),
    onSuccess: (invitation) => {
      void queryClient.invalidateQueries({ queryKey: workspaceKeys.invitations(workspace.id) });
      void queryClient.invalidateQueries({ queryKey: workspaceKeys.audit(workspace.id) });
      toast.success(t("invite.sent", { email: invitation.email }));
      reset(initial);
      onOpenChange(false);
    },
    // "already_member" and other field errors land on their fields; the rest above the form.
    onError: (error) => showError(error, { setError, fields: ["email", "role"] }),
  });

  const close = (next: boolean) => {
    if (!next) reset(initial);
    onOpenChange(next);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={t("invite.title")}
      description={t("invite.description", { workspace: workspace.name })}
    >
      <form noValidate onSubmit={handleSubmit((values) => invite.mutate(values))} className="space-y-4">
        <FormError message={formState.errors.root?.server?.message} />
        <Field label={t("invite.email")} error={formState.errors.email?.message}>
          {(control) => <Input {...control} {...register("email")} type="email" autoComplete="off" autoFocus />}
        </Field>
        <Field label={t("invite.role")} error={formState.errors.role?.message}>
          {(control) => (
            <Select {...control} {...register("role")}>
              {workspace.assignable_roles.map((role) => (
                <option key={role} value={role}>
                  {t(`common:roles.${role}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="rounded-md bg-zinc-50 p-3 dark:bg-zinc-800/60">
          <p className="mb-2 text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
            {t("roleGuide.title")}
          </p>
          <RoleGuide roles={workspace.assignable_roles} />
        </div>
        <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
          <Button variant="secondary" onClick={() => close(false)}>
            {t("common:cancel")}
          </Button>
          <Button type="submit" loading={invite.isPending}>
            {t("invite.submit")}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
