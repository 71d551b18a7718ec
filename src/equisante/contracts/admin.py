"""Administration of the contracts registry, for the technical team (the site's pages are where people
work). Every change made here is written in the history like a change made on the site — through
« administration technique » — and bumps the version a stale form is checked against; deleting is a
soft delete (restored from the site's « corbeille »); the history itself is read-only here."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import F

from equisante.contracts import editing, history, recycling, services
from equisante.contracts.models import (
    ActionSheet,
    Actor,
    ChangeRecord,
    Committee,
    CommitteeMember,
    Contract,
    CoordinatorPost,
    FundingLine,
    Meeting,
    RoleAssignment,
    StrategicAxis,
    SuggestionRecord,
)
from equisante.errors import EquisanteError

#: Elements whose changes the history keeps with the keys of :mod:`equisante.contracts.editing`.
PARTS = tuple(editing.TRACKED)


def _before(obj) -> dict:
    """The stored state of a governance element or actor (empty for a new one)."""
    if obj.pk is None:
        return {}
    stored = type(obj).all_objects.filter(pk=obj.pk).first()
    return editing.values_text(stored) if stored is not None else {}


def record_part(obj, before: dict, user) -> None:
    after = editing.values_text(obj)
    changes = editing._changes(obj, before, after)
    if changes:
        editing._record(obj, "modification" if before else "creation", user, changes)


def soft_delete(request, obj) -> bool:
    """Delete one element as the site does (soft delete, kept in the history); False when refused."""
    try:
        if isinstance(obj, Contract):
            recycling.delete_contract(obj, user=request.user)
        elif isinstance(obj, ActionSheet):
            services.delete_sheet(obj, user=request.user)
        else:
            editing.delete_part(obj, user=request.user)
    except EquisanteError as exc:
        messages.error(request, exc.message)
        return False
    return True


class HistoryAdminMixin:
    """Saves of tracked inline rows are recorded; deletions are soft deletes."""

    def save_formset(self, request, form, formset, change):
        if formset.model not in PARTS:
            return super().save_formset(request, form, formset, change)
        befores = {f.instance.pk: _before(f.instance) for f in formset.forms
                   if f.instance.pk is not None and f.has_changed()}
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            soft_delete(request, obj)
        for obj in instances:
            before = befores.get(obj.pk, {}) if obj.pk else {}
            obj.save()
            record_part(obj, before, request.user)
        formset.save_m2m()

    def delete_model(self, request, obj):
        soft_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            soft_delete(request, obj)


@admin.register(Actor)
class ActorAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "sector", "kind", "fictional")
    list_filter = ("sector", "fictional")
    search_fields = ("name", "kind")

    def save_model(self, request, obj, form, change):
        before = _before(obj) if change else {}
        super().save_model(request, obj, form, change)
        record_part(obj, before, request.user)


class AxisInline(admin.TabularInline):
    model = StrategicAxis
    extra = 0


class PostInline(admin.TabularInline):
    model = CoordinatorPost
    extra = 0


class CommitteeInline(admin.TabularInline):
    model = Committee
    extra = 0
    show_change_link = True


@admin.register(Contract)
class ContractAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "departement", "generation", "status", "published", "fictional")
    list_filter = ("generation", "status", "published", "fictional")
    search_fields = ("code", "name")
    filter_horizontal = ("perimeter", "signatories")
    inlines = [AxisInline, PostInline, CommitteeInline]

    def save_related(self, request, form, formsets, change):
        # The history compares the contract as read by get_form (before the change) with the
        # contract once its relations are saved.
        before = getattr(request, "_contract_before", {}) if change else {}
        super().save_related(request, form, formsets, change)
        services.record_contract_change(form.instance, before, request.user)

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            request._contract_before = history.contract_snapshot(obj)
        return super().get_form(request, obj, **kwargs)


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0


class MeetingInline(admin.StackedInline):
    model = Meeting
    extra = 0


@admin.register(Committee)
class CommitteeAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "contract", "kind")
    list_filter = ("kind",)
    inlines = [MemberInline, MeetingInline]

    def save_model(self, request, obj, form, change):
        before = _before(obj) if change else {}
        super().save_model(request, obj, form, change)
        record_part(obj, before, request.user)


class FundingInline(admin.TabularInline):
    model = FundingLine
    extra = 0


@admin.register(ActionSheet)
class ActionSheetAdmin(HistoryAdminMixin, admin.ModelAdmin):
    """Sheets are edited on the site; a change made here is recorded and bumps the version all the same."""

    list_display = ("code", "title", "contract", "status", "coding_validated_at")
    list_filter = ("status", "contract")
    search_fields = ("code", "title", "description")
    readonly_fields = ("version", "coding_validated_by", "coding_validated_at", "created_at", "updated_at")
    inlines = [FundingInline]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            request._sheet_before = history.sheet_snapshot(obj)
        return super().get_form(request, obj, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sheet = form.instance
        before = getattr(request, "_sheet_before", {}) if change else {}
        changes = history.diff(ActionSheet, before, history.sheet_snapshot(sheet), history.SHEET_FIELDS)
        if not changes:
            return
        if change:
            ActionSheet.objects.filter(pk=sheet.pk).update(version=F("version") + 1)
            sheet.refresh_from_db(fields=["version"])
        history.record_change(sheet.contract, "modification" if change else "creation", request.user, sheet=sheet,
                              version=sheet.version, changes=changes)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "departement", "contract")
    list_filter = ("role",)
    search_fields = ("user__username",)


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: the history is never changed nor deleted."""

    list_display = ("at", "user", "channel", "action", "object_label", "version")
    list_filter = ("action", "channel")
    readonly_fields = [f.name for f in ChangeRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SuggestionRecord)
class SuggestionRecordAdmin(admin.ModelAdmin):
    list_display = ("sheet", "family", "node_id", "score", "decision", "decided_by")
    list_filter = ("family", "decision")
