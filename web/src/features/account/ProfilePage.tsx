import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { CheckCircle2 } from "lucide-react";
import { useMemo } from "react";
import { useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { api } from "@/api/client";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { queryKeys, useMe, type Account } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Card, PageHeader } from "@/components/ui/Card";
import { Field, FormError } from "@/components/ui/Field";
import { Input } from "@/components/ui/Input";
import { ErrorState, Skeleton } from "@/components/ui/States";
import { Avatar } from "@/components/Avatar";
import { EmailVerificationNotice } from "@/components/EmailVerificationNotice";
import { LocaleSelect } from "@/components/LocaleSelect";
import { TimeZoneSelect } from "@/components/TimeZoneSelect";
import i18n from "@/i18n";
import { LANGUAGES, toLanguage } from "@/lib/languages";
import { usePreferences } from "@/lib/preferences";
import { DeleteAccountCard } from "./DeleteAccountCard";

const FIELDS = ["name", "avatar_url", "timezone", "locale"] as const;

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** `/w/:id/settings/profile`: how the person appears to others, and the zone and language they read in. */
export default function ProfilePage() {
  const { t } = useTranslation("account");
  const me = useMe();
  return (
    <div className="space-y-6">
      <PageHeader title={t("profile.title")} description={t("profile.description")} />
      {me.isPending ? (
        <div role="status" aria-label={t("common:loading")} className="space-y-4">
          <Skeleton className="h-72 w-full" />
          <Skeleton className="h-24 w-full" />
        </div>
      ) : me.isError ? (
        <ErrorState error={me.error} onRetry={() => void me.refetch()} />
      ) : me.data ? (
        <>
          <Card title={t("profile.detailsTitle")}>
            <ProfileForm account={me.data} />
          </Card>
          <EmailCard account={me.data} />
          <DeleteAccountCard />
        </>
      ) : null}
    </div>
  );
}

function valuesOf(account: Account) {
  return {
    name: account.name,
    avatar_url: account.avatar_url ?? "",
    timezone: account.timezone,
    locale: toLanguage(account.locale),
  };
}

function ProfileForm({ account }: { account: Account }) {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const schema = useMemo(
    () =>
      z.object({
        name: z.string().trim().min(1, t("profile.nameRequired")).max(200, t("profile.nameTooLong")),
        avatar_url: z
          .string()
          .trim()
          .max(2048, t("profile.avatarTooLong"))
          .refine((value) => value === "" || isWebAddress(value), t("profile.avatarInvalid")),
        timezone: z.string().min(1),
        locale: z.enum(LANGUAGES),
      }),
    [t],
  );
  const form = useForm({ resolver: zodResolver(schema), defaultValues: valuesOf(account) });
  const { errors, isSubmitting } = form.formState;
  const [name, avatarUrl] = useWatch({ control: form.control, name: ["name", "avatar_url"] });

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const saved = await unwrap(
        api.PATCH("/api/v1/auth/me", { body: { ...values, avatar_url: values.avatar_url || null } }),
      );
      queryClient.setQueryData(queryKeys.me, saved);
      form.reset(valuesOf(saved));
      // The interface speaks the language the person saved, in this browser too.
      const locale = valuesOf(saved).locale;
      usePreferences.getState().setLanguage(locale);
      await i18n.changeLanguage(locale);
      toast.success(i18n.t("account:profile.saved"));
    } catch (error) {
      showError(error, { setError: form.setError, fields: FIELDS });
    }
  });

  const previewUrl = avatarUrl && isWebAddress(avatarUrl.trim()) ? avatarUrl.trim() : null;
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <FormError message={errors.root?.server?.message} />
      <Field label={t("profile.name")} error={errors.name?.message}>
        {(control) => <Input {...control} {...form.register("name")} autoComplete="name" maxLength={200} />}
      </Field>
      <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
        <div className="flex-1">
          <Field label={t("profile.avatar")} error={errors.avatar_url?.message} hint={t("profile.avatarHint")}>
            {(control) => (
              <Input
                {...control}
                {...form.register("avatar_url")}
                type="url"
                inputMode="url"
                placeholder="https://…"
                autoComplete="photo"
              />
            )}
          </Field>
        </div>
        <figure className="flex items-center gap-3 sm:flex-col sm:gap-1">
          {/* A new address gets a fresh Avatar, which tries to load it again. */}
          <Avatar key={previewUrl ?? ""} name={name || account.name} url={previewUrl} size="lg" />
          <figcaption className="text-xs text-zinc-500 dark:text-zinc-400">{t("profile.avatarPreview")}</figcaption>
        </figure>
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label={t("profile.timezone")} error={errors.timezone?.message} hint={t("profile.timezoneHint")}>
          {(control) => <TimeZoneSelect {...control} {...form.register("timezone")} include={account.timezone} />}
        </Field>
        <Field label={t("profile.locale")} error={errors.locale?.message} hint={t("profile.localeHint")}>
          {(control) => <LocaleSelect {...control} {...form.register("locale")} />}
        </Field>
      </div>
      <div className="flex justify-end">
        <Button type="submit" loading={isSubmitting}>
          {t("common:save")}
        </Button>
      </div>
    </form>
  );
}

/** The address cannot be changed here; it is shown with whether it is verified. */
function EmailCard({ account }: { account: Account }) {
  const { t } = useTranslation("account");
  return (
    <Card title={t("profile.emailTitle")} description={t("profile.emailDescription")}>
      <div className="space-y-3">
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <span className="font-medium break-all">{account.email}</span>
          {account.email_verified ? (
            <span className="inline-flex items-center gap-1 rounded-full bg-green-100 px-2 py-0.5 text-xs font-medium text-green-800 dark:bg-green-950 dark:text-green-200">
              <CheckCircle2 aria-hidden className="h-3.5 w-3.5" />
              {t("profile.verified")}
            </span>
          ) : (
            <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800 dark:bg-amber-950 dark:text-amber-200">
              {t("profile.unverified")}
            </span>
          )}
        </p>
        {!account.email_verified && <EmailVerificationNotice email={account.email} />}
      </div>
    </Card>
  );
}
