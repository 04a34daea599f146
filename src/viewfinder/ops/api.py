"""Health and metrics endpoints, outside the versioned API and outside authentication."""

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse

from viewfinder.kit.metrics import render_metrics
from viewfinder.kit.web import ResourcesDep
from viewfinder.ops import service
from viewfinder.ops.schemas import Liveness, Readiness

router = APIRouter(tags=["operations"])


@router.get("/health/live", response_model=Liveness)
async def live() -> Liveness:
    """The process is up and answering."""
    return Liveness()


@router.get("/health/ready", response_model=Readiness, responses={503: {"model": Readiness}})
async def ready(resources: ResourcesDep) -> JSONResponse:
    """Each dependency checked; 200 when all are ok, 503 otherwise."""
    readiness = await service.check_readiness(resources)
    return JSONResponse(readiness.model_dump(mode="json"), status_code=200 if readiness.status == "ok" else 503)


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    body, content_type = render_metrics()
    return Response(body, media_type=content_type)
