"""``python -m matchday.engine curate RUN_INPUT.json``: a whole curation run, replayable.

Reads a run input (the score input of ``schemas/score-input.schema.json`` with its
``curation`` object: policy, caps, per-id caps, excluded pairs, top-k), runs the same
pipeline as the web app's curation task (:func:`matchday.engine.pipeline.curate`) and
writes the proposals with their numbers, ranks and explanations (``kind: "curation"``,
``docs/engine-format.md``). The web app stores the input and the output of every run:
replaying the input gives the stored output byte for byte (with ``--taxonomy`` naming the
taxonomy the run used, when partners had changed it: the app offers it beside the input).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from matchday.engine.cli_score import parse_input
from matchday.engine.io import EngineInputError, input_hash, read_json, write_json
from matchday.engine.pipeline import CurationOptions, curate
from matchday.engine.taxonomy import Taxonomy, load_taxonomy

__all__ = ["add_parser", "curate_document", "run"]

NO_CURATION = "the input has no 'curation' object: it is a score input, not a run input"


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "curate",
        help="score, allocate and explain a whole Match Day run (replays a stored run)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("input", metavar="RUN_INPUT.json")
    parser.add_argument(
        "--taxonomy",
        metavar="TAXONOMY.json",
        help="the taxonomy the run used (default: the shipped data file); the web app offers "
        "it beside a run's input once partners have changed the taxonomy",
    )
    parser.add_argument("-o", "--output", metavar="OUT.json", help="default: stdout")
    parser.set_defaults(func=run)


def curate_document(
    doc: Any, *, taxonomy: Taxonomy | None = None, encoder: Any = None
) -> dict[str, Any]:
    """The ``curation`` output document of a run input document (what the CLI writes)."""
    if not isinstance(doc, dict) or "curation" not in doc:
        raise EngineInputError(NO_CURATION)
    tax = taxonomy or load_taxonomy()
    enc = encoder
    if enc is None:
        from matchday.engine.encoder import get_encoder

        enc = get_encoder()
    candidates, roles, rates, weights = parse_input(doc, tax)
    options = CurationOptions.from_dict(doc["curation"])
    result = curate(
        candidates,
        roles,
        taxonomy=tax,
        rates=rates,
        options=options,
        weights=weights,
        encoder=enc,
    )
    return result.to_dict(
        input_hash=input_hash(doc),
        encoder=str(getattr(enc, "name", type(enc).__name__)),
        taxonomy_version=str(getattr(tax, "version", "")),
    )


def run(args: argparse.Namespace) -> int:
    taxonomy = load_taxonomy(args.taxonomy) if getattr(args, "taxonomy", None) else None
    out = curate_document(read_json(args.input), taxonomy=taxonomy)
    if args.output and args.output != "-":
        with open(args.output, "wb") as fh:
            write_json(out, fh)
    else:
        write_json(out, sys.stdout)
    return 0
