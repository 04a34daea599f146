"""Routes of identity: auth."""

from fastapi import APIRouter

router = APIRouter()
