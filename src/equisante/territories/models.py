"""Territories: levels, codes by vintage, the nested hierarchy, overlays (memberships), populations and
simplified geometry for the web."""

from __future__ import annotations

import json
from urllib.parse import quote

from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from equisante.territories.levels import LABELS, ORDER, Level

LEVEL_CHOICES = [(level.value, LABELS[level]) for level in ORDER]


class Territory(models.Model):
    """A territory at one level (région… IRIS, QPV, user zone), identified by its code within a COG vintage.

    ``geometry`` holds GeoJSON (WGS84) simplified for the web; the bounding box is kept beside it so
    that maps can be framed without parsing it.
    """

    level = models.CharField(_("niveau"), max_length=16, choices=LEVEL_CHOICES, db_index=True)
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("nom"), max_length=200)
    vintage = models.PositiveSmallIntegerField(_("millésime du COG"), default=2024)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    zone_type = models.CharField(
        _("type de zone"), max_length=40, blank=True, help_text=_("Pour les zones : ZIP, périmètre de CLS…")
    )
    fictional = models.BooleanField(_("fictif"), default=False, help_text=_("Territoire de démonstration."))
    geometry = models.TextField(_("géométrie (GeoJSON simplifié)"), blank=True)
    min_lon = models.FloatField(null=True, blank=True)
    min_lat = models.FloatField(null=True, blank=True)
    max_lon = models.FloatField(null=True, blank=True)
    max_lat = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["level", "code"]
        constraints = [
            models.UniqueConstraint(fields=["level", "code", "vintage"], name="territory_unique_code_per_vintage"),
        ]
        indexes = [models.Index(fields=["name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def level_label(self) -> str:
        return LABELS[Level(self.level)]

    @property
    def bbox(self) -> list[float] | None:
        if self.min_lon is None:
            return None
        return [self.min_lon, self.min_lat, self.max_lon, self.max_lat]

    def geojson_geometry(self) -> dict | None:
        return json.loads(self.geometry) if self.geometry else None

    def get_absolute_url(self) -> str:
        # A map draws hundreds of territories: reverse() once per address shape, then fill it in
        # (reverse() per feature took 60 % of the indicator page's time).
        key = (get_script_prefix(), get_urlconf())
        shape = _DETAIL_SHAPES.get(key)
        if shape is None:
            shape = _DETAIL_SHAPES[key] = reverse("territories:detail", args=["LEVEL0", "CODE0"])
        return shape.replace("LEVEL0", quote(self.level, safe="")).replace("CODE0", quote(self.code, safe=""))


#: (script prefix, URLconf) → address of a territory page with placeholders.
_DETAIL_SHAPES: dict = {}


class Membership(models.Model):
    """``member`` belongs to ``group`` (commune → EPCI, commune → QPV or zone…), possibly in part."""

    member = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="members")
    share = models.FloatField(_("part"), default=1.0, help_text=_("Part du membre comprise dans le groupe (0–1)."))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")
        constraints = [models.UniqueConstraint(fields=["member", "group"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.member} ∈ {self.group}"


class Population(models.Model):
    """Resident population of a territory for a year (persons)."""

    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(_("année"))
    population = models.PositiveIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("population")
        verbose_name_plural = _("populations")
        ordering = ["territory", "-year"]
        constraints = [models.UniqueConstraint(fields=["territory", "year"], name="population_unique_year")]

    def __str__(self) -> str:
        return f"{self.territory} {self.year} : {self.population}"
