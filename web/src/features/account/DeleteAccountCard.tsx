import { zodResolver } from "@hookform/resolvers/zod";
import { useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { useResetSession } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Card } from "@/components/ui/Card";
import { Dialog } from "@/components/ui/Dialog";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { usePreferences } from "@/lib/preferences";

/** The danger zone: erasing the account, confirmed with the password. */
export function DeleteAccountCard() {
  const { t } = useTranslation("account");
  const [open, setOpen] = useState(false);
  return (
    <Card
      title={t("delete.title")}
      description={t("delete.description")}
      className="border-red-300 dark:border-red-900"
    >
      <Button variant="danger" onClick={() => setOpen(true)}>
        {t("delete.open")}
      </Button>
      {/* A dialog of our own rather than ConfirmDialog: confirming needs the password, with its errors on the field. */}
      <Dialog
        open={open}
        onOpenChange={setOpen}
        title={t("delete.confirmTitle")}
        description={t("delete.confirmDescription")}
      >
        <DeleteAccountForm onCancel={() => setOpen(false)} />
      </Dialog>
    </Card>
  );
}

function DeleteAccountForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation("account");
  const navigate = useNavigate();
  const resetSession = useResetSession();
  const schema = useMemo(() => z.object({ password: z.string().min(1, t("delete.passwordRequired")) }), [t]);
  const form = useForm({ resolver: zodResolver(schema), defaultValues: { password: "" } });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ password }) => {
    try {
      await unwrap(api.DELETE("/api/v1/auth/me", { body: { password } }));
    } catch (error) {
      showError(error, { setError: form.setError, fields: ["password"] });
      return;
    }
    usePreferences.getState().setLastWorkspaceId(null);
    toast.success(t("delete.done"));
    // Leave the signed-in pages before forgetting the session (see useSignOut).
    await navigate("/signin", { replace: true });
    resetSession();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={errors.root?.server?.message} />
      <Field label={t("delete.password")} error={errors.password?.message}>
        {(control) => (
          <Input {...control} {...form.register("password")} type="password" autoComplete="current-password" />
        )}
      </Field>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button variant="secondary" onClick={onCancel}>
          {t("common:cancel")}
        </Button>
        <Button type="submit" variant="danger" loading={isSubmitting}>
          {t("delete.confirm")}
        </Button>
      </div>
    </form>
  );
}
