from django import template

from matchday.audits.forms import target_label as _target_label

register = template.Library()


@register.filter
def target_label(target_type: str) -> str:
    """``"matchdays.proposal"`` -> ``"Proposal"``."""
    return _target_label(target_type)
