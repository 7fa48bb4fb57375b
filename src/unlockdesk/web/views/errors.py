"""The CSRF refusal as a page of the site: Django's own renders without the request, so it
would lose the brand, the language switcher and the customer's language."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
