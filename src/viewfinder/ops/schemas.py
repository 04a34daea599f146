"""Answers of the health endpoints."""

from typing import Literal

from pydantic import BaseModel

CheckStatus = Literal["ok", "fail"]


class CheckResult(BaseModel):
    status: CheckStatus
    latency_ms: float
    detail: str | None = None


class Readiness(BaseModel):
    status: CheckStatus
    checks: dict[str, CheckResult]


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"
