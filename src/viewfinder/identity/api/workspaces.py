"""Routes of identity: workspaces."""

from fastapi import APIRouter

router = APIRouter()
