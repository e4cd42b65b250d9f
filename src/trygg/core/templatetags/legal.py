"""``{% report_exemption as notice %}``: core's legal notice for situation reports, for any app's template."""

from django import template

from trygg.core import legal

register = template.Library()


@register.simple_tag
def report_exemption() -> legal.Notice:
    return legal.report_exemption()
