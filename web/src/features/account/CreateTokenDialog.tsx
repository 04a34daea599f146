import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, Copy } from "lucide-react";
import { useId, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap, type Schemas } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { Dialog } from "@/components/ui/Dialog";
import { Field, FormError } from "@/components/ui/Field";
import { Input, Select } from "@/components/ui/Input";
import { accountKeys } from "./queries";
import { TOKEN_AREAS, TOKEN_EXPIRIES, TOKEN_LEVELS, TOKEN_SCOPES } from "./scopes";

type CreatedToken = Schemas["ApiTokenCreated"];

/** Creates a token, then shows its secret once: closing the dialog forgets it. */
export function CreateTokenDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation("account");
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const close = (next: boolean) => {
    if (!next) setCreated(null);
    onOpenChange(next);
  };
  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={created ? t("tokens.secretTitle") : t("tokens.create")}
      description={created ? undefined : t("tokens.createDescription")}
    >
      {created ? (
        <NewTokenSecret token={created} onDone={() => close(false)} />
      ) : (
        <CreateTokenForm onCreated={setCreated} />
      )}
    </Dialog>
  );
}

const FIELDS = ["name", "scopes", "expires_in_days"] as const;

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t("tokens.nameRequired")).max(100, t("tokens.nameTooLong")),
        scopes: z.array(z.string()).min(1, t("tokens.scopesRequired")),
        expires_in_days: z.enum(TOKEN_EXPIRIES),
      }),
    [t],
  );
  const form = useForm({
    resolver: zodResolver(schema),
    defaultValues: { name: "", scopes: [] as string[], expires_in_days: "90" as const },
  });
  const { errors, isSubmitting } = form.formState;
  const hintId = useId();

  const onSubmit = form.handleSubmit(async ({ name, scopes, expires_in_days }) => {
    try {
      const token = await unwrap(
        api.POST("/api/v1/auth/tokens", {
          body: {
            name,
            // In the list's order, whatever order they were ticked in (the server sorts them again when it stores them).
            scopes: TOKEN_SCOPES.filter((scope) => scopes.includes(scope)),
            expires_in_days: expires_in_days === "never" ? null : Number(expires_in_days),
          },
        }),
      );
      void queryClient.invalidateQueries({ queryKey: accountKeys.tokens });
      onCreated(token);
    } catch (error) {
      showError(error, { setError: form.setError, fields: FIELDS });
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={errors.root?.server?.message} />
      <Field label={t("tokens.name")} error={errors.name?.message} hint={t("tokens.nameHint")}>
        {(control) => <Input {...control} {...form.register("name")} autoComplete="off" maxLength={100} />}
      </Field>
      {/* The error is part of the group's description, so it is read out with the group, as a Field's is. */}
      <fieldset aria-describedby={errors.scopes ? `${hintId} ${hintId}-error` : hintId}>
        <legend className="text-sm font-medium text-zinc-800 dark:text-zinc-200">{t("tokens.scopes")}</legend>
        <p id={hintId} className="text-xs text-zinc-500 dark:text-zinc-400">
          {t("tokens.scopesHint")}
        </p>
        <div className="mt-2 grid grid-cols-1 gap-x-4 gap-y-2 sm:grid-cols-2">
          {TOKEN_AREAS.flatMap((area) =>
            TOKEN_LEVELS.map((level) => (
              <label key={`${area}:${level}`} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  value={`${area}:${level}`}
                  {...form.register("scopes")}
                  className="h-4 w-4 rounded border-zinc-300 accent-brand-600 dark:border-zinc-600"
                />
                {t(`scopes.${level}`, { area: t(`scopes.areas.${area}`) })}
              </label>
            )),
          )}
        </div>
        {errors.scopes && (
          <p id={`${hintId}-error`} className="mt-1 text-xs text-red-600 dark:text-red-400">
            {errors.scopes.message}
          </p>
        )}
      </fieldset>
      <Field label={t("tokens.expiry")} error={errors.expires_in_days?.message}>
        {(control) => (
          <Select {...control} {...form.register("expires_in_days")}>
            {TOKEN_EXPIRIES.map((expiry) => (
              <option key={expiry} value={expiry}>
                {expiry === "never" ? t("tokens.expiryNever") : t("tokens.expiryDays", { count: Number(expiry) })}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="flex justify-end">
        <Button type="submit" loading={isSubmitting}>
          {t("tokens.create")}
        </Button>
      </div>
    </form>
  );
}

function NewTokenSecret({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const { t } = useTranslation("account");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      toast.success(t("tokens.copied"));
    } catch {
      toast.error(t("tokens.copyFailed"));
    }
  };
  return (
    <div className="space-y-4">
      <div
        role="alert"
        className="flex gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
      >
        <AlertTriangle aria-hidden className="mt-0.5 h-4 w-4 shrink-0" />
        <p>{t("tokens.onceWarning", { name: token.name })}</p>
      </div>
      <Field label={t("tokens.secret")}>
        {(control) => (
          <div className="flex gap-2">
            <Input
              {...control}
              readOnly
              value={token.token}
              className="font-mono"
              onFocus={(event) => event.currentTarget.select()}
            />
            <Button variant="secondary" onClick={() => void copy()}>
              <Copy aria-hidden className="h-4 w-4" />
              {t("tokens.copy")}
            </Button>
          </div>
        )}
      </Field>
      <div className="flex justify-end">
        <Button onClick={onDone}>{t("tokens.done")}</Button>
      </div>
    </div>
  );
}
