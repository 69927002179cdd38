"""Talent partners' private notes on candidates: ``/candidates/{id}/notes`` and
``/partner-notes/{id}``. Partners only (403 for everybody else); never part of what a company
or a candidate reads, except the candidate's own data export."""

from __future__ import annotations

from ninja import Query, Router, Status

from matchday.api.schemas import (
    PageParams,
    PartnerNoteIn,
    PartnerNoteOut,
    PartnerNotePatch,
    page_schema,
    paginate,
    responses,
)
from matchday.talent import selectors
from matchday.talent import services as talent

router = Router(tags=["partner notes"])
PartnerNotePage = page_schema(PartnerNoteOut, "PartnerNotePage")


@router.get(
    "/candidates/{profile_id}/notes",
    response=responses(PartnerNotePage),
    summary="Partners' notes on a candidate, newest first",
)
def list_partner_notes(request, profile_id: int, page: Query[PageParams]):
    profile = selectors.profile_for_partner(user=request.auth, profile_id=profile_id)
    return paginate(selectors.notes_for_partner(user=request.auth, profile_id=profile.pk), page)


@router.post(
    "/candidates/{profile_id}/notes",
    response=responses(PartnerNoteOut, 201, body=True),
    summary="Add a note on a candidate's goals",
)
def create_partner_note(request, profile_id: int, payload: PartnerNoteIn):
    profile = selectors.profile_for_partner(user=request.auth, profile_id=profile_id)
    note = talent.partner_note_add(
        profile=profile, by=request.auth, topic=payload.topic, body=payload.body
    )
    return Status(201, selectors.note_for_partner(user=request.auth, note_id=note.pk))


@router.patch(
    "/partner-notes/{note_id}",
    response=responses(PartnerNoteOut, body=True),
    summary="Edit a partner note",
)
def update_partner_note(request, note_id: int, payload: PartnerNotePatch):
    note = selectors.note_for_partner(user=request.auth, note_id=note_id)
    talent.partner_note_update(note=note, by=request.auth, **payload.dict(exclude_unset=True))
    return selectors.note_for_partner(user=request.auth, note_id=note_id)


@router.delete(
    "/partner-notes/{note_id}", response=responses(None, 204), summary="Delete a partner note"
)
def delete_partner_note(request, note_id: int):
    note = selectors.note_for_partner(user=request.auth, note_id=note_id)
    talent.partner_note_delete(note=note, by=request.auth)
    return Status(204, None)
