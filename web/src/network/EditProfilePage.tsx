/** `/network/settings/profile`: picture (uploaded), name, username, bio, website, account type and privacy. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Switch } from "radix-ui";
import { useId, useMemo } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
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

const FIELDS = ["name", "username", "bio", "website", "account_type", "is_private"] as const;
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
      account_type: me.account_type,
      is_private: me.is_private,
    },
  });
  const { errors, isSubmitting, isDirty } = form.formState;
  const [bio, name] = useWatch({ control: form.control, name: ["bio", "name"] });

  const onSubmit = form.handleSubmit(async (values) => {
    try {
      const updated = await unwrap(
        networkApi.PATCH("/network/api/v1/me", {
          // An empty address removes it (null), as the server expects; the picture is uploaded on its own.
          body: { ...values, website: values.website || null },
        }),
      );
      queryClient.setQueryData(networkKeys.me, updated);
      void queryClient.invalidateQueries({ queryKey: networkKeys.profile(me.username) });
      void queryClient.invalidateQueries({ queryKey: networkKeys.profile(updated.username) });
      form.reset({ ...values, website: updated.website ?? "" });
      toast.success(t("edit.saved"));
    } catch (error) {
      showError(error, { setError: form.setError, fields: FIELDS });
    }
  });

  return (
    <>
      <PageHeader
        title={t("edit.title")}
        description={t("edit.description")}
        actions={
          <Link
            to="/network/settings/apps"
            className="text-sm font-semibold text-brand-600 hover:underline dark:text-brand-500"
          >
            {t("apps.link", { ns: "oauth" })}
          </Link>
        }
      />
      <form noValidate onSubmit={onSubmit} className="space-y-5">
        <FormError message={errors.root?.server?.message} />
        <AvatarPicker me={me} name={name || me.name} />
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

/** The picture, changed or removed at once (apart from the form's Save): an upload is cropped to a square. */
function AvatarPicker({ me, name }: { me: NetworkMe; name: string }) {
  const { t } = useTranslation("network");
  const queryClient = useQueryClient();
  const inputId = useId();
  const saved = (updated: NetworkMe) => {
    queryClient.setQueryData(networkKeys.me, updated);
    void queryClient.invalidateQueries({ queryKey: networkKeys.profile(me.username) });
  };
  const upload = useMutation({
    mutationFn: (file: File) =>
      unwrap(
        networkApi.PUT("/network/api/v1/me/avatar", {
          // The body really is FormData (the browser sets the multipart boundary); see useCreatePost.
          body: { file: "" },
          bodySerializer: () => {
            const form = new FormData();
            form.append("file", file, file.name);
            return form;
          },
        }),
      ),
    onSuccess: (updated) => {
      saved(updated);
      toast.success(t("edit.pictureSaved"));
    },
    onError: (error) => showError(error),
  });
  const remove = useMutation({
    mutationFn: () => unwrap(networkApi.DELETE("/network/api/v1/me/avatar")),
    onSuccess: (updated) => {
      saved(updated);
      toast.success(t("edit.pictureRemoved"));
    },
    onError: (error) => showError(error),
  });
  const busy = upload.isPending || remove.isPending;

  return (
    <div className="flex items-center gap-3 rounded-lg bg-zinc-50 p-3 dark:bg-zinc-900">
      <Avatar name={name} url={me.avatar_url} size="md" />
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-semibold">{me.username}</p>
        <div className="flex flex-wrap gap-x-3">
          <label
            htmlFor={inputId}
            className="cursor-pointer text-sm font-semibold text-brand-600 focus-within:underline hover:underline dark:text-brand-500"
          >
            {t("edit.changePicture")}
            <input
              id={inputId}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              className="sr-only"
              disabled={busy}
              onChange={(event) => {
                const file = event.target.files?.[0];
                event.target.value = ""; // choosing the same file again still uploads it
                if (file) upload.mutate(file);
              }}
            />
          </label>
          {me.avatar_url && (
            <button
              type="button"
              disabled={busy}
              onClick={() => remove.mutate()}
              className="text-sm font-semibold text-zinc-500 hover:underline dark:text-zinc-400"
            >
              {t("edit.removePicture")}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
