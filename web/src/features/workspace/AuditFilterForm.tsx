/**
 * The audit log's filters. They live in the address (so a filtered view can be shared or bookmarked); this form
 * edits a draft and writes it there when applied.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { can, type Workspace } from "@/app/session";
import { Button } from "@/components/ui/Button";
import { Field } from "@/components/ui/Field";
import { Input, Select } from "@/components/ui/Input";
import {
  ACTION_GROUPS,
  TARGET_TYPES,
  isoToLocalInput,
  localInputToIso,
  useMemberChoices,
  type AuditFilters,
} from "./audit";

interface Draft {
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  from: string; // datetime-local values
  to: string;
}

function draftOf(filters: AuditFilters): Draft {
  return {
    actor: filters.actor ?? "",
    action: filters.action ?? "",
    target_type: filters.target_type ?? "",
    target_id: filters.target_id ?? "",
    from: isoToLocalInput(filters.from),
    to: isoToLocalInput(filters.to),
  };
}

const KNOWN_ACTIONS = new Set<string>([
  ...Object.keys(ACTION_GROUPS).map((group) => `${group}.`),
  ...Object.values(ACTION_GROUPS).flat(),
]);

interface Props {
  workspace: Workspace;
  filters: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}

export function AuditFilterForm({ workspace, filters, onApply }: Props) {
  const { t } = useTranslation("workspace");
  const [draft, setDraft] = useState(() => draftOf(filters));
  const [rangeError, setRangeError] = useState<string>();
  const members = useMemberChoices(workspace.id, can(workspace, "members:read"));
  const set = (key: keyof Draft) => (event: { target: { value: string } }) =>
    setDraft((current) => ({ ...current, [key]: event.target.value }));
  const active = Object.values(filters).some(Boolean);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const from = localInputToIso(draft.from);
    const to = localInputToIso(draft.to);
    // The server refuses an empty range; say so on the field instead of failing the whole list.
    if (from && to && from >= to) {
      setRangeError(t("audit.filters.rangeError"));
      return;
    }
    setRangeError(undefined);
    onApply({
      actor: draft.actor || undefined,
      action: draft.action || undefined,
      target_type: draft.target_type || undefined,
      target_id: draft.target_id.trim() || undefined,
      from,
      to,
    });
  };

  // A filter from a shared address may name someone who left, or an action this list does not know.
  const memberList = members.data ?? [];
  const unknownActor = draft.actor && !memberList.some((member) => member.user_id === draft.actor) ? draft.actor : null;
  const unknownAction = draft.action && !KNOWN_ACTIONS.has(draft.action) ? draft.action : null;

  return (
    <form onSubmit={submit} noValidate aria-label={t("audit.filters.label")} className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        <Field label={t("audit.filters.actor")}>
          {(control) => (
            <Select {...control} value={draft.actor} onChange={set("actor")}>
              <option value="">{t("audit.filters.anyone")}</option>
              {memberList.map((member) => (
                <option key={member.user_id} value={member.user_id}>
                  {member.name} ({member.email})
                </option>
              ))}
              {unknownActor && <option value={unknownActor}>{unknownActor}</option>}
            </Select>
          )}
        </Field>
        <Field label={t("audit.filters.action")}>
          {(control) => (
            <Select {...control} value={draft.action} onChange={set("action")}>
              <option value="">{t("audit.filters.anyAction")}</option>
              {(Object.keys(ACTION_GROUPS) as (keyof typeof ACTION_GROUPS)[]).map((group) => (
                <optgroup key={group} label={t(`audit.areas.${group}`)}>
                  <option value={`${group}.`}>
                    {t("audit.filters.allOfArea", { area: t(`audit.areas.${group}`) })}
                  </option>
                  {ACTION_GROUPS[group].map((action) => (
                    <option key={action} value={action}>
                      {action}
                    </option>
                  ))}
                </optgroup>
              ))}
              {unknownAction && <option value={unknownAction}>{unknownAction}</option>}
            </Select>
          )}
        </Field>
        <Field label={t("audit.filters.targetType")}>
          {(control) => (
            <Select {...control} value={draft.target_type} onChange={set("target_type")}>
              <option value="">{t("audit.filters.anyTarget")}</option>
              {TARGET_TYPES.map((type) => (
                <option key={type} value={type}>
                  {t(`audit.targets.${type}`)}
                </option>
              ))}
              {draft.target_type && !(TARGET_TYPES as readonly string[]).includes(draft.target_type) && (
                <option value={draft.target_type}>{draft.target_type}</option>
              )}
            </Select>
          )}
        </Field>
        <Field label={t("audit.filters.targetId")} hint={t("audit.filters.targetIdHint")}>
          {(control) => (
            <Input
              {...control}
              value={draft.target_id}
              onChange={set("target_id")}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <Field label={t("audit.filters.from")}>
          {(control) => <Input {...control} type="datetime-local" value={draft.from} onChange={set("from")} />}
        </Field>
        <Field label={t("audit.filters.to")} error={rangeError}>
          {(control) => <Input {...control} type="datetime-local" value={draft.to} onChange={set("to")} />}
        </Field>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="submit">{t("audit.filters.apply")}</Button>
        {active && (
          <Button variant="secondary" onClick={() => onApply({})}>
            {t("audit.filters.clear")}
          </Button>
        )}
      </div>
    </form>
  );
}
