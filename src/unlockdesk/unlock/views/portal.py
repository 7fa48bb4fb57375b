"""The customer's unlock wizard and status page (signed in with the one-time code only)."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from unlockdesk.accounts import selectors as account_selectors
from unlockdesk.accounts.selectors import LockView
from unlockdesk.accounts.types import LockReason, Restriction
from unlockdesk.chinese import list_of
from unlockdesk.tickets.customer_session import Customer, customer_required
from unlockdesk.tickets.exceptions import TicketAccessDenied
from unlockdesk.unlock import selectors, services
from unlockdesk.unlock.estimate import wait_estimate
from unlockdesk.unlock.exceptions import ApplicationAccessDenied, UnlockError
from unlockdesk.unlock.forms import (
    AccountStepForm,
    OtherStepForm,
    ProblemStepForm,
    TransactionFormSet,
    UploadForm,
)
from unlockdesk.unlock.models import UnlockApplication
from unlockdesk.unlock.texts import estimate_text
from unlockdesk.unlock.types import (
    SINGLE_KINDS,
    TRANSACTION_IDS,
    ApplicationStatus,
    EvidenceKind,
    Step,
    redo_label,
)
from unlockdesk.unlock.uploads import EvidenceRejected, check_size, too_large_message
from unlockdesk.unlock.views.files import evidence_response
from unlockdesk.verification.idnumbers import id_number_problem, problem_message

TEMPLATES = {
    Step.ACCOUNT: "unlock/portal/step_account.html",
    Step.PROBLEM: "unlock/portal/step_problem.html",
    Step.IDENTITY: "unlock/portal/step_identity.html",
    Step.TRANSACTIONS: "unlock/portal/step_transactions.html",
    Step.OTHER: "unlock/portal/step_other.html",
}

# Statuses in which the customer waits for us: the page says how long, from measured decisions.
WAITING = {ApplicationStatus.SUBMITTED, ApplicationStatus.CHECKING, ApplicationStatus.IN_REVIEW}


def _upload_limits() -> dict[str, Any]:
    """What the upload boxes tell the customer, and check in the browser before sending."""
    limit = settings.UNLOCKDESK_EVIDENCE_MAX_BYTES
    return {"max_bytes": limit, "limit_mb": limit // (1024 * 1024), "too_large": too_large_message()}


def _status_url(application: UnlockApplication) -> str:
    if application.ticket is None:
        return reverse("unlock:step", args=[application.step])
    return reverse("unlock:status", args=[application.ticket.number])


@customer_required
@require_GET
def start(request: HttpRequest, customer: Customer) -> HttpResponse:
    """Resume the open application, or start a draft for the ticket the customer chooses.

    A customer with open tickets is asked which case the application belongs to (or a new
    one): the newest ticket may be about something else entirely, a scam say.
    """
    choice = request.GET.get("ticket", "")
    if not choice and selectors.open_application_for(customer) is None:
        candidates = list(selectors.tickets_to_attach(customer)[:20])
        if candidates:
            return render(request, "unlock/portal/choose_ticket.html",
                          {"tickets": candidates, "new_case": services.NEW_CASE})
    try:
        application = services.start_or_resume(customer, ticket_number=choice,
                                               language=get_language() or "zh-hans")
    except TicketAccessDenied as exc:
        raise Http404 from exc
    if application.status == ApplicationStatus.DRAFT:
        return redirect("unlock:step", step=application.step)
    return redirect(_status_url(application))


def _draft(customer: Customer) -> UnlockApplication | None:
    application = selectors.open_application_for(customer)
    if application is None or application.status != ApplicationStatus.DRAFT:
        return None
    return application


@customer_required
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, customer: Customer, step: int) -> HttpResponse:
    application = _draft(customer)
    if application is None:
        return redirect("unlock:start")
    if step not in Step.values or step > application.step:
        return redirect("unlock:step", step=application.step)
    current_step = Step(step)
    form, formset = _forms(request, application, customer, current_step)
    if request.method == "POST":
        valid = (form is None or form.is_valid()) and (formset is None or formset.is_valid())
        if valid:
            try:
                _save(application, customer, current_step, form, formset)
            except UnlockError as exc:
                target = form if form is not None else None
                if target is not None:
                    target.add_error(None, exc.message)
                else:
                    messages.error(request, exc.message)
            else:
                if current_step == Step.ACCOUNT:
                    _warn_about_id_number(request, form.cleaned_data["id_number"])
                goto = request.POST.get("goto", "")
                if goto.isdigit():  # a step in the list above the form: saved, then there
                    application.refresh_from_db()
                    return redirect("unlock:step", step=max(Step.ACCOUNT, min(int(goto), application.step)))
                if "back" in request.POST and current_step > Step.ACCOUNT:
                    return redirect("unlock:step", step=current_step - 1)
                if current_step < Step.OTHER:
                    services.advance(application, Step(current_step + 1))
                    return redirect("unlock:step", step=current_step + 1)
                return redirect("unlock:step", step=Step.OTHER)
    application.refresh_from_db()
    return render(request, TEMPLATES[current_step], _context(application, customer, current_step, form,
                                                              formset))


def _forms(request: HttpRequest, app: UnlockApplication, customer: Customer, current: Step
           ) -> tuple[Any, Any]:
    data = request.POST if request.method == "POST" else None
    if current == Step.ACCOUNT:
        reference = app.account_reference or (customer.account.uid if customer.account else "")
        initial: dict[str, Any] = {"reference": reference, "kyc_name": app.kyc_name,
                                   "id_number": app.id_number}
        return AccountStepForm(data, initial=initial), None
    if current == Step.PROBLEM:
        happened = timezone.localtime(app.happened_at) if app.happened_at else None
        problem: dict[str, Any] = {
            "lock_reason": app.lock_reason, "happened_at": happened, "blocked": app.blocked,
            "error_message": app.error_message, "stolen_reported": app.stolen_reported,
        }
        shown = _system_locks(app, customer)
        if shown and not (app.lock_reason or app.blocked):
            # Start from what the system shows: the customer confirms rather than guesses.
            problem.update(lock_reason=shown[0].reason, happened_at=timezone.localtime(shown[0].since),
                           blocked=sorted({r for lock in shown for r in lock.restrictions}))
        return ProblemStepForm(data, initial=problem), None
    if current == Step.TRANSACTIONS:
        return None, TransactionFormSet(data, initial=app.transactions, prefix="tx")
    if current == Step.OTHER:
        return OtherStepForm(data, initial={"notes": app.other_notes}), None
    return None, None


def _save(app: UnlockApplication, customer: Customer, current: Step, form: Any, formset: Any) -> None:
    if current == Step.ACCOUNT:
        services.save_account_step(app, customer, **form.cleaned_data)
    elif current == Step.PROBLEM:
        services.save_problem_step(app, **form.cleaned_data)
    elif current == Step.TRANSACTIONS:
        services.save_transactions_step(app, rows=_typed_rows(formset))
    elif current == Step.OTHER:
        services.save_other_step(app, notes=form.cleaned_data["notes"])


def _warn_about_id_number(request: HttpRequest, id_number: str) -> None:
    """The customer went on with a number that is only doubtful (unknown region): say so."""
    problem = id_number_problem(id_number)
    if problem:
        messages.warning(request, problem_message(problem))


def _typed_rows(formset: Any) -> list[dict[str, str]]:
    """A valid transaction formset's filled rows, every value as the text the services clean."""
    return [{k: ("" if v is None else str(v)) for k, v in f.cleaned_data.items()}
            for f in formset.forms if f.cleaned_data]


def _system_locks(app: UnlockApplication, customer: Customer) -> list[LockView]:
    """Active locks as the system shows them, only for the account the customer proved."""
    if customer.account is not None and app.account_id == customer.account.pk:
        return account_selectors.active_locks(customer.account)
    return []


def summary(app: UnlockApplication, evidence: dict[str, list[Any]]) -> list[tuple[str, str]]:
    """The answers as the customer gave them, to read over before submitting (KYC masked)."""
    account = AccountStepForm.base_fields
    problem = ProblemStepForm.base_fields
    restrictions = dict(Restriction.choices)
    kinds = dict(EvidenceKind.choices)
    rows = [
        (account["reference"].label, app.account_reference),
        (account["kyc_name"].label, app.kyc_name_masked),
        (account["id_number"].label, app.id_number_masked),
        (problem["lock_reason"].label, LockReason(app.lock_reason).label if app.lock_reason else ""),
        (problem["happened_at"].label,
         timezone.localtime(app.happened_at).strftime("%Y-%m-%d %H:%M") if app.happened_at else ""),
        (problem["blocked"].label, list_of(restrictions.get(r, r) for r in app.blocked)),
        (problem["error_message"].label, app.error_message),
        (problem["stolen_reported"].label, str(_("Yes")) if app.stolen_reported else str(_("No"))),
        (str(_("Transactions typed")), list_of(
            f"{row.get('tx_id', '')} {row.get('amount', '')} {row.get('asset', '')}".strip()
            for row in app.transactions or [])),
        (str(_("Files")), list_of(
            f"{kinds[kind]} × {len(files)}" for kind, files in evidence.items() if files)),
    ]
    return [(str(label), str(value)) for label, value in rows]


def _context(app: UnlockApplication, customer: Customer, current: Step, form: Any, formset: Any
             ) -> dict[str, Any]:
    locks = _system_locks(app, customer)
    evidence = selectors.evidence_by_kind(app)
    return {
        "customer": customer,
        "application": app,
        "step": current,
        "steps": Step.choices,
        "form": form,
        "formset": formset,
        "locks": locks,
        "evidence": evidence,
        "missing": services.missing_items(app) if current == Step.OTHER else [],
        "summary": summary(app, evidence) if current == Step.OTHER else [],
        "note_phrase": settings.BRAND.note_phrase,
        "today": timezone.localdate(),
        "kinds": EvidenceKind,
        "upload": _upload_limits(),
        "draft_days": settings.UNLOCKDESK_DRAFT_RETENTION_DAYS,
    }


@customer_required
@require_POST
def upload(request: HttpRequest, customer: Customer) -> HttpResponse:
    """One file (XHR with progress, or a plain form post without JavaScript)."""
    wants_json = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    application = selectors.open_application_for(customer)
    form = UploadForm(request.POST, request.FILES)
    error = ""
    evidence = None
    if application is None:
        error = _("There is no application to add this file to.")
    elif not form.is_valid():
        error = _("Please choose a file.")
    else:
        upload_file = form.cleaned_data["file"]
        try:
            check_size(upload_file.size or 0)  # before reading an oversized file into memory
            evidence = services.add_evidence(application, kind=form.cleaned_data["kind"],
                                             filename=upload_file.name or "file", content=upload_file.read(),
                                             actor=customer.actor)
        except EvidenceRejected as exc:
            error = exc.message
        except UnlockError as exc:
            error = exc.message
    if wants_json:
        if evidence is None:
            return JsonResponse({"ok": False, "error": error}, status=400)
        html = render_to_string("unlock/portal/_file.html", {"item": evidence, "removable": True},
                                request=request)
        return JsonResponse({"ok": True, "id": evidence.pk, "html": html})
    if error:
        messages.error(request, error)
    return redirect(_safe_next(request))


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("unlock:start")


@customer_required
@require_POST
def remove(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    try:
        evidence = selectors.evidence_for_customer(customer, pk)
        services.remove_evidence(evidence, actor=customer.actor)
    except (ApplicationAccessDenied, EvidenceRejected) as exc:
        raise Http404 from exc
    except UnlockError as exc:
        messages.error(request, exc.message)
    return redirect(_safe_next(request))


@customer_required
@require_GET
def preview(request: HttpRequest, customer: Customer, pk: int) -> HttpResponse:
    """The customer's own thumbnail: the metadata-free copy only, never the original."""
    try:
        evidence = selectors.evidence_for_customer(customer, pk)
    except ApplicationAccessDenied as exc:
        raise Http404 from exc
    if not evidence.preview:
        raise Http404
    return evidence_response(evidence, actor=customer.actor, original=False)


@customer_required
@require_POST
def submit(request: HttpRequest, customer: Customer) -> HttpResponse:
    application = selectors.open_application_for(customer)
    if application is None:
        return redirect("unlock:start")
    try:
        if application.status == ApplicationStatus.DRAFT and "notes" in request.POST:
            # The last step's notes come with the submit button: saved even if submission is refused.
            notes = OtherStepForm(request.POST)
            if notes.is_valid():
                services.save_other_step(application, notes=notes.cleaned_data["notes"])
        application = services.submit(application, actor=customer.actor)
    except UnlockError as exc:
        messages.error(request, exc.message)
        if application.status == ApplicationStatus.DRAFT:
            return redirect("unlock:step", step=application.step)
        return redirect(_status_url(application))
    messages.success(request, _("Your application was submitted."))
    return redirect(_status_url(application))


@customer_required
@require_POST
def redo_transactions(request: HttpRequest, customer: Customer) -> HttpResponse:
    """The transaction IDs typed again, when the reviewer asked for them."""
    application = selectors.open_application_for(customer)
    if application is None:
        return redirect("unlock:start")
    formset = TransactionFormSet(request.POST, prefix="tx")
    if not formset.is_valid():
        messages.error(request, _("Please correct the transaction rows."))
        return status_page(request, customer, application, formset=formset, code=400)
    try:
        services.redo_transactions(application, rows=_typed_rows(formset), actor=customer.actor)
    except UnlockError as exc:
        messages.error(request, exc.message)
        return status_page(request, customer, application, formset=formset, code=400)
    messages.success(request, _("Transaction IDs saved. Send them when everything asked for is ready."))
    return redirect(_status_url(application))


@customer_required
@require_GET
def status(request: HttpRequest, customer: Customer, number: str) -> HttpResponse:
    """Progress by ticket number, for the signed-in owner only (a number alone shows nothing)."""
    try:
        application = selectors.application_for_customer(customer, number)
    except ApplicationAccessDenied as exc:
        raise Http404 from exc
    if application.status == ApplicationStatus.DRAFT:
        return redirect("unlock:step", step=application.step)
    return status_page(request, customer, application)


_STAGES = (
    (gettext_lazy("Submitted"), (ApplicationStatus.SUBMITTED,)),
    (gettext_lazy("Automated checks"), (ApplicationStatus.CHECKING,)),
    (gettext_lazy("Review"), (ApplicationStatus.IN_REVIEW, ApplicationStatus.NEEDS_INFO)),
    (gettext_lazy("Decision"), (ApplicationStatus.APPROVED, ApplicationStatus.REJECTED)),
    (gettext_lazy("Unlocked"), (ApplicationStatus.UNLOCKED,)),
)
_NEXT = {
    ApplicationStatus.SUBMITTED: gettext_lazy("We are checking your materials automatically; this usually "
                                              "takes a few minutes."),
    ApplicationStatus.CHECKING: gettext_lazy("We are checking your materials automatically; this usually "
                                             "takes a few minutes."),
    ApplicationStatus.NEEDS_INFO: gettext_lazy("We need some items again: they are listed below. Everything "
                                               "else you sent is kept."),
    ApplicationStatus.IN_REVIEW: gettext_lazy("A reviewer is looking at your application. We will tell you "
                                              "on your ticket as soon as there is a decision."),
    ApplicationStatus.APPROVED: gettext_lazy("Approved. We are lifting the restrictions with the exchange."),
    ApplicationStatus.REJECTED: gettext_lazy("Your application was not approved. The reasons are in the "
                                             "messages on your ticket; you may apply again."),
    ApplicationStatus.UNLOCKED: gettext_lazy("Your account is unlocked. Sign in to the exchange and change "
                                             "your password if anyone else may know it."),
}


def progress(status: str) -> list[tuple[str, str]]:
    """The stages of an application as done / current / todo, for the customer's status page."""
    current = next((i for i, (_label, statuses) in enumerate(_STAGES) if status in statuses), 0)
    if status == ApplicationStatus.UNLOCKED:
        current = len(_STAGES)
    return [(str(label), "done" if i < current else "current" if i == current else "todo")
            for i, (label, _statuses) in enumerate(_STAGES)]


def status_page(request: HttpRequest, customer: Customer, application: UnlockApplication, *,
                formset: Any = None, code: int = 200) -> HttpResponse:
    events = []
    if application.ticket is not None:
        events = list(application.ticket.events.filter(kind="unlock").exclude(data__first_approval=True))
    labels = dict(ApplicationStatus.choices)
    return render(request, "unlock/portal/status.html", {
        "customer": customer,
        "application": application,
        "status_label": labels.get(application.status, application.status),
        "progress": progress(application.status),
        "next_step": _NEXT.get(ApplicationStatus(application.status), ""),
        "history": [(e.created_at, labels.get(e.data.get("new", ""), "")) for e in events],
        "evidence": selectors.evidence_by_kind(application),
        "redo": [dict(item, label=redo_label(item["kind"])) for item in application.redo_items],
        "tx_formset": formset or TransactionFormSet(initial=application.transactions, prefix="tx")
        if TRANSACTION_IDS in application.redo_kinds else None,
        "missing": services.missing_items(application)
        if application.status == ApplicationStatus.NEEDS_INFO else [],
        "kinds": EvidenceKind,
        # Redoing a several-file kind (transaction records, other proof) takes several files.
        "single_kinds": [str(kind) for kind in SINGLE_KINDS],
        "note_phrase": settings.BRAND.note_phrase,
        "today": timezone.localdate(),
        "upload": _upload_limits(),
        "estimate": estimate_text(wait_estimate()) if application.status in WAITING else "",
    }, status=code)
