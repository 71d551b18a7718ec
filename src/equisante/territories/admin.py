from django.contrib import admin

from equisante.territories.models import Membership, Population, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "vintage", "parent", "fictional"]
    list_filter = ["level", "vintage", "fictional"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    exclude = ["geometry"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "group", "share", "source"]
    raw_id_fields = ["member", "group"]


@admin.register(Population)
class PopulationAdmin(admin.ModelAdmin):
    list_display = ["territory", "year", "population"]
    raw_id_fields = ["territory"]
