/** "Message" on a person's profile: gets (or starts) the conversation with them and opens it. */
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { showError } from "@/api/errors";
import { Button } from "@/components/ui/Button";
import { useStartThread } from "./queries";

export function MessageButton({ username, className }: { username: string; className?: string }) {
  const { t } = useTranslation("network");
  const navigate = useNavigate();
  const start = useStartThread();
  return (
    <Button
      variant="secondary"
      size="sm"
      className={className}
      loading={start.isPending}
      onClick={() =>
        start.mutate(username, {
          onSuccess: (thread) => void navigate(`/network/messages/${thread.id}`),
          // A block either way answers 403 with a message a person understands: shown as it is.
          onError: (error) => showError(error),
        })
      }
    >
      {t("messages.message")}
    </Button>
  );
}
