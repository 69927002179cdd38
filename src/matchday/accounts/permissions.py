"""Moved to ``matchday.core.permissions`` (audits and notifications sit below accounts and
use them); this name stays only while branches of this wave still import it."""

from matchday.core.permissions import (  # noqa: F401
    NOT_A_CANDIDATE,
    NOT_A_COMPANY_MEMBER,
    NOT_A_PARTNER,
    NOT_YOUR_COMPANY,
    NOT_YOUR_PROFILE,
    ensure_can_edit_profile,
    ensure_can_edit_role,
    ensure_can_view_company,
    ensure_candidate,
    ensure_company_member,
    ensure_member_of,
    ensure_partner,
)
