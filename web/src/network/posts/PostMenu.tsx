/** The post author's "…" menu: edit the caption and location, or delete the post (after confirming). */
import { MoreHorizontal } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { toast } from "sonner";
import { fieldMessage, showError } from "@/api/errors";
import { ApiError } from "@/api/problem";
import { Button } from "@/components/ui/Button";
import { ConfirmDialog, Dialog } from "@/components/ui/Dialog";
import { Field } from "@/components/ui/Field";
import { Input, Textarea } from "@/components/ui/Input";
import { Menu, MenuItem } from "@/components/ui/Menu";
import { MAX_CAPTION_LENGTH, MAX_LOCATION_LENGTH, useDeletePost, useUpdatePost, type Post } from "./queries";

export function PostMenu({ post }: { post: Post }) {
  const { t } = useTranslation("network");
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const navigate = useNavigate();
  const remove = useDeletePost(post.id, post.author.username);
  return (
    <>
      <Menu
        label={t("post.options")}
        trigger={
          <Button variant="ghost" size="icon" aria-label={t("post.options")}>
            <MoreHorizontal aria-hidden className="h-5 w-5" />
          </Button>
        }
      >
        <MenuItem onSelect={() => setEditing(true)}>{t("post.edit")}</MenuItem>
        <MenuItem danger onSelect={() => setDeleting(true)}>
          {t("post.delete")}
        </MenuItem>
      </Menu>
      <EditPostDialog post={post} open={editing} onOpenChange={setEditing} />
      <ConfirmDialog
        open={deleting}
        onOpenChange={setDeleting}
        title={t("post.deleteTitle")}
        description={t("post.deleteDescription")}
        confirmLabel={t("post.delete")}
        busy={remove.isPending}
        onConfirm={() =>
          remove.mutate(undefined, {
            onSuccess: () => {
              setDeleting(false);
              toast.success(t("post.deleted"));
              navigate(`/network/${post.author.username}`, { replace: true });
            },
            onError: (error) => showError(error),
          })
        }
      />
    </>
  );
}

function EditPostDialog({
  post,
  open,
  onOpenChange,
}: {
  post: Post;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation("network");
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={t("post.editTitle")}>
      {/* Mounted only while open, so each opening starts from the post as it is now. */}
      {open && <EditPostForm post={post} onDone={() => onOpenChange(false)} />}
    </Dialog>
  );
}

function EditPostForm({ post, onDone }: { post: Post; onDone: () => void }) {
  const { t } = useTranslation("network");
  const update = useUpdatePost(post.id);
  const [caption, setCaption] = useState(post.caption);
  const [location, setLocation] = useState(post.location ?? "");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const tooLong = Array.from(caption).length > MAX_CAPTION_LENGTH;

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (tooLong) return;
    setErrors({});
    update.mutate(
      { caption, location: location.trim() || null },
      {
        onSuccess: () => {
          toast.success(t("post.updated"));
          onDone();
        },
        onError: (error) => {
          const fields = error instanceof ApiError ? (error.problem.errors ?? []) : [];
          const placed = Object.fromEntries(fields.map((field) => [field.field, fieldMessage(field)]));
          if (placed.caption || placed.location) setErrors(placed);
          else showError(error);
        },
      },
    );
  };

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Field
        label={t("compose.caption")}
        error={errors.caption ?? (tooLong ? t("compose.captionTooLong", { max: MAX_CAPTION_LENGTH }) : undefined)}
        hint={t("compose.captionCount", { count: Array.from(caption).length, max: MAX_CAPTION_LENGTH })}
      >
        {(control) => (
          <Textarea {...control} rows={5} value={caption} onChange={(event) => setCaption(event.target.value)} />
        )}
      </Field>
      <Field label={t("compose.location")} error={errors.location}>
        {(control) => (
          <Input
            {...control}
            value={location}
            maxLength={MAX_LOCATION_LENGTH}
            onChange={(event) => setLocation(event.target.value)}
          />
        )}
      </Field>
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onDone}>
          {t("post.cancel")}
        </Button>
        <Button type="submit" loading={update.isPending} disabled={tooLong}>
          {t("post.save")}
        </Button>
      </div>
    </form>
  );
}
