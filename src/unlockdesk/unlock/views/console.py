"""The reviewer's side in the console: the queue, the review screen, decisions, audited reveals."""

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.accounts.types import TransactionKind
from unlockdesk.safety.audit import actor_of
from unlockdesk.staff.models import Agent, Role
from unlockdesk.staff.permissions import require_role
from unlockdesk.unlock import selectors, services
from unlockdesk.unlock.exceptions import ApplicationAccessDenied, UnlockError
from unlockdesk.unlock.forms import DecisionForm, RevealForm
from unlockdesk.unlock.models import Evidence, UnlockApplication
from unlockdesk.unlock.types import DecisionKind, EvidenceKind, RiskFactor
from unlockdesk.unlock.uploads import BROWSER_IMAGE_TYPES
from unlockdesk.unlock.views.files import embed_token, evidence_response, is_embedded
from unlockdesk.verification import selectors as verification
from unlockdesk.verification.labels import check_label
from unlockdesk.verification.types import Status


def _agent(request: HttpRequest) -> Agent:
    user = request.user
    assert isinstance(user, Agent)
    return user


def _application(request: HttpRequest, pk: int) -> UnlockApplication:
    try:
        return selectors.application_for_reviewer(_agent(request), pk)
    except ApplicationAccessDenied as exc:
        raise Http404 from exc


@require_role(Role.REVIEWER)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    applications = list(selectors.review_queue(_agent(request))[:100])
    return render(request, "unlock/console/queue.html", {"applications": applications})


@require_role(Role.REVIEWER)
@require_GET
def review(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    return render(request, "unlock/console/review.html",
                  _review_context(request, application, None, RevealForm(), None))


def _factor_words(factor: str) -> str:
    """A risk-score factor in words: `kyc_match:fail:name_mismatch` -> "实名信息一致（未通过）"."""
    check, sep, rest = factor.partition(":")
    if sep:
        status = rest.partition(":")[0]
        shown = str(Status(status).label) if status in Status.values else status
        return f"{check_label(check)} ({shown})"
    return str(RiskFactor(factor).label) if factor in RiskFactor.values else factor


def _review_context(request: HttpRequest, application: UnlockApplication, form: DecisionForm | None,
                    reveal_form: RevealForm, revealed: dict[str, str] | None) -> dict[str, Any]:
    agent = _agent(request)
    results = list(verification.results_for(application))
    regions: dict[int, list[dict[str, Any]]] = {}
    beside: dict[int, list[Any]] = {}
    for row in results:
        if row.evidence_id:
            beside.setdefault(row.evidence_id, []).append(row)
        if row.evidence_id and row.region:
            regions.setdefault(row.evidence_id, []).append(
                {**row.region, "status": row.status, "label": row.check_name})
    evidence = []
    shown: list[Evidence] = []
    for item in selectors.current_evidence(application):
        preview = item.content_type in ("image/heic", "image/heif")
        shown_url = reverse("unlock:evidence_file", args=[item.pk]) + "?" + urlencode(
            {"form": "preview" if preview else "original", "embed": embed_token(item.pk, agent.pk)})
        evidence.append({"item": item, "regions_json": json.dumps(regions.get(item.pk, [])),
                         "results": beside.get(item.pk, []), "shown_url": shown_url,
                         "displayable": item.content_type in BROWSER_IMAGE_TYPES or bool(item.preview)})
        if evidence[-1]["displayable"]:
            shown.append(item)
    if shown:
        services.record_review_page_view(application.pk, actor=actor_of(agent), evidence=shown)
    account = application.account
    kyc = next((r for r in results if r.check_name == "kyc_match"), None)
    failed = [r for r in results if r.status == Status.FAIL]
    return {
        "application": application,
        "view": selectors.reviewer_view(agent, application),
        "evidence": evidence,
        "results": results,
        "failed": failed,
        "typed_transactions": [
            {**row, "kind_label": TransactionKind(row["kind"]).label
             if row.get("kind") in TransactionKind.values else row.get("kind", "")}
            for row in application.transactions or []],
        "score": (score := verification.risk_score(application)),
        "score_factors": [_factor_words(f) for f in score.factors],
        "kyc": kyc,
        "account": account,
        "locks": account_selectors.lock_history(account) if account else [],
        "transactions": account_selectors.recent_transactions(account) if account else [],
        "decisions": application.decisions.select_related("reviewer").prefetch_related("reasons"),
        "templates": selectors.reason_templates(),
        "form": form or DecisionForm(failed=failed),
        "reveal_form": reveal_form,
        "revealed": revealed,
        "kinds": EvidenceKind,
        "decision_kinds": DecisionKind,
    }


@require_role(Role.REVIEWER)
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    failed = [r for r in verification.results_for(application) if r.status == Status.FAIL]
    form = DecisionForm(request.POST, failed=failed)
    if form.is_valid():
        data = form.cleaned_data
        reasons = list(data["reasons"])
        try:
            if data["decision"] == DecisionKind.REQUEST_INFO:
                services.request_info(application, reviewer=_agent(request), items=data["items"],
                                      reasons=reasons, note=data["note"])
            elif data["decision"] == DecisionKind.REJECT:
                services.reject(application, reviewer=_agent(request), reasons=reasons, note=data["note"])
            else:
                services.approve(application, reviewer=_agent(request), reasons=reasons, note=data["note"],
                                 acknowledged=data["acknowledged"])
        except UnlockError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, str(DecisionKind(data["decision"]).label))
            return redirect("unlock:review", pk=application.pk)
    return render(request, "unlock/console/review.html",
                  _review_context(request, application, form, RevealForm(), None), status=400)


@require_role(Role.REVIEWER)
@require_POST
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the full KYC values once, in this response only; the reveal is audited."""
    application = _application(request, pk)
    reveal_form = RevealForm(request.POST)
    revealed = None
    if reveal_form.is_valid():
        try:
            revealed = services.reveal_kyc(application, reviewer=_agent(request),
                                           why=reveal_form.cleaned_data["why"])
        except UnlockError as exc:
            reveal_form.add_error(None, exc.message)
    response = render(request, "unlock/console/review.html",
                      _review_context(request, application, None, reveal_form, revealed))
    response["Cache-Control"] = "private, no-store"
    return response


@require_role(Role.REVIEWER)
@require_POST
def retry_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        services.perform_unlock(application, actor=f"agent:{_agent(request).agent_number or _agent(request)}")
    except UnlockError as exc:
        messages.error(request, exc.message)
    return redirect("unlock:review", pk=application.pk)


@require_role(Role.REVIEWER)
@require_GET
def evidence_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The original file, for reviewers; `?form=preview` gives the browser-displayable copy (HEIC)."""
    try:
        item = selectors.evidence_for_reviewer(_agent(request), pk)
    except ApplicationAccessDenied as exc:
        raise Http404 from exc
    original = request.GET.get("form") != "preview"
    embedded = is_embedded(request.GET.get("embed", ""), item.pk, _agent(request).pk)
    return evidence_response(item, actor=actor_of(request.user), original=original,
                             audited_by_page=embedded)
