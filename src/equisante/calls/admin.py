from django.contrib import admin

from equisante.calls.models import Application, Assignment, Call, Criterion, Event, Funder


class FunderInline(admin.TabularInline):
    model = Funder
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "kind", "state", "opens_on", "closes_on")
    list_filter = ("kind", "state")
    inlines = [FunderInline, CriterionInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "call", "promoter", "requested", "decision")
    list_filter = ("call", "decision")
    search_fields = ("reference", "title", "promoter")
    raw_id_fields = ("territories", "funding_sheet")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("application", "reviewer", "organisation", "conflict", "submitted_at")
    list_filter = ("conflict",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("at", "call", "application", "who", "action", "detail")
    list_filter = ("call", "action")
