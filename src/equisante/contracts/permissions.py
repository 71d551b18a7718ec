"""Who may see and change what, one function per question.

Roles (:class:`~equisante.contracts.models.RoleAssignment`):

- **administrateur régional**: everything (a Django superuser counts as one);
- **référent départemental**: reads and edits the contracts of their département;
- **coordinateur**: reads and edits their own contract (its sheets, their coding);
- **partenaire**: reads their contract, published or not, and its history;
- **public** (anyone, logged in or not): reads published contracts only, without the history.

Views call these functions and answer 404 when a contract may not be seen (its existence is not
disclosed) and 403 when it may be seen but not changed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from equisante.contracts import vocabulary as v
from equisante.contracts.models import Contract, RoleAssignment


def _assignments(user) -> list[RoleAssignment]:
    """The user's role assignments, read once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return []
    cached = getattr(user, "_contract_roles_cache", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user).select_related("departement", "contract"))
        user._contract_roles_cache = cached
    return cached


def forget_roles(user) -> None:
    """Drop the cached assignments (after changing them in the same request or test)."""
    if user is not None and hasattr(user, "_contract_roles_cache"):
        del user._contract_roles_cache


def is_regional_admin(user) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(a.role == v.REGIONAL_ADMIN for a in _assignments(user))


def referent_departements(user) -> set[int]:
    """Ids of the départements (territories) the user is referent of."""
    return {a.departement_id for a in _assignments(user) if a.role == v.DEPARTMENTAL_REFERENT}


def contract_ids(user, *roles: str) -> set[int]:
    """Ids of the contracts on which the user holds one of ``roles``."""
    return {a.contract_id for a in _assignments(user) if a.role in roles and a.contract_id}


def role_labels(user) -> list[str]:
    """The user's roles in words (for the pages)."""
    labels = dict(v.ROLES)
    out = []
    for a in _assignments(user):
        scope = a.contract.code if a.contract_id else (a.departement.name if a.departement_id else "")
        out.append(f"{labels[a.role]}{' — ' + scope if scope else ''}")
    if user is not None and user.is_authenticated and user.is_superuser and not out:
        out.append(str(labels[v.REGIONAL_ADMIN]))
    return out


# --- contracts ---------------------------------------------------------------------------------------

def has_private_access(user, contract: Contract) -> bool:
    """The user holds a role that covers this contract (admin, its referent, coordinator or partner)."""
    if is_regional_admin(user):
        return True
    if contract.departement_id and contract.departement_id in referent_departements(user):
        return True
    return contract.pk in contract_ids(user, v.COORDINATOR, v.PARTNER)


def can_view_contract(user, contract: Contract) -> bool:
    """Published contracts are public; the others are seen by the roles that cover them."""
    return contract.published or has_private_access(user, contract)


def can_edit_contract(user, contract: Contract) -> bool:
    """Regional administrator, referent of its département, or its coordinator."""
    if is_regional_admin(user):
        return True
    if contract.departement_id and contract.departement_id in referent_departements(user):
        return True
    return contract.pk in contract_ids(user, v.COORDINATOR)


def can_view_history(user, contract: Contract) -> bool:
    """The history names people: only those holding a role on the contract read it."""
    return has_private_access(user, contract)


def can_create_contract(user) -> bool:
    return is_regional_admin(user) or bool(referent_departements(user))


def visible_contracts(user, queryset: QuerySet | None = None) -> QuerySet:
    """The contracts ``user`` may see."""
    queryset = Contract.objects.all() if queryset is None else queryset
    if is_regional_admin(user):
        return queryset
    condition = Q(published=True)
    departements = referent_departements(user)
    if departements:
        condition |= Q(departement_id__in=departements)
    own = contract_ids(user, v.COORDINATOR, v.PARTNER)
    if own:
        condition |= Q(pk__in=own)
    return queryset.filter(condition)


def editable_contracts(user, queryset: QuerySet | None = None) -> QuerySet:
    """The contracts ``user`` may edit (and import sheets into)."""
    queryset = Contract.objects.all() if queryset is None else queryset
    if is_regional_admin(user):
        return queryset
    condition = Q(pk__in=[])
    departements = referent_departements(user)
    if departements:
        condition |= Q(departement_id__in=departements)
    own = contract_ids(user, v.COORDINATOR)
    if own:
        condition |= Q(pk__in=own)
    return queryset.filter(condition)


# --- action sheets -----------------------------------------------------------------------------------

def can_view_sheet(user, sheet) -> bool:
    return can_view_contract(user, sheet.contract)


def can_edit_sheet(user, sheet) -> bool:
    """Edit the sheet, code it, accept or reject suggestions and validate the coding."""
    return can_edit_contract(user, sheet.contract)


def can_import(user) -> bool:
    """Import action sheets: whoever may edit at least one contract (each row is checked)."""
    return user is not None and user.is_authenticated and editable_contracts(user).exists()
