"""Territory pages (placeholder list and detail; the full pages are built on top)."""

from django.shortcuts import get_object_or_404, render

from equisante.territories.models import Territory


def territory_list(request):
    territories = Territory.objects.order_by("level", "name")[:200]
    return render(request, "territories/list.html", {"territories": territories})


def territory_detail(request, level, code):
    territory = get_object_or_404(Territory.objects.order_by("-vintage"), level=level, code=code)
    return render(request, "territories/detail.html", {"territory": territory})
