"""Publishing jobs from a web request or a service: after the commit, briefly, never in the way.

The database row is the truth; a job is only a nudge. A broker that is down costs a log line,
not an error page or a hung request: the periodic jobs pick the row up when it is back.
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def publish_after_commit(job, *args) -> None:
    def send():
        try:
            job.apply_async(args=args, retry=False)
        except Exception:
            logger.warning("could not queue %s%s; it waits for the next periodic run", job.name, args, exc_info=True)

    transaction.on_commit(send)
