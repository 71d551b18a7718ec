"""Who may see and do what on calls, reusing the roles of the contracts area
(:mod:`equisante.contracts.permissions`):

- the **regional administrator** (or a superuser) manages calls: drafts them, opens and closes them,
  assigns reviewers, runs the selection, overrides it and decides — the committee's secretariat;
- a **reviewer** (agency staff or a co-funder's instructor) is a person with an
  :class:`~equisante.calls.models.Assignment`: they read the applications assigned to them and score
  them, unless they declared a conflict of interest — then they can neither score it nor see the others'
  scores on it;
- any logged-in person (an applicant's officer) submits applications to an open call and reads their own;
- the public reads the calls that are not drafts, their calendar, criteria and, once decided, the
  statistics.
"""

from __future__ import annotations

from equisante.calls import vocabulary as v
from equisante.contracts.permissions import is_regional_admin


def can_manage(user) -> bool:
    return is_regional_admin(user)


def visible_calls(user, queryset):
    return queryset if can_manage(user) else queryset.exclude(state=v.DRAFTED)


def can_view_call(user, call) -> bool:
    return call.state != v.DRAFTED or can_manage(user)


def can_apply(user, call) -> bool:
    return user is not None and user.is_authenticated and call.state == v.OPENED


def assignment_of(user, application):
    if user is None or not user.is_authenticated:
        return None
    return application.assignments.filter(reviewer=user).first()


def is_conflicted(user, application) -> bool:
    assignment = assignment_of(user, application)
    return bool(assignment and assignment.conflict)


def can_view_application(user, application) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if can_manage(user) or application.submitted_by_id == user.pk:
        return True
    return assignment_of(user, application) is not None


def can_see_scores(user, application) -> bool:
    """Everyone who instructs or decides, except a person who declared a conflict on it."""
    if is_conflicted(user, application):
        return False
    return can_manage(user) or assignment_of(user, application) is not None


def can_score(user, application) -> bool:
    assignment = assignment_of(user, application)
    return (assignment is not None and not assignment.conflict
            and application.call.state in (v.OPENED, v.CLOSED))


def reviewable_applications(user, queryset):
    """The applications ``user`` may open (managers: all; others: assigned or submitted)."""
    if can_manage(user):
        return queryset
    if user is None or not user.is_authenticated:
        return queryset.none()
    from django.db.models import Q

    return queryset.filter(Q(assignments__reviewer=user) | Q(submitted_by=user)).distinct()
