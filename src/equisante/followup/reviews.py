"""The workflow of a yearly review (« bilan annuel ») of a contract.

brouillon (drafted by the coordination) → soumis (submitted to the partners) → validé (every
signatory of the contract approved it; each approval is recorded with who and when) → archivé
(kept as the review of its year). A contract without signatories cannot be validated (its
signatories are added on the contract first). At validation the figures are frozen in ``snapshot`` (they no longer follow later
edits of the sheets); the page of a validated or archived review shows the frozen figures.

Who may do what (:func:`can_draft`, :func:`can_approve`): the coordination (whoever may edit the
contract) drafts, submits and archives; the partners of the contract (role « partenaire »), the
referent and the regional administration approve on behalf of a signatory.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from equisante.contracts import permissions
from equisante.contracts import vocabulary as v
from equisante.errors import EquisanteError
from equisante.followup import problems  # noqa: F401  (declares the codes raised here)
from equisante.followup.models import (
    REVIEW_ARCHIVED,
    REVIEW_DRAFT,
    REVIEW_SUBMITTED,
    REVIEW_VALIDATED,
    AnnualReview,
    ReviewApproval,
)


#: A contract's review of year N is due by this day of year N + 1 (the regional roll-up marks it late after).
DUE_MONTH, DUE_DAY = 6, 30


def due_date(year: int):
    """The day by which the review of ``year`` is due."""
    import datetime

    return datetime.date(year + 1, DUE_MONTH, DUE_DAY)


def can_draft(user, contract) -> bool:
    return permissions.can_edit_contract(user, contract)


def can_approve(user, contract) -> bool:
    """Partners of the contract, its départemental referent and the regional administration."""
    if contract.pk in permissions.contract_ids(user, v.PARTNER):
        return True
    return permissions.is_regional_admin(user) or (
        contract.departement_id is not None and contract.departement_id in permissions.referent_departements(user))


def review_for(contract, year: int, user=None, *, create: bool = False) -> AnnualReview | None:
    review = AnnualReview.objects.filter(contract=contract, year=year).first()
    if review is None and create:
        review = AnnualReview.objects.create(contract=contract, year=year, drafted_by=user)
    return review


def _status(review) -> str:
    return str(review.get_status_display()).lower()


def save_draft(review: AnnualReview, user, *, summary: str, participation: str, axis_texts: dict) -> AnnualReview:
    if review.status != REVIEW_DRAFT:
        raise EquisanteError("followup_review_not_draft", year=review.year, contract=review.contract.code,
                             status=_status(review))
    review.summary, review.participation = summary, participation
    review.axis_texts = {str(k): val for k, val in axis_texts.items() if val}
    review.drafted_by = user
    review.save()
    return review


def submit(review: AnnualReview, user) -> AnnualReview:
    if review.status != REVIEW_DRAFT:
        raise EquisanteError("followup_review_not_draft", year=review.year, contract=review.contract.code,
                             status=_status(review))
    review.status = REVIEW_SUBMITTED
    review.submitted_at = timezone.now()
    review.save()
    return review


def pending_signatories(review: AnnualReview) -> list:
    approved = set(review.approvals.values_list("signatory_id", flat=True))
    return [a for a in review.contract.signatories.order_by("name") if a.pk not in approved]


@transaction.atomic
def approve(review: AnnualReview, signatory, user, comment: str = "") -> AnnualReview:
    """Record ``signatory``'s approval (given by ``user``); the review is validated when every
    signatory approved (and its figures frozen)."""
    from equisante.followup.building import review_figures, snapshot_of

    review = AnnualReview.objects.select_for_update().get(pk=review.pk)
    contract = review.contract
    if review.status != REVIEW_SUBMITTED:
        raise EquisanteError("followup_review_not_submitted", year=review.year, contract=contract.code,
                             status=_status(review))
    signatories = list(contract.signatories.order_by("name"))
    if signatory.pk not in {a.pk for a in signatories}:
        raise EquisanteError("followup_not_signatory", actor=signatory.name, contract=contract.code,
                             known=", ".join(a.name for a in signatories) or "aucun")
    existing = review.approvals.filter(signatory=signatory).first()
    if existing is not None:
        raise EquisanteError("followup_already_approved", actor=signatory.name, year=review.year,
                             contract=contract.code, when=timezone.localtime(existing.at).strftime("%d/%m/%Y"))
    ReviewApproval.objects.create(review=review, signatory=signatory, user=user, comment=comment)
    if not pending_signatories(review):
        review.status = REVIEW_VALIDATED
        review.validated_at = timezone.now()
        review.snapshot = snapshot_of(review_figures(contract, review.year))
        review.save()
    return review


def archive(review: AnnualReview, user) -> AnnualReview:
    if review.status != REVIEW_VALIDATED:
        raise EquisanteError("followup_review_not_validated", year=review.year, contract=review.contract.code,
                             status=_status(review))
    review.status = REVIEW_ARCHIVED
    review.archived_at = timezone.now()
    review.save()
    return review


def review_state(contract, year: int) -> str:
    """« validé », « soumis », « brouillon », « archivé » or « absent » for the regional roll-up."""
    review = AnnualReview.objects.filter(contract=contract, year=year).first()
    return review.status if review else "absent"
