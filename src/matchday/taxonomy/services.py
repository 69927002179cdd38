"""Keep the Skill table in step with the engine's taxonomy file."""

from __future__ import annotations

from django.db import transaction

from matchday.taxonomy.models import Skill


@transaction.atomic
def taxonomy_sync() -> tuple[int, int, int]:
    """Upsert every taxonomy skill; mark skills no longer in the file as retired.

    Returns ``(created, updated, retired)``.
    """
    from matchday.engine.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    existing = {s.id: s for s in Skill.objects.all()}
    to_create, to_update = [], []
    for sk in taxonomy.skills:
        fields = {
            "label": sk.label,
            "category": sk.category,
            "aliases": list(sk.aliases),
            "parents": list(sk.parents),
            "esco_uri": sk.esco_uri or "",
            "retired": False,
        }
        row = existing.pop(sk.id, None)
        if row is None:
            to_create.append(Skill(id=sk.id, **fields))
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(row, k, v)
            to_update.append(row)
    Skill.objects.bulk_create(to_create, batch_size=500)
    Skill.objects.bulk_update(
        to_update,
        ["label", "category", "aliases", "parents", "esco_uri", "retired"],
        batch_size=500,
    )
    retired = Skill.objects.filter(pk__in=list(existing), retired=False).update(retired=True)
    return len(to_create), len(to_update), retired


def sync_after_migrate(**kwargs) -> None:
    using = kwargs.get("using", "default")
    if using == "default":
        taxonomy_sync()
