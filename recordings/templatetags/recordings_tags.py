"""The case panel asks "was there permission?" of recordings' selectors (the case page has only ``case``)."""

from django import template

from ..selectors import case_permission_answer

register = template.Library()


@register.simple_tag
def recording_permission_answer(case):
    return case_permission_answer(case=case)
