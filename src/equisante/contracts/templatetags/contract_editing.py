"""Template helpers of the editing controls on the contract page."""

from django import template

from equisante.contracts import editing

register = template.Library()


@register.filter
def edit_token(element) -> str:
    """The edit token of a governance element or an axis, for the small forms posted from the page
    (remove a member, move an axis): they are refused if the element changed since the page was shown."""
    return editing.part_token(element)


@register.simple_tag
def may_create_contract(user) -> bool:
    """Whether ``user`` may create a contract (for the button of the contracts list)."""
    from equisante.contracts import permissions

    return permissions.can_create_contract(user)
