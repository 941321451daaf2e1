"""Our vocabulary, declared once: every class and predicate the graph emits, as IRI strings.

Each ``ikg:`` term here is declared in ``ontology/interp-kg.ttl`` with an ``rdfs:label`` and an
``rdfs:comment``; ``tests/test_ontology.py`` checks that, so no call site uses a bare IRI.
"""

from __future__ import annotations

from typing import Final

from interp_kg.rdf.prefixes import IKG, PREFIXES

RDF: Final = PREFIXES["rdf"]
RDFS: Final = PREFIXES["rdfs"]
SKOS: Final = PREFIXES["skos"]
XSD: Final = PREFIXES["xsd"]
DCTERMS: Final = PREFIXES["dcterms"]

# -- standard terms we emit -------------------------------------------------------------------
TYPE: Final = RDF + "type"
LABEL: Final = RDFS + "label"
PREF_LABEL: Final = SKOS + "prefLabel"
BROADER: Final = SKOS + "broader"
IN_SCHEME: Final = SKOS + "inScheme"
TOP_CONCEPT_OF: Final = SKOS + "topConceptOf"
CONCEPT: Final = SKOS + "Concept"
CONCEPT_SCHEME: Final = SKOS + "ConceptScheme"
SOURCE: Final = DCTERMS + "source"
HISTORY_NOTE: Final = SKOS + "historyNote"

# -- persistent IRIs: a replaced IRI stays resolvable (see interp_kg.catalog.persist) -----------
OWL_SAME_AS: Final = PREFIXES["owl"] + "sameAs"
IS_REPLACED_BY: Final = DCTERMS + "isReplacedBy"

# -- links to Wikidata (see interp_kg.wikidata) --------------------------------------------------
SCHEMA: Final = PREFIXES["schema"]
SAME_AS: Final = SCHEMA + "sameAs"
EXACT_MATCH: Final = SKOS + "exactMatch"
CLOSE_MATCH: Final = SKOS + "closeMatch"

COMMENT: Final = RDFS + "comment"
SH: Final = PREFIXES["sh"]
SH_SELECT_EXECUTABLE: Final = SH + "SPARQLSelectExecutable"
SH_ASK_EXECUTABLE: Final = SH + "SPARQLAskExecutable"
SH_CONSTRUCT_EXECUTABLE: Final = SH + "SPARQLConstructExecutable"
SH_SELECT: Final = SH + "select"
SH_ASK: Final = SH + "ask"
SH_CONSTRUCT: Final = SH + "construct"

XSD_INTEGER: Final = XSD + "integer"
XSD_BOOLEAN: Final = XSD + "boolean"
XSD_DATE: Final = XSD + "date"
XSD_GYEARMONTH: Final = XSD + "gYearMonth"
XSD_GYEAR: Final = XSD + "gYear"

# -- classes ----------------------------------------------------------------------------------
WORK: Final = IKG + "Work"
PAPER: Final = IKG + "Paper"
TOOL: Final = IKG + "Tool"
TUTORIAL: Final = IKG + "Tutorial"
VIDEO: Final = IKG + "Video"
TOPIC: Final = IKG + "Topic"
VENUE: Final = IKG + "Venue"
AUTHOR: Final = IKG + "Author"
LISTING: Final = IKG + "Listing"
SOURCE_LIST: Final = IKG + "SourceList"

# -- work properties --------------------------------------------------------------------------
TOPIC_P: Final = IKG + "topic"
VENUE_P: Final = IKG + "venue"
YEAR: Final = IKG + "year"
FEATURED: Final = IKG + "featured"
PRESENTATION: Final = IKG + "presentation"
ALIAS: Final = IKG + "alias"
NOTE: Final = IKG + "note"
URL: Final = IKG + "url"
SUB_ENTRY_OF: Final = IKG + "subEntryOf"
SOFTWARE: Final = IKG + "software"
CODE_REPOSITORY: Final = IKG + "codeRepository"
LISTING_P: Final = IKG + "listing"

# -- identifiers (plain strings in canonical form) ---------------------------------------------
ARXIV_ID: Final = IKG + "arxivId"
DOI: Final = IKG + "doi"
OPENREVIEW_ID: Final = IKG + "openReviewId"
ACL_ANTHOLOGY_ID: Final = IKG + "aclAnthologyId"
GITHUB_REPOSITORY: Final = IKG + "githubRepository"
PMLR_ID: Final = IKG + "pmlrId"
NEURIPS_ID: Final = IKG + "neuripsId"
IEEE_XPLORE_ID: Final = IKG + "ieeeXploreId"
GOOGLE_SCHOLAR_ID: Final = IKG + "googleScholarId"
YOUTUBE_CHANNEL: Final = IKG + "youtubeChannel"
YOUTUBE_VIDEO_ID: Final = IKG + "youtubeVideoId"
LESSWRONG_POST_ID: Final = IKG + "lessWrongPostId"
LESSWRONG_SEQUENCE_ID: Final = IKG + "lessWrongSequenceId"

# -- authorship and bibliographic facts (curated: data/bibliography/, data/authors/) -------------
FOAF_PERSON: Final = PREFIXES["foaf"] + "Person"
SCHEMA_PERSON: Final = PREFIXES["schema"] + "Person"
ISSUED: Final = DCTERMS + "issued"
WAS_DERIVED_FROM: Final = PREFIXES["prov"] + "wasDerivedFrom"
AUTHORSHIP: Final = IKG + "Authorship"
AUTHOR_P: Final = IKG + "author"
AUTHORSHIP_P: Final = IKG + "authorship"
PERSON_P: Final = IKG + "person"
POSITION: Final = IKG + "position"
NAME_AS_WRITTEN: Final = IKG + "nameAsWritten"
AUTHOR_LIST_COMPLETE: Final = IKG + "authorListComplete"
DATE_SOURCE: Final = IKG + "dateSource"

# -- abstracts (fetched by `interp-kg enrich --abstracts` into the user's data, never bundled) ------
ABSTRACT: Final = DCTERMS + "abstract"
ABSTRACT_SOURCE: Final = IKG + "abstractSource"
ABSTRACT_RETRIEVED: Final = IKG + "abstractRetrieved"

# -- sort keys (integers: cheap to ORDER BY on a large on-disk store) ---------------------------
TITLE_ORDER: Final = IKG + "titleOrder"
LIST_ORDER: Final = IKG + "listOrder"
NAME_ORDER: Final = IKG + "nameOrder"

# -- venue properties -------------------------------------------------------------------------
VENUE_KIND: Final = IKG + "venueKind"
PEER_REVIEWED: Final = IKG + "peerReviewed"

# -- listing (provenance of one occurrence in a source list) ----------------------------------
SOURCE_FILE: Final = IKG + "sourceFile"
LINE: Final = IKG + "line"
SOURCE_TEXT: Final = IKG + "sourceText"
IN_LIST: Final = IKG + "inList"
HEADING_PATH: Final = IKG + "headingPath"

# -- saved queries, published as SHACL-SPARQL executables ------------------------------------
QUERY_PARAMETER: Final = IKG + "QueryParameter"
PARAMETER: Final = IKG + "parameter"
PARAMETER_NAME: Final = IKG + "parameterName"
PARAMETER_TYPE: Final = IKG + "parameterType"
REQUIRED: Final = IKG + "required"
DEFAULT_VALUE: Final = IKG + "defaultValue"

# -- changesets: what changed between two versions of a list (``interp-kg diff``) -------------
PROV: Final = PREFIXES["prov"]
PROV_ACTIVITY: Final = PROV + "Activity"
PROV_ENTITY: Final = PROV + "Entity"
PROV_USED: Final = PROV + "used"
IDENTIFIER: Final = DCTERMS + "identifier"

CHANGESET: Final = IKG + "Changeset"
CHANGE: Final = IKG + "Change"
CHANGE_P: Final = IKG + "change"
CHANGE_KIND: Final = IKG + "changeKind"
CHANGED_WORK: Final = IKG + "changedWork"
CHANGED_TOPIC: Final = IKG + "changedTopic"
PREVIOUS_WORK: Final = IKG + "previousWork"
PREVIOUS_TOPIC: Final = IKG + "previousTopic"
FROM_TOPIC: Final = IKG + "fromTopic"
TO_TOPIC: Final = IKG + "toTopic"
OLD_VALUE: Final = IKG + "oldValue"
NEW_VALUE: Final = IKG + "newValue"
FROM_VERSION: Final = IKG + "fromVersion"
TO_VERSION: Final = IKG + "toVersion"
