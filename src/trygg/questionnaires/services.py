"""Questionnaire definitions as plain data (YAML or JSON): validate, import, export, and read answers against them.

The data form is the one a reviewer reads outside the app; ``export_definition(import_definition(d)) == d`` for
every valid ``d`` in its canonical form (optional keys left out when empty, text in Unicode NFC, as Trygg stores
all text), which the tests prove.
"""

import json
import re
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from trygg.core.validation import nfc

from .models import DECLINED, Indicator, IndicatorRule, Item, Module, Option, Questionnaire, Version

CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,59}")
LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{1,8})*")
CHOICE_KINDS = {Item.Kind.SINGLE, Item.Kind.MULTIPLE, Item.Kind.LIKERT}
ITEMS_PER_PAGE = 4
SHIPPED = Path(settings.DATA_DIR) / "questionnaires"  # the definitions that come with Trygg


class DefinitionError(ValueError):
    """The definition is not valid; the message says where."""


# Validation ---------------------------------------------------------------------------------------------------


def _code(value, where: str) -> str:
    if not isinstance(value, str) or not CODE.fullmatch(value):
        raise DefinitionError(_("%(where)s: a code of small letters, digits, - and _ is required") % {"where": where})
    return value


def _texts(value, where: str) -> dict:
    if not isinstance(value, dict) or not value:
        raise DefinitionError(_("%(where)s: a text per language is required") % {"where": where})
    for language, text in value.items():
        if not isinstance(language, str) or not LANGUAGE.fullmatch(language):
            raise DefinitionError(_("%(where)s: %(code)r is not a language code") % {"where": where, "code": language})
        if not isinstance(text, str) or not text.strip():
            raise DefinitionError(_("%(where)s: the text in %(code)s is empty") % {"where": where, "code": language})
    return value


def _unique(codes: list[str], where: str) -> None:
    seen = set()
    for code in codes:
        if code in seen:
            raise DefinitionError(_("%(where)s: the code %(code)s is used twice") % {"where": where, "code": code})
        seen.add(code)


def _keys(data: dict, allowed: set, where: str) -> None:
    if not isinstance(data, dict):
        raise DefinitionError(_("%(where)s: a mapping is required") % {"where": where})
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise DefinitionError(_("%(where)s: unknown keys %(keys)s") % {"where": where, "keys": ", ".join(unknown)})


def validate(data: dict) -> None:
    """Raise DefinitionError unless ``data`` is a complete, consistent questionnaire version."""
    _keys(data, {"questionnaire", "version", "title", "audience", "modules", "indicators"}, "questionnaire")
    _code(data.get("questionnaire"), "questionnaire")
    if not isinstance(data.get("version"), int) or isinstance(data["version"], bool) or data["version"] < 1:
        raise DefinitionError(_("version: a whole number from 1 is required"))
    _texts(data.get("title"), "title")
    if data.get("audience") not in Questionnaire.Audience.values:
        raise DefinitionError(
            _("audience: say who answers, municipality (a situation report) or pupils (the youth survey)")
        )
    modules = data.get("modules")
    if not isinstance(modules, list) or not modules:
        raise DefinitionError(_("modules: at least one module is required"))
    options_of: dict[str, list[str]] = {}
    for module in modules:
        where = f"module {module.get('code') if isinstance(module, dict) else '?'}"
        _keys(module, {"code", "kind", "title", "items"}, where)
        _code(module.get("code"), where)
        if module.get("kind") not in Module.Kind.values:
            raise DefinitionError(_("%(where)s: kind must be core, theme or own") % {"where": where})
        _texts(module.get("title"), where)
        if not isinstance(module.get("items"), list) or not module["items"]:
            raise DefinitionError(_("%(where)s: at least one item is required") % {"where": where})
        for item in module["items"]:
            _validate_item(item, options_of)
    _unique([module["code"] for module in modules], "modules")
    indicators = data.get("indicators", [])
    if not isinstance(indicators, list):
        raise DefinitionError(_("indicators: a list is required"))
    for indicator in indicators:
        where = f"indicator {indicator.get('code') if isinstance(indicator, dict) else '?'}"
        _keys(indicator, {"code", "title", "direction", "item", "numerator", "denominator"}, where)
        _code(indicator.get("code"), where)
        _texts(indicator.get("title"), where)
        if indicator.get("direction", "") not in ("", *Indicator.Direction.values):
            raise DefinitionError(_("%(where)s: direction must be higher or lower") % {"where": where})
        options = options_of.get(indicator.get("item"))
        if not options:
            raise DefinitionError(_("%(where)s: the item must be a choice item of this version") % {"where": where})
        for key in ("numerator", "denominator"):
            chosen = indicator.get(key, [])
            if key == "numerator" and not chosen:
                raise DefinitionError(_("%(where)s: the numerator needs at least one option") % {"where": where})
            if not isinstance(chosen, list) or not set(chosen) <= set(options) or len(set(chosen)) != len(chosen):
                raise DefinitionError(
                    _("%(where)s: %(key)s must list options of the item") % {"where": where, "key": key}
                )
    _unique([indicator["code"] for indicator in indicators], "indicators")


def _validate_item(item, options_of: dict) -> None:
    where = f"item {item.get('code') if isinstance(item, dict) else '?'}"
    _keys(item, {"code", "kind", "text", "options", "minimum", "maximum", "show_if"}, where)
    code = _code(item.get("code"), where)
    if code in options_of:
        raise DefinitionError(_("%(where)s: the code is used twice") % {"where": where})
    if item.get("kind") not in Item.Kind.values:
        raise DefinitionError(_("%(where)s: kind must be single, multiple, likert, number or text") % {"where": where})
    _texts(item.get("text"), where)
    options = item.get("options", [])
    if item["kind"] == Item.Kind.TEXT:
        if options or "minimum" in item or "maximum" in item:
            raise DefinitionError(_("%(where)s: a text item has no options, minimum or maximum") % {"where": where})
    elif item["kind"] == Item.Kind.NUMBER:
        if options:
            raise DefinitionError(_("%(where)s: a number item has no options") % {"where": where})
        bounds = [item.get(key) for key in ("minimum", "maximum")]
        if any(value is not None and (not isinstance(value, int) or isinstance(value, bool)) for value in bounds):
            raise DefinitionError(_("%(where)s: minimum and maximum are whole numbers") % {"where": where})
        if None not in bounds and bounds[0] > bounds[1]:
            raise DefinitionError(_("%(where)s: the minimum is above the maximum") % {"where": where})
    else:
        if "minimum" in item or "maximum" in item:
            raise DefinitionError(_("%(where)s: only a number item has a minimum and maximum") % {"where": where})
        if not isinstance(options, list) or len(options) < 2:
            raise DefinitionError(_("%(where)s: at least two options are required") % {"where": where})
        for option in options:
            _keys(option, {"code", "label"}, f"{where}, option")
            _code(option.get("code"), f"{where}, option")
            if option["code"] == DECLINED:
                raise DefinitionError(_("%(where)s: the option code is reserved") % {"where": where})
            _texts(option.get("label"), f"{where}, option {option['code']}")
        _unique([option["code"] for option in options], where)
    condition = item.get("show_if")
    if condition is not None:
        _keys(condition, {"item", "any_of"}, f"{where}, show_if")
        earlier = options_of.get(condition.get("item"))
        chosen = condition.get("any_of")
        if not earlier or not isinstance(chosen, list) or not chosen or not set(chosen) <= set(earlier):
            raise DefinitionError(
                _("%(where)s: show_if must name options of an earlier choice item") % {"where": where}
            )
    options_of[code] = [option["code"] for option in options]


# Import and export --------------------------------------------------------------------------------------------


def parse(text: str) -> list[dict]:
    """The questionnaire versions in a YAML or JSON text: one, or a list under ``questionnaires``."""
    try:
        data = json.loads(text) if text.lstrip().startswith(("{", "[")) else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:
        raise DefinitionError(_("Not valid YAML or JSON: %(error)s") % {"error": error}) from error
    if isinstance(data, dict) and set(data) == {"questionnaires"} and isinstance(data["questionnaires"], list):
        return data["questionnaires"]
    return [data]


@transaction.atomic
def import_definition(data: dict) -> Version:
    """Create or replace a version from its definition; a frozen version only accepts its own definition again."""
    data = nfc(data)
    validate(data)
    questionnaire, _created = Questionnaire.objects.get_or_create(
        code=data["questionnaire"], defaults={"audience": data["audience"]}
    )
    if questionnaire.audience != data["audience"] and questionnaire.versions.filter(frozen=True).exists():
        raise DefinitionError(
            _("%(code)s is in use: who answers it cannot change; import it under a new code")
            % {"code": questionnaire.code}
        )
    questionnaire.title, questionnaire.audience = data["title"], data["audience"]
    version, created = Version.objects.select_for_update().get_or_create(
        questionnaire=questionnaire, number=data["version"]
    )
    if not created:
        if version.frozen:
            if export_definition(version) != data:
                raise DefinitionError(
                    _("%(version)s is in use and frozen: import it as a new version") % {"version": version}
                )
            return version
        version.modules.all().delete()
    questionnaire.save()
    items: dict[str, Item] = {}
    for module_position, module_data in enumerate(data["modules"]):
        module = Module.objects.create(
            version=version,
            code=module_data["code"],
            kind=module_data["kind"],
            position=module_position,
            title=module_data["title"],
        )
        for position, item_data in enumerate(module_data["items"]):
            item = items[item_data["code"]] = Item.objects.create(
                version=version,
                module=module,
                code=item_data["code"],
                kind=item_data["kind"],
                position=position,
                text=item_data["text"],
                minimum=item_data.get("minimum"),
                maximum=item_data.get("maximum"),
                show_if=item_data.get("show_if"),
            )
            Option.objects.bulk_create(
                Option(item=item, code=option["code"], position=index, label=option["label"])
                for index, option in enumerate(item_data.get("options", []))
            )
    for position, rule in enumerate(data.get("indicators", [])):
        indicator, _created = Indicator.objects.update_or_create(
            code=rule["code"], defaults={"title": rule["title"], "direction": rule.get("direction", "")}
        )
        IndicatorRule.objects.create(
            indicator=indicator,
            version=version,
            item=items[rule["item"]],
            position=position,
            numerator=rule["numerator"],
            denominator=rule.get("denominator", []),
        )
    return version


@transaction.atomic
def import_text(text: str, audience: str | None = None) -> list[Version]:
    """Every version in a YAML or JSON text, all or none (a file is reviewed as a whole); with ``audience``, only
    definitions that audience answers (a page that collects one way imports only its own)."""
    definitions = parse(text)
    for data in definitions:
        found = data.get("audience") if isinstance(data, dict) else None
        if audience and found in Questionnaire.Audience.values and found != audience:
            raise DefinitionError(
                _("%(code)s has audience: %(found)s; only definitions with audience: %(audience)s are imported here")
                % {"code": data.get("questionnaire"), "found": found, "audience": audience}
            )
    return [import_definition(data) for data in definitions]


def shipped() -> dict[str, Path]:
    """The definition files that come with Trygg (data/questionnaires/*.yaml), by file name."""
    return {path.name: path for path in sorted(SHIPPED.glob("*.yaml"))}


def shipped_for(audience: str) -> dict[str, list[dict]]:
    """The shipped files whose every definition ``audience`` answers, by file name, with their definitions."""
    files = {name: parse(path.read_text(encoding="utf-8")) for name, path in shipped().items()}
    return {
        name: definitions
        for name, definitions in files.items()
        if all(isinstance(data, dict) and data.get("audience") == audience for data in definitions)
    }


def export_definition(version: Version) -> dict:
    """The version as plain data, in the canonical form ``import_definition`` reads."""
    modules = []
    for module in version.modules.prefetch_related("items__options"):
        items = []
        for item in module.items.all():
            entry = {"code": item.code, "kind": item.kind, "text": item.text}
            if item.has_options:
                entry["options"] = [{"code": option.code, "label": option.label} for option in item.options.all()]
            for key in ("minimum", "maximum", "show_if"):
                if getattr(item, key) is not None:
                    entry[key] = getattr(item, key)
            items.append(entry)
        modules.append({"code": module.code, "kind": module.kind, "title": module.title, "items": items})
    data = {
        "questionnaire": version.questionnaire.code,
        "version": version.number,
        "title": version.questionnaire.title,
        "audience": version.questionnaire.audience,
        "modules": modules,
    }
    indicators = []
    for rule in version.indicator_rules.select_related("indicator", "item"):
        entry = {"code": rule.indicator.code, "title": rule.indicator.title}
        if rule.indicator.direction:
            entry["direction"] = rule.indicator.direction
        entry["item"] = rule.item.code
        entry["numerator"] = rule.numerator
        if rule.denominator:
            entry["denominator"] = rule.denominator
        indicators.append(entry)
    if indicators:
        data["indicators"] = indicators
    return data


def to_yaml(data: dict) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)


def freeze(version: Version) -> None:
    """Called by whatever starts collecting answers with the version: from now on it cannot change."""
    Version.objects.filter(pk=version.pk, frozen=False).update(frozen=True)
    version.frozen = True


def latest_version(code: str) -> Version | None:
    return Version.objects.filter(questionnaire__code=code).order_by("-number").first()


# Asking -------------------------------------------------------------------------------------------------------


def asked(item: Item, answers: dict) -> bool:
    """Skip logic: an item with a condition is asked only when the earlier answer meets it."""
    condition = item.show_if
    if not condition:
        return True
    answer = answers.get(condition["item"])
    chosen = set(answer) if isinstance(answer, list) else {answer}
    return bool(chosen & set(condition["any_of"]))


def pages(items: list[Item]) -> list[list[Item]]:
    """Short pages: a new page after ``ITEMS_PER_PAGE`` items, at a new module, and before a follow-up whose
    question is on the same page (so the follow-up can be shown or skipped without a script)."""
    result: list[list[Item]] = []
    for item in items:
        page = result[-1] if result else None
        follows = item.show_if and any(other.code == item.show_if["item"] for other in page or [])
        if page is None or len(page) >= ITEMS_PER_PAGE or page[-1].module_id != item.module_id or follows:
            result.append([item])
        else:
            page.append(item)
    return result


def read_answer(item: Item, values: list[str]):
    """One item's answer from form values: None when skipped, DECLINED, an option code, a list, a number or a text.

    Raises ValueError with a message for the person answering when the value cannot be an answer. A free text is
    returned as typed (stripped); screening it is the collecting app's business.
    """
    if item.kind == Item.Kind.TEXT:
        text = " ".join(values).strip()
        return text or None
    values = [value for value in values if value != ""]
    if not values:
        return None
    if DECLINED in values:
        return DECLINED
    if item.kind == Item.Kind.NUMBER:
        try:
            number = int(values[0])
        except ValueError:
            raise ValueError(_("Write a whole number, or skip the question.")) from None
        if (item.minimum is not None and number < item.minimum) or (item.maximum is not None and number > item.maximum):
            raise ValueError(
                _("Write a number from %(minimum)s to %(maximum)s.")
                % {"minimum": item.minimum, "maximum": item.maximum}
            )
        return number
    codes = {option.code for option in item.options.all()}
    if not set(values) <= codes:
        raise ValueError(_("Choose one of the answers shown."))
    if item.kind == Item.Kind.MULTIPLE:
        return sorted(set(values), key=[option.code for option in item.options.all()].index)
    if len(values) > 1:
        raise ValueError(_("Choose only one answer."))
    return values[0]
