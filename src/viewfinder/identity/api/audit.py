"""Routes of identity: audit."""

from fastapi import APIRouter

router = APIRouter()
