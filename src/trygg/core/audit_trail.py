"""The audit trail as people read it: who did what to which object, in words, and which entries concern a place.

django-auditlog stores field names and raw values ("needs_hotel: True → False"); an administrator answering an
inspection needs "Trenger hotellrom: ja → nei". The wording lives here, at reading time, so it can improve without
touching what was recorded.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from auditlog.models import LogEntry
from dateutil import parser as date_parser
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from .documents import Sheet
from .models import AuditEntry, Municipality

ACTIONS = {
    LogEntry.Action.CREATE: _("created"),
    LogEntry.Action.UPDATE: _("changed"),
    LogEntry.Action.DELETE: _("deleted"),
    LogEntry.Action.ACCESS: _("read"),
}
EMPTY = "–"
LONGEST_VALUE = 160
_SOURCE = re.compile(r"^(?P<method>[A-Z]+) (?P<path>\S+)(?: \((?P<view>[^)]*)\))?$")


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Line:
    """One entry as shown: the action in words, the object (linked while it exists), and each changed field."""

    entry: AuditEntry
    action: str
    kind: str
    url: str | None
    source: str
    changes: list[Change] = field(default_factory=list)

    @property
    def technical(self) -> str:
        address = f" · {self.entry.remote_addr}" if self.entry.remote_addr else ""
        return f"{self.entry.source}{address}"


def filter_entries(entries, data: dict):
    """The entries matching an administrator's filter: person, municipality, kind of object, object, action, period."""
    if data.get("person"):
        words = data["person"].split()
        for word in words:
            entries = entries.filter(
                Q(actor__username__icontains=word)
                | Q(actor__first_name__icontains=word)
                | Q(actor__last_name__icontains=word)
            )
    if data.get("municipality"):
        entries = entries.filter(concerning(data["municipality"]))
    if data.get("kind"):
        entries = entries.filter(content_type=data["kind"])
    if data.get("q"):
        entries = entries.filter(object_repr__icontains=data["q"])
    if data.get("action") is not None:
        entries = entries.filter(action=data["action"])
    zone = timezone.get_current_timezone()
    if data.get("date_from"):
        entries = entries.filter(timestamp__gte=datetime.combine(data["date_from"], time.min, zone))
    if data.get("date_to"):
        entries = entries.filter(timestamp__lte=datetime.combine(data["date_to"], time.max, zone))
    return entries


def concerning(municipality: Municipality) -> Q:
    """Entries about the municipality or an object tied to it, directly or through one link (a report's measures).

    Found from the models themselves (every foreign key or many-to-many to Municipality), so a new app's objects
    are covered without registering anything.
    """
    from django.contrib.contenttypes.models import ContentType

    condition = Q(content_type=ContentType.objects.get_for_model(Municipality), object_id=municipality.pk)
    for model in apps.get_models():
        lookups = _paths_to_municipality(model)
        if not lookups:
            continue
        ids = model._base_manager.filter(_any(**dict.fromkeys(lookups, municipality))).values("pk")
        condition |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)
    return condition


def _any(**lookups) -> Q:
    condition = Q()
    for lookup, value in lookups.items():
        condition |= Q(**{lookup: value})
    return condition


def _links_to_municipality(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if (f.many_to_one or f.many_to_many) and not f.auto_created and f.related_model is Municipality
    ]


def _paths_to_municipality(model) -> list[str]:
    """Lookups from ``model`` to Municipality; none for models whose id is not a number (the trail keys entries
    by number in ``object_id``; such models are machinery, e.g. background jobs)."""
    if model is Municipality or model is AuditEntry or not isinstance(model._meta.pk, models.IntegerField):
        return []
    paths = _links_to_municipality(model)
    for f in model._meta.get_fields():
        if f.many_to_one and not f.auto_created and f.related_model not in (None, Municipality):
            paths += [f"{f.name}__{name}" for name in _links_to_municipality(f.related_model)]
    return paths


def readable(entries) -> list[Line]:
    """The entries as lines; objects are fetched once per kind for their links and for the related objects their
    changes name, never once per entry."""
    entries = list(entries)
    names = _related_names(entries)
    wanted: dict = {}
    for entry in entries:
        if entry.action != LogEntry.Action.DELETE and entry.object_id is not None and entry.content_type_id:
            wanted.setdefault(entry.content_type, set()).add(entry.object_id)
    found = {}
    for content_type, ids in wanted.items():
        model = content_type.model_class()
        if model is not None and hasattr(model, "get_absolute_url"):
            for pk, instance in model._base_manager.in_bulk(ids).items():
                found[(content_type.pk, pk)] = instance.get_absolute_url()
    return [
        Line(
            entry=entry,
            action=str(ACTIONS.get(entry.action, entry.get_action_display())),
            kind=str(entry.content_type.name).capitalize() if entry.content_type_id else "",
            url=found.get((entry.content_type_id, entry.object_id)),
            source=source_label(entry.source),
            changes=changes(entry, names),
        )
        for entry in entries
    ]


def _foreign_keys(entry: AuditEntry):
    """(field, value) of every foreign key the entry's changes name."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    for name, values in (entry.changes_dict or {}).items():
        model_field = _field(model, name)
        if isinstance(model_field, models.ForeignKey) and isinstance(values, list | tuple):
            yield from ((model_field, value) for value in values[:2])


def _related_names(entries) -> dict:
    """{(related model, pk): name} for the foreign keys the entries' changes name, one query per kind of object."""
    wanted: dict = {}
    for entry in entries:
        for model_field, value in _foreign_keys(entry):
            key = _related_key(model_field, value)
            if key is not None:
                wanted.setdefault(key[0], set()).add(key[1])
    names = {}
    for model, pks in wanted.items():
        for pk, instance in model._base_manager.in_bulk(pks).items():
            names[(model, pk)] = str(instance)
    return names


def _related_key(model_field, value):
    """(related model, primary key) for a stored foreign-key value, or None when it cannot be one."""
    model = model_field.related_model
    try:
        pk = model._meta.pk.to_python(value)
    except ValidationError:
        return None
    return None if pk in (None, "", "None") else (model, pk)


def source_label(source: str) -> str:
    """Where the action came from, as a person says it: "Kartlegging (nettsiden)", "API", "system"."""
    match = _SOURCE.match(source or "")
    if not match:
        return source or str(_("the system"))
    if match["path"].startswith("/api/"):
        return str(_("the API"))
    namespace = (match["view"] or "").partition(":")[0]
    try:
        area = apps.get_app_config(namespace).verbose_name if namespace else ""
    except LookupError:
        area = ""
    return f"{area} ({_('web page')})" if area else str(_("web page"))


def changes(entry: AuditEntry, names: dict | None = None) -> list[Change]:
    """One change per field; a created object shows only its values, with nothing "before". ``names`` holds the
    related objects' names fetched beforehand (``_related_names``); without it each is looked up on its own."""
    model = entry.content_type.model_class() if entry.content_type_id else None
    created = entry.action == LogEntry.Action.CREATE
    lines = []
    for name, values in (entry.changes_dict or {}).items():
        model_field = _field(model, name)
        if _self_evident(model_field):
            continue
        label = str(model_field.verbose_name).capitalize() if model_field is not None else name
        if isinstance(values, dict) and values.get("type") == "m2m":
            sign = "+" if values.get("operation") == "add" else "−"
            lines.append(Change(label, "", ", ".join(f"{sign} {item}" for item in values.get("objects", []))))
            continue
        old, new = [*values, None, None][:2]
        before = "" if created else display_value(model_field, old, names)
        lines.append(Change(label, before, display_value(model_field, new, names)))
    return lines


def _self_evident(model_field) -> bool:
    """The id, automatic timestamps and reverse relations: the entry's own object and time say them already."""
    return model_field is not None and (
        not model_field.concrete
        or model_field.primary_key
        or getattr(model_field, "auto_now", False)
        or getattr(model_field, "auto_now_add", False)
    )


def _field(model, name):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def display_value(model_field, value, names: dict | None = None) -> str:
    """A stored value as the user saw it in the form: choice labels, yes/no, Norwegian dates, related objects' names
    (from ``names`` when given, where a missing one was deleted)."""
    if value in (None, "", "None"):
        return EMPTY
    if model_field is None:
        return str(value)
    choices = dict(model_field.flatchoices) if model_field.choices else {}
    if choices:
        return str(choices.get(value, choices.get(_as_int(value), value)))
    if isinstance(model_field, models.ForeignKey):
        if names is not None:
            return names.get(_related_key(model_field, value), str(value))
        related = model_field.related_model._base_manager.filter(pk=_as_int(value)).first()
        return str(related) if related is not None else str(value)
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if str(value) == "True" else _("no"))
    if isinstance(model_field, models.DateTimeField | models.DateField):
        try:
            moment = date_parser.parse(str(value))
        except (ValueError, OverflowError):
            return str(value)
        if isinstance(model_field, models.DateTimeField):
            # auditlog stores the UTC time, without its zone
            moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)
            return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
        return formats.date_format(moment.date(), "SHORT_DATE_FORMAT")
    text = str(value)
    return text if len(text) <= LONGEST_VALUE else text[: LONGEST_VALUE - 1] + "…"


def _as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def export_sheet(lines: list[Line]) -> Sheet:
    """The filtered trail for an inspection: one row per changed field, as on the page, with the technical source."""
    rows = []
    for line in lines:
        base = [
            timezone.localtime(line.entry.timestamp).replace(tzinfo=None),
            str(line.entry.actor or _("the system")),
            line.action,
            line.kind,
            line.entry.object_repr,
        ]
        for change in line.changes or [Change("", "", "")]:
            rows.append([*base, change.label, change.old, change.new, line.source, line.technical])
    header = [
        _("Time"),
        _("User"),
        _("Action"),
        _("Kind"),
        _("Object"),
        _("Field"),
        _("Before"),
        _("After"),
        _("From"),
        _("Technical source"),
    ]
    return Sheet(title=str(_("Audit trail")), header=[str(h) for h in header], rows=rows)
