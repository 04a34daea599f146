/** `/network/settings/profile`: name, username, bio, website, picture, account type and privacy. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useQueryClient } from "@tanstack/react-query";
import { Switch } from "radix-ui";
import { useId, useMemo } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { z } from "zod";
import { showError } from "@/api/errors";
import { unwrap } from "@/api/problem";
import { Avatar } from "@/components/Avatar";
import { Button } from "@/components/ui/Button";
import { PageHeader } from "@/components/ui/Card";
import { Field, FormError } from "@/components/ui/Field";
import { Input, Select, Textarea } from "@/components/ui/Input";
import { networkApi, networkKeys, type NetworkMe } from "./api";
import { RequireNetworkSession } from "./components/RequireNetworkSession";
import { MAX_USERNAME_LENGTH, usernameField } from "./username";

const FIELDS = ["name", "username", "bio", "website", "avatar_url", "account_type", "is_private"] as const;
const MAX_BIO_LENGTH = 150;
const MAX_NAME_LENGTH = 64;
const ACCOUNT_TYPES = ["personal", "creator", "business"] as const;

function isWebAddress(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && Boolean(url.hostname);
  } catch {
    return false;
  }
}

export default function EditProfilePage() {
  return <RequireNetworkSession>{(me) => <EditProfileForm me={me} />}</RequireNetworkSession>;
}

function EditProfileForm({ me }: { me: NetworkMe }) {
  const { t } = useTranslation("network");
  const queryClient = useQueryClient();
  const privateId = useId();

  const schema = useMemo(() => {
    const address = z
      .string()
      .trim()
      .max(2048, t("validation.urlTooLong"))
      .refine((value) => value === "" || isWebAddress(value), t("validation.urlInvalid"));
    return z.object({
      name: z
        .string()
        .trim()
        .min(1, t("validation.nameRequired"))
        .max(MAX_NAME_LENGTH, t("validation.nameTooLong", { max: MAX_NAME_LENGTH })),
      username: usernameField(t),
      bio: z.string().max(MAX_BIO_LENGTH, t("validation.bioTooLong", { max: MAX_BIO_LENGTH })),
      website: address,
      avatar_url: address,
      account_type: z.enum(ACCOUNT_TYPES),
      is_private: z.boolean(),
    });
  }, [t]);

  const form = useForm({
    resolver: zodResolver(schema),
    defaultValues: {
      name: me.name,
      username: me.username,
      bio: me.bio,
      website: me.website ?? "",
      avatar_url: me.avatar_url ?? "",
      account_type: me.account_type,
      is_private: me.is_private,
    },
  });
  const { errors, isSubmitting, isDirty } = form.formState;
  const [bio, avatarUrl, name] = useWatch({ control: form.control, name: ["bio", "avatar_url", "name"] });

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const updated = await unwrap(
        networkApi.PATCH("/network/api/v1/me", {
          // Empty addresses remove them (null), as the server expects.
          body: { ...values, website: values.website || null, avatar_url: values.avatar_url || null },
        }),
      );
      queryClient.setQueryData(networkKeys.me, updated);
      void queryClient.invalidateQueries({ queryKey: networkKeys.profile(me.username) });
      void queryClient.invalidateQueries({ queryKey: networkKeys.profile(updated.username) });
      form.reset({
        ...values,
        website: updated.website ?? "",
        avatar_url: updated.avatar_url ?? "",
      });
      toast.success(t("edit.saved"));
    } catch (error) {
      showError(error, { setError: form.setError, fields: FIELDS });
    }
  });

  return (
    <>
      <PageHeader title={t("edit.title")} description={t("edit.description")} />
      <form noValidate onSubmit={onSubmit} className="space-y-5">
        <FormError message={errors.root?.server?.message} />
        <div className="flex items-center gap-3 rounded-lg bg-zinc-50 p-3 dark:bg-zinc-900">
          <Avatar name={name || me.name} url={avatarUrl || null} size="md" />
          <div className="min-w-0">
            <p className="truncate text-sm font-semibold">{me.username}</p>
            <p className="truncate text-sm text-zinc-500 dark:text-zinc-400">{me.email}</p>
          </div>
        </div>
        <Field label={t("fields.name")} error={errors.name?.message}>
          {(control) => <Input {...control} autoComplete="name" {...form.register("name")} />}
        </Field>
        <Field
          label={t("fields.username")}
          error={errors.username?.message}
          hint={t("usernameHint", { max: MAX_USERNAME_LENGTH })}
        >
          {(control) => (
            <Input
              {...control}
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              {...form.register("username")}
            />
          )}
        </Field>
        <Field
          label={t("fields.bio")}
          error={errors.bio?.message}
          hint={t("edit.bioCount", { count: bio.length, max: MAX_BIO_LENGTH })}
        >
          {(control) => <Textarea {...control} rows={3} maxLength={MAX_BIO_LENGTH} {...form.register("bio")} />}
        </Field>
        <Field label={t("fields.website")} error={errors.website?.message} hint={t("edit.websiteHint")}>
          {(control) => (
            <Input {...control} type="url" inputMode="url" placeholder="https://" {...form.register("website")} />
          )}
        </Field>
        <Field label={t("fields.avatarUrl")} error={errors.avatar_url?.message} hint={t("edit.avatarHint")}>
          {(control) => (
            <Input {...control} type="url" inputMode="url" placeholder="https://" {...form.register("avatar_url")} />
          )}
        </Field>
        <Field label={t("fields.accountType")} error={errors.account_type?.message} hint={t("edit.accountTypeHint")}>
          {(control) => (
            <Select {...control} {...form.register("account_type")}>
              {ACCOUNT_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`accountType.${type}`)}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <div className="flex items-start justify-between gap-4 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
          <div>
            <label htmlFor={privateId} className="text-sm font-medium">
              {t("fields.private")}
            </label>
            <p id={`${privateId}-description`} className="text-xs text-zinc-500 dark:text-zinc-400">
              {t("edit.privateHint")}
            </p>
          </div>
          <Controller
            control={form.control}
            name="is_private"
            render={({ field }) => (
              <Switch.Root
                id={privateId}
                checked={field.value}
                onCheckedChange={field.onChange}
                aria-describedby={`${privateId}-description`}
                className="relative mt-0.5 inline-flex h-6 w-11 shrink-0 cursor-pointer items-center rounded-full bg-zinc-300 transition-colors data-[state=checked]:bg-brand-600 dark:bg-zinc-700 dark:data-[state=checked]:bg-brand-500"
              >
                <Switch.Thumb className="block h-5 w-5 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[22px]" />
              </Switch.Root>
            )}
          />
        </div>
        <Button type="submit" className="w-full justify-center sm:w-auto" loading={isSubmitting} disabled={!isDirty}>
          {t("edit.submit")}
        </Button>
      </form>
    </>
  );
}
