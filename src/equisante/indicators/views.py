"""Indicator pages (placeholder list and detail; the full pages are built on top)."""

from django.shortcuts import get_object_or_404, render

from equisante.indicators.models import Indicator


def indicator_list(request):
    return render(request, "indicators/list.html", {"indicators": Indicator.objects.all()})


def indicator_detail(request, code):
    indicator = get_object_or_404(Indicator, code=code)
    return render(request, "indicators/detail.html", {"indicator": indicator})
