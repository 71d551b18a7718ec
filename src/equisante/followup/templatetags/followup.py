"""``{% followup_contract contract %}`` and ``{% followup_sheet sheet %}``: the follow-up blocks shown
on the pages of the contracts area (kind of scheme, schemes on the same territory, yearly reviews;
link to a sheet's follow-up)."""

from django import template

from equisante.contracts import permissions
from equisante.contracts import vocabulary as v
from equisante.followup.models import AnnualReview, SheetIndicator
from equisante.followup.views.reviews import PUBLIC_STATUSES
from equisante.followup.views.schemes import related_schemes

register = template.Library()


@register.inclusion_tag("followup/includes/contract_panel.html", takes_context=True)
def followup_contract(context, contract):
    user = context["request"].user
    private = permissions.has_private_access(user, contract)
    reviews = list(AnnualReview.objects.filter(contract=contract))
    if not private:
        reviews = [r for r in reviews if r.status in PUBLIC_STATUSES]
    fields = [(contract._meta.get_field(name).verbose_name, getattr(contract, name))
              for name in v.SCHEME_FIELDS.get(contract.kind, ()) if getattr(contract, name)]
    return {"contract": contract, "fields": fields, "related": related_schemes(contract, user),
            "reviews": reviews, "private": private, "can_edit": permissions.can_edit_contract(user, contract)}


@register.inclusion_tag("followup/includes/sheet_panel.html", takes_context=True)
def followup_sheet(context, sheet):
    return {"sheet": sheet, "contract": sheet.contract,
            "n_indicators": SheetIndicator.objects.filter(sheet=sheet).count(),
            "published": sheet.contract.published}
