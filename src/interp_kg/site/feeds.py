"""The site's Atom feeds: the works the list's version adds to the previous release
(``interp-kg diff`` of the two lists), for the whole dataset (``feed.atom``) and for each topic
(``id/topic/<path>.atom``, with the works of its sub-topics). Written with
:func:`interp_kg.diff.feed.atom_feed`; every time in them is the list's date (the store's build
time when the list has none), so a site is the same bytes whenever it is built."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

from interp_kg.diff.feed import Feed, FeedEntry, atom_feed, rfc3339
from interp_kg.site.collect import Index
from interp_kg.site.render import Writer

if TYPE_CHECKING:
    from interp_kg.store.buildinfo import BuildInfo

FEED_FILE = "feed.atom"


def previous_release(info: BuildInfo) -> Path | None:
    """The bundled version before the one the store was built from (``None`` when it was built
    from another list, several lists, or the oldest bundled one)."""
    from interp_kg.resources import data_path
    from interp_kg.source.bundled import bundled_lists

    if len(info.lists) != 1 or info.lists[0].version is None:
        return None
    versions = bundled_lists().versions  # newest first
    names = [b.name for b in versions]
    at = names.index(info.lists[0].version) if info.lists[0].version in names else -1
    if at < 0 or at + 1 >= len(versions):
        return None
    return data_path(versions[at + 1].file)


def added_works(info: BuildInfo, previous: Path | None) -> tuple[list[str], str]:
    """(the IRIs of the works the built list adds to ``previous``, what was compared), from the
    list diff; none when there is no previous release or the list is not at hand."""
    from interp_kg.diff.changes import diff_files

    previous = previous or previous_release(info)
    if previous is None or len(info.lists) != 1:
        return [], ""
    current = Path(info.lists[0].path)
    if not current.is_file() or not previous.is_file():
        return [], ""
    diff = diff_files(previous, current, base_iri=info.base_iri)
    return [w.iri for w in diff.works.added], f"{previous.name} -> {current.name}"


def write_feeds(
    w: Writer, index: Index, info: BuildInfo, root: str, created: str, previous: Path | None
) -> None:
    """``feed.atom`` and one feed per topic."""
    added, compared = added_works(info, previous)
    dates = sorted(x.date for x in info.lists if x.date)
    updated = rfc3339(dates[-1]) if dates else (created or rfc3339(None))
    version = ", ".join(f"{x.file} ({x.version or 'unversioned'})" for x in info.lists)
    entries: list[FeedEntry] = []
    by_topic: dict[str, list[FeedEntry]] = defaultdict(list)
    wanted = set(added)
    topics_of: dict[str, list[str]] = defaultdict(list)  # one pass over the topics, not one per work
    for topic, works in index.topic_works.items() if wanted else ():
        for work in works:
            if work in wanted:
                topics_of[work].append(topic)
    for iri in sorted(added, key=lambda x: (index.name(x).casefold(), x)):
        if iri not in index.kind:
            continue
        cite = index.cite.get(iri)
        topics = sorted(topics_of.get(iri, ()), key=index.topic_key)
        paths = ["; ".join(" \u203a ".join(index.name(t) for t in [*index.breadcrumb(x), x]) for x in topics)]
        bits = [f"New {index.kind[iri]} in {version}"]
        if cite is not None and cite.authors:
            bits.append(", ".join(cite.authors[:6]) + (", et al." if len(cite.authors) > 6 else ""))
        if cite is not None and cite.date:
            bits.append(cite.date)
        if paths[0]:
            bits.append("Listed under " + paths[0])
        entry = FeedEntry(
            id=iri,
            title=index.name(iri),
            link=iri,
            updated=updated,
            summary=". ".join(bits) + ".",
            authors=cite.authors if cite is not None else (),
            categories=tuple(index.topic_name(t) for t in topics),
            published=rfc3339(cite.first_version or cite.date) if cite is not None and cite.date else None,
        )
        entries.append(entry)
        for t in {a for x in topics for a in [*index.breadcrumb(x), x]}:
            by_topic[t].append(entry)
    subtitle = (
        f"Works added since the previous release ({compared})"
        if compared
        else "No previous release to compare with"
    )
    w.write(
        FEED_FILE,
        atom_feed(
            Feed(
                id=root + FEED_FILE,
                title="interp-kg: new works",
                subtitle=subtitle,
                self_link=root + FEED_FILE,
                alternate=root,
                updated=updated,
                entries=entries,
            )
        ),
    )
    for topic in index.of_kind({"topic"}):
        stem = index.stem(topic)
        if stem is None:
            continue
        w.write(
            f"{stem}.atom",
            atom_feed(
                Feed(
                    id=f"{topic}.atom",
                    title=f"interp-kg: new works in {index.topic_name(topic)}",
                    subtitle=subtitle,
                    self_link=f"{root}{stem}.atom",
                    alternate=topic,
                    updated=updated,
                    entries=by_topic.get(topic, []),
                )
            ),
        )
