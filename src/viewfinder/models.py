"""Every table, imported in one place so the metadata that Alembic compares is complete."""

from viewfinder.identity import models as _identity  # noqa: F401
from viewfinder.kit import mail as _mail  # noqa: F401
from viewfinder.kit.db import Base
from viewfinder.network.graph import models as _network_graph  # noqa: F401
from viewfinder.network.social import models as _network  # noqa: F401
from viewfinder.ops import models as _ops  # noqa: F401

metadata = Base.metadata
