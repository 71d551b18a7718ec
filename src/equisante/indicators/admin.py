from django.contrib import admin

from equisante.indicators.models import Indicator, Value


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "unit", "polarity", "theme", "fictional"]
    list_filter = ["polarity", "theme", "fictional"]
    search_fields = ["code", "label"]


@admin.register(Value)
class ValueAdmin(admin.ModelAdmin):
    list_display = ["indicator", "territory", "period", "sex", "age_band", "value", "state"]
    list_filter = ["state", "period"]
    raw_id_fields = ["territory"]
