"""Background jobs on Celery: the app, the async bridge, the beat schedule, sending after commit.

The only package that imports Celery; domains queue jobs by name through `viewfinder.kit.jobs`.
"""

from viewfinder.worker.app import celery_app, configure

__all__ = ["celery_app", "configure"]
