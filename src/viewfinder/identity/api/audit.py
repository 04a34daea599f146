"""Routes of identity: the audit log of a workspace — list, CSV export, chain verification."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime

from viewfinder.identity.deps import Member, member_with
from viewfinder.identity.permissions import Permission
from viewfinder.identity.schemas.audit import AuditEntryOut, ChainStatusOut
from viewfinder.identity.service import audit
from viewfinder.kit.clock import utcnow
from viewfinder.kit.errors import InvalidInput
from viewfinder.kit.pagination import Page, PageParams, page_params
from viewfinder.kit.web import DbSession, ResourcesDep

router = APIRouter(prefix="/workspaces/{workspace_id}/audit", tags=["audit"])

AuditReader = Annotated[Member, Depends(member_with(Permission.AUDIT_READ))]


def audit_filter(
    actor: Annotated[uuid.UUID | None, Query(description="The acting user's id")] = None,
    action: Annotated[
        str | None, Query(max_length=64, description='An action ("member.role_changed"), or a prefix ending in "."')
    ] = None,
    target_type: Annotated[str | None, Query(max_length=64)] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Annotated[
        AwareDatetime | None, Query(alias="from", description="ISO time with its offset; entries at or after it")
    ] = None,
    until: Annotated[
        AwareDatetime | None, Query(alias="to", description="ISO time with its offset; entries before it")
    ] = None,
) -> audit.AuditFilter:
    if since is not None and until is not None and since >= until:
        raise InvalidInput(
            "The time range is empty: `from` must be before `to`.",
            errors=[{"field": "query.to", "message": "must be after `from`", "code": "range"}],
        )
    return audit.AuditFilter(actor, action, target_type, target_id, since, until)


Filters = Annotated[audit.AuditFilter, Depends(audit_filter)]


@router.get("", response_model=Page[AuditEntryOut], summary="List the workspace's audit entries, newest first")
async def list_audit_entries(
    member: AuditReader, filters: Filters, params: Annotated[PageParams, Depends(page_params)], session: DbSession
) -> Page[AuditEntryOut]:
    records, next_cursor = await audit.list_entries(session, member.workspace.id, filters, params)
    return Page(items=[AuditEntryOut.of(record) for record in records], next_cursor=next_cursor)


@router.get(
    "/export.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "Every matching entry, newest first"}},
    summary="Export the matching audit entries as CSV",
)
async def export_audit_entries(member: AuditReader, filters: Filters, resources: ResourcesDep) -> StreamingResponse:
    filename = f"audit-{member.workspace.id}-{utcnow().date().isoformat()}.csv"
    return StreamingResponse(
        audit.export_csv(resources.db, member.workspace.id, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@router.get("/verify", response_model=ChainStatusOut, summary="Check the workspace's audit chain for tampering")
async def verify_audit_chain(member: AuditReader, session: DbSession) -> ChainStatusOut:
    return ChainStatusOut.model_validate(await audit.verify_chain(session, member.workspace.id))
