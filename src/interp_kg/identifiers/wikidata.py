"""The Wikidata properties and items interp-kg uses, and nothing else.

Each was checked (Scholia, WikidataIntegrator and the QuickStatements source, as recorded in the
project's issue 5). Any other item (a venue, a topic) comes from a look-up that a person confirms in
``data/wikidata/mapping.json``, never from this module.
"""

from __future__ import annotations

from typing import Final

ENTITY: Final = "http://www.wikidata.org/entity/"
"""Namespace of Wikidata items (``wd:``)."""
DIRECT: Final = "http://www.wikidata.org/prop/direct/"
"""Namespace of Wikidata's direct ("truthy") properties (``wdt:``)."""
QUERY_SERVICE: Final = "https://query.wikidata.org/sparql"
"""The Wikidata Query Service, the default endpoint of ``interp-kg wikidata reconcile``."""

QID_PATTERN: Final = r"^Q[1-9][0-9]*$"

# -- identifier properties --------------------------------------------------------------------
ARXIV_ID: Final = "P818"  # bare, no version, no "arXiv:"
DOI: Final = "P356"  # stored upper-cased
OPENREVIEW_ID: Final = "P8968"  # the forum id
DBLP_ID: Final = "P8978"
SEMANTIC_SCHOLAR_ID: Final = "P4011"
SOURCE_CODE_REPOSITORY: Final = "P1324"  # a URL
OFFICIAL_WEBSITE: Final = "P856"
GITHUB_USERNAME: Final = "P2037"

# -- statements -------------------------------------------------------------------------------
INSTANCE_OF: Final = "P31"
TITLE: Final = "P1476"  # monolingual text
PUBLICATION_DATE: Final = "P577"
PUBLISHED_IN: Final = "P1433"
AUTHOR: Final = "P50"
AUTHOR_NAME_STRING: Final = "P2093"
SERIES_ORDINAL: Final = "P1545"
MAIN_SUBJECT: Final = "P921"
STATED_IN: Final = "P248"
REFERENCE_URL: Final = "P854"
RETRIEVED: Final = "P813"

# -- items ------------------------------------------------------------------------------------
SCHOLARLY_ARTICLE: Final = "Q13442814"
PREPRINT: Final = "Q580922"
CONFERENCE_PAPER: Final = "Q23927052"
SOFTWARE: Final = "Q7397"
FREE_SOFTWARE: Final = "Q341"
ARXIV: Final = "Q118398"
NEURIPS: Final = "Q1961016"  # the NeurIPS conference series

ARXIV_DOI_PREFIX: Final = "10.48550/ARXIV."


def entity(qid: str) -> str:
    """The IRI of item ``qid``: ``http://www.wikidata.org/entity/Q42``."""
    return ENTITY + qid


def qid_of(iri: str) -> str | None:
    """The QID of an item IRI, else None."""
    if iri.startswith(ENTITY):
        local = iri[len(ENTITY) :]
        if local[:1] == "Q" and local[1:].isdigit():
            return local
    return None


def arxiv_doi(arxiv_id: str) -> str:
    """The DOI arXiv registers for a paper, in Wikidata's upper-cased form.

    >>> arxiv_doi("2302.12461")
    '10.48550/ARXIV.2302.12461'
    """
    return (ARXIV_DOI_PREFIX + arxiv_id).upper()
