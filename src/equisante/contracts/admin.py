"""Administration of the contracts registry (staff accounts): contracts with their governance, the
actors directory, roles. Changes to contracts made here are kept in the history as well."""

from __future__ import annotations

from django.contrib import admin

from equisante.contracts import history, services
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


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ("name", "sector", "kind", "fictional")
    list_filter = ("sector", "fictional")
    search_fields = ("name", "kind")


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
class ContractAdmin(admin.ModelAdmin):
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
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ("__str__", "contract", "kind")
    list_filter = ("kind",)
    inlines = [MemberInline, MeetingInline]


class FundingInline(admin.TabularInline):
    model = FundingLine
    extra = 0


@admin.register(ActionSheet)
class ActionSheetAdmin(admin.ModelAdmin):
    """Read-mostly: sheets are edited on the site, where versions and history are kept."""

    list_display = ("code", "title", "contract", "status", "coding_validated_at")
    list_filter = ("status", "contract")
    search_fields = ("code", "title", "description")
    readonly_fields = ("version", "coding_validated_by", "coding_validated_at", "created_at", "updated_at")
    inlines = [FundingInline]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "departement", "contract")
    list_filter = ("role",)
    search_fields = ("user__username",)


@admin.register(ChangeRecord)
class ChangeRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_label", "version")
    list_filter = ("action",)
    readonly_fields = [f.name for f in ChangeRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SuggestionRecord)
class SuggestionRecordAdmin(admin.ModelAdmin):
    list_display = ("sheet", "family", "node_id", "score", "decision", "decided_by")
    list_filter = ("family", "decision")
