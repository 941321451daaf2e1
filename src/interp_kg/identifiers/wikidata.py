"""The Wikidata properties and items interp-kg uses, and nothing else.

Each id below was checked (Scholia, WikidataIntegrator and the QuickStatements source, as recorded
in the project's issue 5) and is listed in :data:`VERIFIED`. Nothing else may reach a batch an
editor runs: the ids a statement would need but that could not be checked yet are in
:data:`UNVERIFIED`, with the role they would play; every statement needing one is left out of the
batch and counted (``interp-kg wikidata quickstatements`` names it on stderr). A maintainer who
checks one moves it into the constants and :data:`VERIFIED` with where it was checked.

Any other item (a venue, a proceedings volume, a topic, a person) comes from a look-up that a
person confirms in ``data/wikidata/mapping.json``, never from this module.

The namespaces are those of Wikidata's RDF dump format (``wd:``, ``wdt:``, ``p:``, ``ps:``,
``pq:``, ``pr:``, ``wikibase:``...), used by ``export --profile wikidata``.
"""

from __future__ import annotations

from typing import Final

ENTITY: Final = "http://www.wikidata.org/entity/"
"""Namespace of Wikidata items (``wd:``)."""
DIRECT: Final = "http://www.wikidata.org/prop/direct/"
"""Namespace of Wikidata's direct ("truthy") properties (``wdt:``)."""
PROP: Final = "http://www.wikidata.org/prop/"
"""``p:``: from an item to its statement nodes."""
STATEMENT: Final = "http://www.wikidata.org/prop/statement/"
"""``ps:``: from a statement node to its simple value."""
STATEMENT_VALUE: Final = "http://www.wikidata.org/prop/statement/value/"
"""``psv:``: from a statement node to its full value node (time values)."""
QUALIFIER: Final = "http://www.wikidata.org/prop/qualifier/"
"""``pq:``: from a statement node to a qualifier's simple value."""
REFERENCE: Final = "http://www.wikidata.org/prop/reference/"
"""``pr:``: from a reference node to a reference value."""
REFERENCE_VALUE: Final = "http://www.wikidata.org/prop/reference/value/"
"""``prv:``: from a reference node to a full value node (time values)."""
WIKIBASE: Final = "http://wikiba.se/ontology#"
"""``wikibase:``: the Wikibase ontology (Statement, Reference, TimeValue, rank...)."""
PROV: Final = "http://www.w3.org/ns/prov#"
"""``prov:``: statements point to their references with ``prov:wasDerivedFrom``."""
GREGORIAN: Final = "http://www.wikidata.org/entity/Q1985727"
"""The calendar model of time values in Wikidata's RDF (proleptic Gregorian calendar). Used only
in the RDF dump, never in a batch; known from the RDF format, not by a recorded check (see
:data:`UNVERIFIED`)."""
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

_ISSUE_5 = "issue 5: checked in Scholia, WikidataIntegrator and the QuickStatements source"
VERIFIED: Final[dict[str, str]] = {
    ARXIV_ID: f"arXiv ID ({_ISSUE_5})",
    DOI: f"DOI, stored upper-cased ({_ISSUE_5})",
    OPENREVIEW_ID: f"OpenReview.net submission ID ({_ISSUE_5})",
    DBLP_ID: f"DBLP publication ID ({_ISSUE_5})",
    SEMANTIC_SCHOLAR_ID: f"Semantic Scholar paper ID ({_ISSUE_5})",
    SOURCE_CODE_REPOSITORY: f"source code repository URL ({_ISSUE_5})",
    OFFICIAL_WEBSITE: f"official website ({_ISSUE_5})",
    GITHUB_USERNAME: f"GitHub username ({_ISSUE_5})",
    INSTANCE_OF: f"instance of ({_ISSUE_5})",
    TITLE: f"title, monolingual text ({_ISSUE_5})",
    PUBLICATION_DATE: f"publication date ({_ISSUE_5})",
    PUBLISHED_IN: f"published in ({_ISSUE_5})",
    AUTHOR: f"author ({_ISSUE_5})",
    AUTHOR_NAME_STRING: f"author name string ({_ISSUE_5})",
    SERIES_ORDINAL: f"series ordinal ({_ISSUE_5})",
    MAIN_SUBJECT: f"main subject ({_ISSUE_5})",
    STATED_IN: f"stated in ({_ISSUE_5})",
    REFERENCE_URL: f"reference URL ({_ISSUE_5})",
    RETRIEVED: f"retrieved ({_ISSUE_5})",
    SCHOLARLY_ARTICLE: f"scholarly article ({_ISSUE_5})",
    PREPRINT: f"preprint ({_ISSUE_5})",
    CONFERENCE_PAPER: f"conference paper ({_ISSUE_5})",
    SOFTWARE: f"software ({_ISSUE_5})",
    FREE_SOFTWARE: f"free software ({_ISSUE_5})",
    ARXIV: f"arXiv, the database item of S248 ({_ISSUE_5})",
    NEURIPS: f"the NeurIPS conference series ({_ISSUE_5})",
}
"""Every id a batch may use, with what it is and where it was checked."""

# -- roles whose id is not verified -----------------------------------------------------------
#: Roles a statement would need an id for, that no recorded check covers: role -> (the id a
#: session believed it to be, or None when none is known; what it is for). The belief is unchecked:
#: :func:`role_id` gives the id only once a maintainer has checked it on Wikidata and added it to
#: :data:`VERIFIED` with where it was checked. Until then every statement needing the role is left
#: out of every batch and counted.
STATED_AS: Final = "stated as"
BLOG_POST: Final = "blog post"
VIDEO: Final = "video"
TUTORIAL: Final = "tutorial"
ACL_ANTHOLOGY_ID: Final = "ACL Anthology ID"
PMLR_ID: Final = "PMLR ID"
YOUTUBE_VIDEO_ID: Final = "YouTube video ID"
EDITION_OF: Final = "edition of"
OPENREVIEW: Final = "OpenReview"
ACL_ANTHOLOGY: Final = "ACL Anthology"
UNVERIFIED: Final[dict[str, tuple[str | None, str]]] = {
    STATED_AS: (
        "P1932",
        "qualifier of P50: the name as the byline writes it ('object named as', formerly 'stated as')",
    ),
    BLOG_POST: (
        "Q17928402",
        "class (P31) of blog and forum posts (LessWrong, Alignment Forum, transformer-circuits.pub)",
    ),
    VIDEO: (None, "class (P31) of talks and videos"),
    TUTORIAL: (None, "class (P31) of tutorials"),
    ACL_ANTHOLOGY_ID: (None, "external-identifier property of ACL Anthology paper ids"),
    PMLR_ID: (None, "external-identifier property of PMLR paper ids (there may be none)"),
    YOUTUBE_VIDEO_ID: ("P1651", "external-identifier property of YouTube video ids (look-up and statement)"),
    EDITION_OF: (
        "P629",
        "the link from a venue version to its preprint ('edition or translation of'; the reverse, "
        "'has edition or translation', believed P747); WikiProject Source Metadata's advice not re-read",
    ),
    OPENREVIEW: (None, "S248 item of facts read on openreview.net"),
    ACL_ANTHOLOGY: (None, "S248 item of facts read on aclanthology.org"),
}


def role_id(role: str) -> str | None:
    """The id of an :data:`UNVERIFIED` role once it is verified (in :data:`VERIFIED`), else None.

    >>> role_id(STATED_AS) is None
    True
    """
    believed = UNVERIFIED[role][0]
    return believed if believed is not None and believed in VERIFIED else None


def verified(pid_or_qid: str) -> bool:
    """Whether ``pid_or_qid`` was checked (is in :data:`VERIFIED`).

    >>> verified("P818"), verified("P1932")
    (True, False)
    """
    return pid_or_qid in VERIFIED


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
