"""Sliding session expiry without a database write on every page view.

Sessions end after UNLOCKDESK_SESSION_SECONDS without activity, so each request used to save
the session (SESSION_SAVE_EVERY_REQUEST): an UPDATE and a commit per page, often the largest
part of a console page's database time. Here a session is saved again only when its last
refresh is UNLOCKDESK_SESSION_REFRESH_SECONDS old: an idle session still ends that long after
the last request, give or take the refresh interval, and changed sessions save as always.
"""

import time

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpRequest, HttpResponse

REFRESHED_KEY = "_refreshed_at"


class SlidingSessionMiddleware(SessionMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            if now - int(session.get(REFRESHED_KEY, 0)) >= settings.UNLOCKDESK_SESSION_REFRESH_SECONDS:
                session[REFRESHED_KEY] = now  # marks it modified: saved, expiry and cookie renewed
        return super().process_response(request, response)
