"""Administration of index definitions, results and prioritisation rules (with their exceptions)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm

from equisante.errors import EquisanteError
from equisante.prioritisation.definitions import check_definition
from equisante.prioritisation.models import IndexDefinition, IndexResult, PriorityRule, RuleException
from equisante.prioritisation.rules import check_rule


class IndexDefinitionForm(ModelForm):
    class Meta:
        model = IndexDefinition
        fields = "__all__"

    def clean(self):
        data = super().clean()
        try:
            check_definition(data.get("code", ""), data.get("method", ""), data.get("inputs"), data.get("parameters"))
        except EquisanteError as exc:
            raise ValidationError(exc.message) from None
        return data


@admin.register(IndexDefinition)
class IndexDefinitionAdmin(admin.ModelAdmin):
    form = IndexDefinitionForm
    list_display = ["code", "label", "method", "base_level", "aggregation", "higher_is_worse", "fictional"]
    list_filter = ["method", "fictional"]
    search_fields = ["code", "label"]


@admin.register(IndexResult)
class IndexResultAdmin(admin.ModelAdmin):
    list_display = ["definition", "level", "period", "territories", "territories_missing", "computed_at"]
    list_filter = ["level", "definition"]
    readonly_fields = ["computed_at"]


class RuleExceptionInline(admin.TabularInline):
    model = RuleException
    raw_id_fields = ["territory"]
    extra = 0


class PriorityRuleForm(ModelForm):
    class Meta:
        model = PriorityRule
        fields = "__all__"

    def clean(self):
        data = super().clean()
        try:
            check_rule(data)
        except EquisanteError as exc:
            raise ValidationError(exc.message) from None
        return data


@admin.register(PriorityRule)
class PriorityRuleAdmin(admin.ModelAdmin):
    form = PriorityRuleForm
    list_display = ["code", "label", "index", "kind", "operator", "threshold", "valid_from", "valid_to",
                    "eligibility", "primary"]
    list_filter = ["kind", "eligibility", "index"]
    search_fields = ["code", "label", "policy"]
    inlines = [RuleExceptionInline]
