"""Background jobs (« travaux ») and the trace of every import.

- :class:`Job`: one run of long work for one person — what (``kind`` and a French ``label``), its
  state, its progress (0–100 and a message), its result (a file to download and/or a summary with the
  list of changes) or, on failure, why in French. The work itself runs in the worker of the task
  library (``django_tasks_db``); see :mod:`equisante.jobs.running`.
- :class:`ImportTrace`: what an import changed (who, when, through what, the file, counts and the
  changed rows before → after), written by the site, the command line and the jobs alike. A trace is
  never changed nor deleted (see :mod:`equisante.immutable`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from equisante.immutable import ImmutableModel

QUEUED, RUNNING, DONE, FAILED = "en-attente", "en-cours", "termine", "echec"
STATES = [(QUEUED, _("en attente")), (RUNNING, _("en cours")), (DONE, _("terminé")), (FAILED, _("échec"))]

#: Through what a change was made (history and import traces).
CHANNELS = [("site", _("site")), ("admin", _("administration technique")), ("cli", _("ligne de commande")),
            ("import", _("import")), ("api", _("API")), ("travail", _("travail en arrière-plan"))]


class Job(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("demandé par"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="jobs")
    kind = models.CharField(_("type"), max_length=40)
    label = models.CharField(_("intitulé"), max_length=300)
    params = models.JSONField(_("paramètres"), default=dict, blank=True)
    state = models.CharField(_("état"), max_length=12, choices=STATES, default=QUEUED, db_index=True)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    message = models.CharField(_("étape"), max_length=300, blank=True)
    result = models.JSONField(_("résultat"), default=dict, blank=True)
    result_file = models.CharField(_("fichier produit"), max_length=500, blank=True)
    result_name = models.CharField(_("nom du fichier"), max_length=200, blank=True)
    result_type = models.CharField(_("type du fichier"), max_length=120, blank=True)
    error = models.TextField(_("cause de l'échec"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(_("demandé le"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("travail")
        verbose_name_plural = _("travaux")
        ordering = ["-created_at", "-id"]
        permissions = [("import_data", _("Importer indicateurs et territoires depuis le site"))]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_state_display()})"

    def get_absolute_url(self) -> str:
        return reverse("jobs:detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.state in (DONE, FAILED)

    @property
    def duration(self):
        if self.started_at and self.finished_at:
            return self.finished_at - self.started_at
        return None


class ImportTrace(ImmutableModel):
    kind = models.CharField(_("import"), max_length=40)
    source = models.CharField(_("fichier"), max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("par"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(_("par quel moyen"), max_length=12, choices=CHANNELS)
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    summary = models.TextField(_("résumé"))
    counts = models.JSONField(_("décompte"), default=dict, blank=True)
    changes = models.JSONField(_("modifications"), default=list, blank=True)
    truncated = models.PositiveIntegerField(_("modifications non détaillées"), default=0)
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports")

    class Meta:
        verbose_name = _("trace d'import")
        verbose_name_plural = _("traces d'import")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.kind} {self.source}"
