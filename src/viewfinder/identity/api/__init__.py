"""The HTTP edge of identity: accounts and sessions, workspaces and members, the audit log."""

from fastapi import APIRouter

from viewfinder.identity.api import audit, auth, workspaces

router = APIRouter()
router.include_router(auth.router)
router.include_router(workspaces.router)
router.include_router(audit.router)
