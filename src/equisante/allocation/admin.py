from django.contrib import admin

from equisante.allocation.models import Grant, Scenario


@admin.register(Scenario)
class ScenarioAdmin(admin.ModelAdmin):
    list_display = ("name", "resource", "total", "level", "weighting", "fictional", "updated_at")
    list_filter = ("resource", "weighting", "fictional")
    search_fields = ("name",)


@admin.register(Grant)
class GrantAdmin(admin.ModelAdmin):
    list_display = ("year", "territory", "programme", "funder", "amount", "source")
    list_filter = ("year", "source", "fictional")
    search_fields = ("territory__name", "territory__code", "programme", "funder", "reference")
    raw_id_fields = ("territory",)
