"""The signed-in agent of a console request, for views already behind `require_role`."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from unlockdesk.staff.models import Agent
from unlockdesk.staff.permissions import staff_agent


def agent_of(request: HttpRequest) -> Agent:
    agent = staff_agent(request)
    if agent is None:  # require_role let no such request through; refuse rather than assert
        raise PermissionDenied
    return agent
