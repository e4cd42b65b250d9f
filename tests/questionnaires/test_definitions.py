"""Questionnaire definitions: the standard file loads, and YAML/JSON import and export round-trip exactly."""

import io
import json
import unicodedata

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trygg.questionnaires import services
from trygg.questionnaires.models import DECLINED, Item, Version
from trygg.youth.demo import STANDARD

pytestmark = pytest.mark.django_db

codes = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
texts = st.dictionaries(
    st.sampled_from(["nb", "nn", "en", "se", "pl"]),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), min_size=1, max_size=30)
    .map(lambda text: unicodedata.normalize("NFC", text))
    .filter(str.strip),
    min_size=1,
    max_size=3,
)


@st.composite
def definitions(draw):
    """Any valid definition in canonical form: unique codes, options where they belong, conditions on earlier items."""
    item_codes = draw(st.lists(codes, min_size=1, max_size=8, unique=True))
    module_codes = draw(st.lists(codes, min_size=1, max_size=3, unique=True))
    kinds = st.sampled_from(["core", "theme", "own"])
    modules = [{"code": code, "kind": draw(kinds), "title": draw(texts), "items": []} for code in module_codes]
    choice_items = []
    for index, code in enumerate(item_codes):
        kind = draw(st.sampled_from(["single", "multiple", "likert", "number", "text"]))
        item = {"code": code, "kind": kind, "text": draw(texts)}
        if kind == "number":
            low = draw(st.one_of(st.none(), st.integers(-5, 5)))
            high = draw(st.one_of(st.none(), st.integers(5, 100)))
            if low is not None:
                item["minimum"] = low
            if high is not None:
                item["maximum"] = high
        elif kind != "text":
            option_codes = draw(st.lists(codes, min_size=2, max_size=5, unique=True))
            item["options"] = [{"code": option, "label": draw(texts)} for option in option_codes]
        if choice_items and draw(st.booleans()):
            earlier = draw(st.sampled_from(choice_items))
            item["show_if"] = {"item": earlier["code"], "any_of": [earlier["options"][0]["code"]]}
        if kind not in ("number", "text"):
            choice_items.append(item)
        target = modules[min(index * len(modules) // len(item_codes), len(modules) - 1)]
        target["items"].append(item)
    modules = [module for module in modules if module["items"]]
    data = {
        "questionnaire": draw(codes),
        "version": draw(st.integers(1, 50)),
        "title": draw(texts),
        "audience": draw(st.sampled_from(["municipality", "pupils"])),
        "modules": modules,
    }
    if choice_items:
        indicators = []
        for code in draw(st.lists(codes, max_size=3, unique=True)):
            item = draw(st.sampled_from(choice_items))
            option_codes = [option["code"] for option in item["options"]]
            entry = {"code": code, "title": draw(texts), "item": item["code"], "numerator": option_codes[:1]}
            if draw(st.booleans()):
                entry["denominator"] = option_codes
            indicators.append(entry)
        if indicators:
            data["indicators"] = indicators
    return data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=definitions())
def test_import_then_export_gives_the_same_definition(data):
    version = services.import_definition(data)
    assert services.export_definition(version) == data
    assert services.parse(services.to_yaml(data)) == [data]
    assert services.parse(json.dumps(data)) == [data]


def test_the_standard_file_loads_three_levels_and_exports_as_it_reads():
    definitions = services.parse(STANDARD.read_text(encoding="utf-8"))
    assert [d["questionnaire"] for d in definitions] == ["ung-ungdomsskole", "ung-vgs", "ung-barneskole"]
    for data in definitions:
        version = services.import_definition(data)
        assert services.export_definition(version) == data
        for item in version.items.all():
            assert {"nb", "nn", "en"} <= item.text.keys(), item.code
    junior = Version.objects.get(questionnaire__code="ung-barneskole")
    assert set(junior.modules.values_list("kind", flat=True)) == {"core"}
    lower, upper = (Version.objects.get(questionnaire__code=code) for code in ("ung-ungdomsskole", "ung-vgs"))
    core = [services.export_definition(v)["modules"][0] for v in (lower, upper)]
    assert core[0] == core[1], "the secondary levels share their core word for word"


def test_the_command_exports_yaml_and_json_that_import_to_the_same(tmp_path):
    call_command("questionnaire", "import", str(STANDARD), stdout=io.StringIO())
    for fmt in ("yaml", "json"):
        out = io.StringIO()
        call_command("questionnaire", "export", "ung-vgs", "1", "--format", fmt, stdout=out)
        text = out.getvalue()
        (tmp_path / f"vgs.{fmt}").write_text(text, encoding="utf-8")
        call_command("questionnaire", "import", str(tmp_path / f"vgs.{fmt}"), stdout=io.StringIO())
        again = io.StringIO()
        call_command("questionnaire", "export", "ung-vgs", "1", "--format", fmt, stdout=again)
        assert again.getvalue() == text
    assert yaml.safe_load((tmp_path / "vgs.yaml").read_text()) == json.loads((tmp_path / "vgs.json").read_text())


def test_a_frozen_version_takes_only_its_own_definition(tmp_path):
    data = services.parse(STANDARD.read_text(encoding="utf-8"))[2]
    version = services.import_definition(data)
    services.freeze(version)
    assert services.import_definition(data) == version
    changed = json.loads(json.dumps(data))
    changed["modules"][0]["items"][1]["text"]["nb"] = "Endret ordlyd"
    with pytest.raises(services.DefinitionError, match="v1"):
        services.import_definition(changed)
    (tmp_path / "changed.json").write_text(json.dumps(changed))
    with pytest.raises(CommandError, match="v1"):
        call_command("questionnaire", "import", str(tmp_path / "changed.json"), stdout=io.StringIO())
    changed["version"] = 2
    assert services.import_definition(changed).number == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["modules"][0]["items"][0].update(show_if={"item": "later", "any_of": ["x"]}), "show_if"),
        (lambda d: d["modules"][0]["items"][0]["options"].pop(), "two options"),
        (lambda d: d["modules"][0]["items"][0].update(kind="slider"), "kind"),
        (lambda d: d["modules"][0]["items"][0].update(text={"nb": " "}), "empty"),
        (lambda d: d["modules"][0]["items"][0].update(text={"Norsk!": "x"}), "language"),
        (lambda d: d["indicators"][0].update(numerator=["nope"]), "numerator"),
        (lambda d: d["modules"][0]["items"][0]["options"][0].update(code=DECLINED), "code"),
        (lambda d: d.update(extra=1), "unknown keys"),
        (lambda d: d["modules"][0]["items"][0].update(kind="text"), "text item has no options"),
        (lambda d: d.pop("audience"), "audience"),
        (lambda d: d.update(audience="parents"), "audience"),
    ],
)
def test_invalid_definitions_are_refused_with_where(change, message):
    data = {
        "questionnaire": "q",
        "version": 1,
        "title": {"nb": "Q"},
        "audience": "municipality",
        "modules": [{"code": "m", "kind": "core", "title": {"nb": "M"}, "items": [
            {"code": "a", "kind": "single", "text": {"nb": "A?"},
             "options": [{"code": "y", "label": {"nb": "Ja"}}, {"code": "n", "label": {"nb": "Nei"}}]}]}],
        "indicators": [{"code": "i", "title": {"nb": "I"}, "item": "a", "numerator": ["y"]}],
    }  # fmt: skip
    services.validate(data)
    change(data)
    with translation.override("en"), pytest.raises(services.DefinitionError, match=message):
        services.validate(data)


def test_skip_logic_and_pages():
    version = services.import_definition(services.parse(STANDARD.read_text(encoding="utf-8"))[0])
    items = list(version.items.select_related("module"))
    follow_up = next(item for item in items if item.code == "drunk_where")
    assert not services.asked(follow_up, {"drunk": "never"})
    assert not services.asked(follow_up, {"drunk": DECLINED})
    assert services.asked(follow_up, {"drunk": "once"})
    pages = services.pages(items)
    page_of = {item.code: index for index, page in enumerate(pages) for item in page}
    assert page_of["drunk_where"] > page_of["drunk"]
    assert all(len(page) <= services.ITEMS_PER_PAGE for page in pages)
    assert all(len({item.module_id for item in page}) == 1 for page in pages)
    number = Item.objects.get(version=version, code="close_friends")
    assert services.read_answer(number, ["7"]) == 7
    assert services.read_answer(number, []) is None
    assert services.read_answer(number, [DECLINED]) == DECLINED
    with pytest.raises(ValueError):
        services.read_answer(number, ["51"])


def test_a_free_text_answer_is_read_as_typed():
    data = {
        "questionnaire": "fritekst",
        "version": 1,
        "title": {"nb": "Fritekst"},
        "audience": "municipality",
        "modules": [{"code": "m", "kind": "own", "title": {"nb": "M"}, "items": [
            {"code": "notes", "kind": "text", "text": {"nb": "Noe mer?"}}]}],
    }  # fmt: skip
    version = services.import_definition(data)
    assert services.export_definition(version) == data
    item = version.items.get()
    assert services.read_answer(item, ["  Mer lys i parken  "]) == "Mer lys i parken"
    assert services.read_answer(item, [" "]) is None
