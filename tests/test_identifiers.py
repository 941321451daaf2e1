"""Tests for :mod:`interp_kg.identifiers.schemes`: link-target repair, identifier extraction, IRI safety."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interp_kg.identifiers.schemes import Identifier, RepairedTarget, identify, iri_safe, repair_target

# ---------------------------------------------------------------------------------------------
# repair_target
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2310.01405",
        "http://arxiv.org/abs/2402.10688",
        "https://openreview.net/forum?id=NpsVSN6o4ul",
        "https://aclanthology.org/2023.conll-1.37/",
        "https://github.com/neelnanda-io/TransformerLens",
        "https://scholar.google.com/citations?hl=en&user=CYI6cKgAAAAJ",
        "https://www.youtube.com/@neelnanda2469",
        "https://proceedings.neurips.cc/paper_files/paper/2023/hash/"
        "f6a8b109d4d4fd64c75e94aaf85d9697-Abstract-Conference.html",
        "https://transformer-circuits.pub/2021/framework/index.html#model-simplifications",
        "https://example.com:8080/path",
        "https://example.com/",
        "https://example.com",
        "http://[::1]:80/a",
    ],
)
def test_repair_leaves_clean_target_unchanged(url: str) -> None:
    assert repair_target(url) == RepairedTarget(url, ())


@pytest.mark.parametrize(
    "raw",
    [
        "%5B10.48550/arXiv.2305.13417%5D(http://arxiv.org/abs/2305.13417)",
        "%5b10.48550/arXiv.2305.13417%5d(http://arxiv.org/abs/2305.13417)",
        "[10.48550/arXiv.2305.13417](http://arxiv.org/abs/2305.13417)",
        "[10.48550/arXiv.2305.13417](http://arxiv.org/abs/2305.13417",
        "[10.48550/arXiv.2305.13417]( http://arxiv.org/abs/2305.13417 )",
    ],
)
def test_repair_takes_inner_url_of_nested_link(raw: str) -> None:
    assert repair_target(raw) == RepairedTarget(
        "http://arxiv.org/abs/2305.13417", ("link nested in link target",)
    )


def test_repair_nested_link_without_href_falls_back_to_link_text() -> None:
    assert repair_target("[10.48550/arXiv.2305.13417]()").url == "https://doi.org/10.48550/arXiv.2305.13417"


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("arXiv:2403.19521", "https://arxiv.org/abs/2403.19521"),
        ("arxiv:2403.19521", "https://arxiv.org/abs/2403.19521"),
        ("ARXIV:2403.19521", "https://arxiv.org/abs/2403.19521"),
        ("arXiv: 2403.19521", "https://arxiv.org/abs/2403.19521"),
        ("arXiv:%202403.19521", "https://arxiv.org/abs/2403.19521"),
        ("arXiv 2403.19521", "https://arxiv.org/abs/2403.19521"),
        ("arXiv:2403.19521v2", "https://arxiv.org/abs/2403.19521v2"),
        ("arXiv:hep-th/9901001", "https://arxiv.org/abs/hep-th/9901001"),
        ("2403.19521", "https://arxiv.org/abs/2403.19521"),
    ],
)
def test_repair_turns_arxiv_id_into_arxiv_url(raw: str, url: str) -> None:
    assert repair_target(raw) == RepairedTarget(url, ("arXiv:ID target turned into an arXiv URL",))


def test_repair_rejects_arxiv_pseudo_scheme_without_id() -> None:
    assert repair_target("arXiv:soon").url is None


@pytest.mark.parametrize(
    "raw",
    ["doi:10.1145/3639372", "DOI:10.1145/3639372", "doi: 10.1145/3639372", "10.1145/3639372"],
)
def test_repair_turns_doi_into_doi_org_url(raw: str) -> None:
    assert repair_target(raw) == RepairedTarget(
        "https://doi.org/10.1145/3639372", ("DOI target turned into a doi.org URL",)
    )


def test_repair_escapes_query_and_fragment_characters_of_doi() -> None:
    assert repair_target("doi:10.1000/a?b#c").url == "https://doi.org/10.1000/a%3Fb%23c"


@pytest.mark.parametrize(
    "raw", ["https://arxiv.org/abs/2403.19851}", "https://arxiv.org/abs/2403.19851%7D", "arXiv:2403.19851}"]
)
def test_repair_strips_closing_brace(raw: str) -> None:
    result = repair_target(raw)
    assert result.url == "https://arxiv.org/abs/2403.19851"
    assert "target closed by '}'" in result.problems


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("https://arxiv.org/abs/ 2310.01405", "https://arxiv.org/abs/2310.01405"),
        ("https://arxiv.org/abs/%202310.01405", "https://arxiv.org/abs/2310.01405"),
        ("https://openreview.net/forum?id= abc", "https://openreview.net/forum?id=abc"),
        ("https://openreview.net/forum?id=%20abc", "https://openreview.net/forum?id=abc"),
        ("https://openreview.net/forum?id=abc%20", "https://openreview.net/forum?id=abc"),
        ("https://arxiv.org/abs/2310.\t01405", "https://arxiv.org/abs/2310.01405"),
        ("https:// arxiv.org/abs/2310.01405", "https://arxiv.org/abs/2310.01405"),
    ],
)
def test_repair_removes_space_inside_url(raw: str, url: str) -> None:
    assert repair_target(raw) == RepairedTarget(url, ("space inside URL removed",))


def test_repair_keeps_encoded_space_inside_path_segment() -> None:
    url = "https://example.com/My%20Paper.pdf"
    assert repair_target(url) == RepairedTarget(url, ())


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("https://arxiv.org/abs//2309.15025", "https://arxiv.org/abs/2309.15025"),
        ("https://arxiv.org//abs///2309.15025", "https://arxiv.org/abs/2309.15025"),
        ("https://example.com/a//b?q=x//y", "https://example.com/a/b?q=x//y"),
    ],
)
def test_repair_collapses_double_slash_in_path(raw: str, url: str) -> None:
    assert repair_target(raw) == RepairedTarget(url, ("double slash in path",))


def test_repair_keeps_double_slash_of_url_embedded_in_path() -> None:
    url = "https://web.archive.org/web/2020/https://example.com/"
    assert repair_target(url) == RepairedTarget(url, ())


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "https://en.wikipedia.org/wiki/Foo_(bar)_baz",
        "https://example.com/a)b",
    ],
)
def test_repair_keeps_parentheses_inside_url(url: str) -> None:
    assert repair_target(url) == RepairedTarget(url, ())


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("https://en.wikipedia.org/wiki/Foo_(bar))", "https://en.wikipedia.org/wiki/Foo_(bar)"),
        ("https://arxiv.org/abs/2310.01405)", "https://arxiv.org/abs/2310.01405"),
        ("https://arxiv.org/abs/2310.01405))", "https://arxiv.org/abs/2310.01405"),
    ],
)
def test_repair_strips_unbalanced_trailing_parenthesis(raw: str, url: str) -> None:
    assert repair_target(raw) == RepairedTarget(url, ("unbalanced trailing ')' removed",))


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("https://arxiv.org/abs/2310.01405]", "unbalanced trailing ']' removed"),
        ("https://arxiv.org/abs/2310.01405%5D", "unbalanced trailing ']' removed"),
        ("https://arxiv.org/abs/2310.01405>", "stray trailing '>' removed"),
    ],
)
def test_repair_strips_other_unbalanced_closers(raw: str, problem: str) -> None:
    assert repair_target(raw) == RepairedTarget("https://arxiv.org/abs/2310.01405", (problem,))


@pytest.mark.parametrize(
    ("raw", "url"),
    [
        ("www.example.com/x", "https://www.example.com/x"),
        ("WWW.example.com", "https://WWW.example.com"),
        ("arxiv.org/abs/2310.01405", "https://arxiv.org/abs/2310.01405"),
        ("github.com/neelnanda-io/TransformerLens", "https://github.com/neelnanda-io/TransformerLens"),
    ],
)
def test_repair_adds_https_to_host_without_scheme(raw: str, url: str) -> None:
    assert repair_target(raw) == RepairedTarget(url, ("missing scheme, https assumed",))


def test_repair_adds_https_to_scheme_relative_url() -> None:
    assert repair_target("//example.com/x") == RepairedTarget(
        "https://example.com/x", ("scheme-relative URL, https assumed",)
    )


@pytest.mark.parametrize(
    ("raw", "problems"),
    [
        ("https:/example.com/x", ("malformed '//' after scheme",)),
        ("https:///example.com/x", ("malformed '//' after scheme",)),
        ("HTTPS://example.com/x", ("scheme lower-cased",)),
    ],
)
def test_repair_fixes_malformed_scheme(raw: str, problems: tuple[str, ...]) -> None:
    assert repair_target(raw) == RepairedTarget("https://example.com/x", problems)


@pytest.mark.parametrize("raw", ["<https://arxiv.org/abs/2310.01405>", "<https://arxiv.org/abs/2310.01405"])
def test_repair_strips_angle_brackets(raw: str) -> None:
    assert repair_target(raw).url == "https://arxiv.org/abs/2310.01405"
    assert "angle brackets removed" in repair_target(raw).problems


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/%C3%A9t%C3%A9",
        "https://example.com/a%2Fb?q=%26x%3D",
        "https://example.com/search?q=a%20b&x=1",
        "https://example.com/caf%c3%a9",
    ],
)
def test_repair_keeps_percent_encoding(url: str) -> None:
    assert repair_target(url) == RepairedTarget(url, ())


def test_repair_percent_encodes_unsafe_characters() -> None:
    assert repair_target("https://example.com/a|b^c") == RepairedTarget(
        "https://example.com/a%7Cb%5Ec", ("unsafe characters percent-encoded",)
    )


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("#library", "in-page anchor, not an absolute URL"),
        ("x.png", "not an absolute URL"),
        ("images/x.png", "not an absolute URL"),
        ("/docs/index.html", "not an absolute URL"),
        ("../README.md", "not an absolute URL"),
        ("mailto:someone@example.com", "not an http(s) URL ('mailto:')"),
        ("ftp://example.com/file", "not an http(s) URL ('ftp:')"),
        ("javascript:alert(1)", "not an http(s) URL ('javascript:')"),
        ("", "empty link target"),
        ("   ", "empty link target"),
        ("<>", "empty link target"),
        ("}", "empty link target"),
        ("this is not a link", "not an absolute URL"),
        ("https://", "invalid host"),
        ("https://not_a_host/", "invalid host"),
        ("https://example.com:99999/", "invalid port"),
        ("https://example.com:http/", "invalid port"),
    ],
)
def test_repair_gives_none_for_unusable_target(raw: str, problem: str) -> None:
    assert repair_target(raw) == RepairedTarget(None, (problem,))


def test_repair_reports_several_problems_in_order() -> None:
    result = repair_target("[x](https://arxiv.org/abs// 2309.15025})")
    assert result.url == "https://arxiv.org/abs/2309.15025"
    assert result.problems == (
        "link nested in link target",
        "space inside URL removed",
        "target closed by '}'",
        "double slash in path",
    )


# ---------------------------------------------------------------------------------------------
# identify
# ---------------------------------------------------------------------------------------------


def _ids(scheme: str, *values: str) -> list[Identifier]:
    return [Identifier(scheme, value) for value in values]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://arxiv.org/abs/2310.01405", "2310.01405"),
        ("http://arxiv.org/abs/2302.12461v2", "2302.12461"),
        ("https://www.arxiv.org/abs/2302.12461", "2302.12461"),
        ("http://export.arxiv.org/abs/2302.12461", "2302.12461"),
        ("https://arxiv.org/pdf/2302.12461", "2302.12461"),
        ("https://arxiv.org/pdf/2302.12461.pdf", "2302.12461"),
        ("https://arxiv.org/pdf/2302.12461v3.pdf", "2302.12461"),
        ("https://arxiv.org/html/2302.12461v1", "2302.12461"),
        ("https://arxiv.org/html/2302.12461v1/#S2", "2302.12461"),
        ("https://arxiv.org/abs/0704.0001", "0704.0001"),
        ("https://arxiv.org/abs/2310.01405?context=cs.CL", "2310.01405"),
        ("https://arxiv.org/abs//2309.15025", "2309.15025"),
        ("https://arxiv.org/abs/hep-th/9901001", "hep-th/9901001"),
        ("https://arxiv.org/abs/hep-th/9901001v2", "hep-th/9901001"),
        ("https://arxiv.org/abs/math.GT/0309136", "math.GT/0309136"),
        ("https://arxiv.org/pdf/cond-mat/0102536v1.pdf", "cond-mat/0102536"),
    ],
)
def test_identify_arxiv(url: str, value: str) -> None:
    assert identify(url) == _ids("arxiv", value)


@pytest.mark.parametrize(
    "url",
    [
        "https://doi.org/10.48550/arXiv.2305.13417",
        "https://doi.org/10.48550/ARXIV.2305.13417",
        "https://dx.doi.org/10.48550/arxiv.2305.13417",
    ],
)
def test_identify_arxiv_doi_gives_arxiv_id_and_doi(url: str) -> None:
    assert identify(url) == [
        Identifier("arxiv", "2305.13417"),
        Identifier("doi", "10.48550/arxiv.2305.13417"),
    ]


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://doi.org/10.1145/3639372", "10.1145/3639372"),
        ("http://dx.doi.org/10.1145/3639372", "10.1145/3639372"),
        ("https://doi.org/10.1016/J.ARTINT.2018.07.007", "10.1016/j.artint.2018.07.007"),
        ("https://doi.org/10.1145%2F3639372", "10.1145/3639372"),
        ("https://doi.org/10.1145/3639372.", "10.1145/3639372"),
        ("https://doi.org/10.1145/3639372/", "10.1145/3639372"),
        ("https://doi.org/10.1002/(SICI)1097-4571(199806)49:8", "10.1002/(sici)1097-4571(199806)49:8"),
        ("https://dl.acm.org/doi/10.1145/3639372", "10.1145/3639372"),
        ("https://dl.acm.org/doi/abs/10.1145/3639372", "10.1145/3639372"),
        ("https://dl.acm.org/doi/pdf/10.1145/3639372", "10.1145/3639372"),
        ("https://dl.acm.org/doi/full/10.1145/3639372", "10.1145/3639372"),
        ("https://dl.acm.org/doi/pdf/10.1145/3639372.pdf", "10.1145/3639372"),
        ("https://link.springer.com/article/10.1007/s11263-020-01316-z", "10.1007/s11263-020-01316-z"),
        ("https://link.springer.com/chapter/10.1007/978-3-030-28954-6_10", "10.1007/978-3-030-28954-6_10"),
        (
            "https://link.springer.com/content/pdf/10.1007/s11263-020-01316-z.pdf",
            "10.1007/s11263-020-01316-z",
        ),
        ("https://onlinelibrary.wiley.com/doi/full/10.1111/cogs.13000", "10.1111/cogs.13000"),
        (
            "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0130140",
            "10.1371/journal.pone.0130140",
        ),
    ],
)
def test_identify_doi(url: str, value: str) -> None:
    assert identify(url) == _ids("doi", value)


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://openreview.net/forum?id=NpsVSN6o4ul", "NpsVSN6o4ul"),
        ("https://openreview.net/pdf?id=NpsVSN6o4ul", "NpsVSN6o4ul"),
        ("https://openreview.net/forum?noteId=zzz&id=F76bwRSLeK", "F76bwRSLeK"),
        ("https://openreview.net/forum?id=F76bwRSLeK&referrer=%5BAuthor%20Console%5D", "F76bwRSLeK"),
        ("https://openreview.net/forum/?id=a_b-C", "a_b-C"),
    ],
)
def test_identify_openreview(url: str, value: str) -> None:
    assert identify(url) == _ids("openreview", value)


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://aclanthology.org/2023.acl-long.893", "2023.acl-long.893"),
        ("https://aclanthology.org/2023.acl-long.893/", "2023.acl-long.893"),
        ("https://aclanthology.org/2023.acl-long.893.pdf", "2023.acl-long.893"),
        ("https://aclanthology.org/2023.acl-long.893v2.pdf", "2023.acl-long.893"),
        ("https://aclanthology.org/2023.findings-emnlp.624", "2023.findings-emnlp.624"),
        ("https://aclanthology.org/2022.tacl-1.74", "2022.tacl-1.74"),
        ("https://aclanthology.org/P19-1001", "P19-1001"),
        ("https://aclanthology.org/P19-1001.pdf", "P19-1001"),
        ("https://www.aclweb.org/anthology/P19-1001", "P19-1001"),
        ("https://www.aclweb.org/anthology/P19-1001.pdf", "P19-1001"),
        ("https://www.aclweb.org/anthology/P/P19/P19-1001.pdf", "P19-1001"),
    ],
)
def test_identify_acl(url: str, value: str) -> None:
    assert identify(url) == _ids("acl", value)


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://github.com/neelnanda-io/TransformerLens", "neelnanda-io/TransformerLens"),
        ("https://github.com/neelnanda-io/TransformerLens/", "neelnanda-io/TransformerLens"),
        ("https://github.com/neelnanda-io/TransformerLens/tree/main/x", "neelnanda-io/TransformerLens"),
        ("https://github.com/neelnanda-io/TransformerLens.git", "neelnanda-io/TransformerLens"),
        ("https://github.com/neelnanda-io/TransformerLens#readme", "neelnanda-io/TransformerLens"),
        ("http://www.github.com/kmeng01/rome", "kmeng01/rome"),
        ("https://github.com/likenneth/honest_llama", "likenneth/honest_llama"),
        ("https://raw.githubusercontent.com/kmeng01/rome/main/README.md", "kmeng01/rome"),
    ],
)
def test_identify_github_repository(url: str, value: str) -> None:
    assert identify(url) == _ids("github", value)


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://proceedings.mlr.press/v162/mitchell22a.html", "v162/mitchell22a"),
        ("https://proceedings.mlr.press/v162/mitchell22a.pdf", "v162/mitchell22a"),
        ("https://proceedings.mlr.press/v162/mitchell22a/mitchell22a.pdf", "v162/mitchell22a"),
        ("http://proceedings.mlr.press/v70/sundararajan17a.html", "v70/sundararajan17a"),
    ],
)
def test_identify_pmlr(url: str, value: str) -> None:
    assert identify(url) == _ids("pmlr", value)


_HASH = "f6a8b109d4d4fd64c75e94aaf85d9697"


@pytest.mark.parametrize(
    ("url", "value"),
    [
        (
            f"https://proceedings.neurips.cc/paper_files/paper/2023/hash/{_HASH}-Abstract-Conference.html",
            "2023",
        ),
        (f"https://proceedings.neurips.cc/paper_files/paper/2023/file/{_HASH}-Paper-Conference.pdf", "2023"),
        (f"https://proceedings.neurips.cc/paper/2020/hash/{_HASH}-Abstract.html", "2020"),
        (f"https://proceedings.neurips.cc/paper/2020/file/{_HASH}-Paper.pdf", "2020"),
        (f"https://papers.nips.cc/paper/2020/hash/{_HASH}-Abstract.html", "2020"),
        (f"https://papers.nips.cc/paper_files/paper/2020/file/{_HASH.upper()}-Paper.pdf", "2020"),
    ],
)
def test_identify_neurips(url: str, value: str) -> None:
    assert identify(url) == _ids("neurips", f"{value}/{_HASH}")


@pytest.mark.parametrize(
    "url",
    [
        "https://ieeexplore.ieee.org/document/10136140",
        "https://ieeexplore.ieee.org/document/10136140/",
        "https://ieeexplore.ieee.org/abstract/document/10136140",
        "https://ieeexplore.ieee.org/abstract/document/10136140/",
        "https://ieeexplore.ieee.org/stamp/stamp.jsp?arnumber=10136140",
        "https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber=10136140",
    ],
)
def test_identify_ieee(url: str) -> None:
    assert identify(url) == _ids("ieee", "10136140")


@pytest.mark.parametrize(
    "url",
    [
        "https://scholar.google.com/citations?user=GLnX3MkAAAAJ&hl=en",
        "https://scholar.google.com/citations?hl=en&user=GLnX3MkAAAAJ",
        "https://scholar.google.com/citations?user=GLnX3MkAAAAJ",
        "https://scholar.google.co.uk/citations?user=GLnX3MkAAAAJ",
        "https://scholar.google.de/citations?view_op=list_works&user=GLnX3MkAAAAJ",
    ],
)
def test_identify_scholar(url: str) -> None:
    assert identify(url) == _ids("scholar", "GLnX3MkAAAAJ")


@pytest.mark.parametrize(
    ("url", "value"),
    [
        ("https://www.youtube.com/@neelnanda2469", "@neelnanda2469"),
        ("https://youtube.com/@neelnanda2469/videos", "@neelnanda2469"),
        ("https://www.youtube.com/channel/UCBMJ0D-omcRay8dh4QT0doQ", "UCBMJ0D-omcRay8dh4QT0doQ"),
        ("https://www.youtube.com/c/NeelNanda", "NeelNanda"),
        ("https://www.youtube.com/user/NeelNanda/", "NeelNanda"),
    ],
)
def test_identify_youtube_channel(url: str, value: str) -> None:
    assert identify(url) == _ids("youtube_channel", value)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=2Rdp9GvcYOE",
        "https://youtube.com/watch?v=2Rdp9GvcYOE&t=42s",
        "https://m.youtube.com/watch?feature=share&v=2Rdp9GvcYOE",
        "https://youtu.be/2Rdp9GvcYOE",
        "https://youtu.be/2Rdp9GvcYOE?t=10",
        "https://www.youtube.com/embed/2Rdp9GvcYOE",
        "https://www.youtube.com/shorts/2Rdp9GvcYOE",
    ],
)
def test_identify_youtube_video(url: str) -> None:
    assert identify(url) == _ids("youtube_video", "2Rdp9GvcYOE")


@pytest.mark.parametrize(
    ("url", "value"),
    [
        (
            "https://www.lesswrong.com/posts/AcKRB8wDpdaN6v6ru/interpreting-gpt-the-logit-lens",
            "AcKRB8wDpdaN6v6ru",
        ),
        ("https://www.lesswrong.com/posts/AcKRB8wDpdaN6v6ru", "AcKRB8wDpdaN6v6ru"),
        ("https://www.alignmentforum.org/posts/FSTRedtjuHa4Gfdbr/attention-saes", "FSTRedtjuHa4Gfdbr"),
        ("https://www.alignmentforum.org/s/hpWHhjvjn67LJ4xXX/p/iGuwZTHWb6DFY3sKB", "iGuwZTHWb6DFY3sKB"),
        ("https://www.lesswrong.com/s/hpWHhjvjn67LJ4xXX/p/iGuwZTHWb6DFY3sKB", "iGuwZTHWb6DFY3sKB"),
        ("https://www.greaterwrong.com/posts/AcKRB8wDpdaN6v6ru", "AcKRB8wDpdaN6v6ru"),
        ("https://www.greaterwrong.com/posts/AcKRB8wDpdaN6v6ru/interpreting-gpt", "AcKRB8wDpdaN6v6ru"),
    ],
)
def test_identify_lesswrong_post(url: str, value: str) -> None:
    assert identify(url) == _ids("lesswrong_post", value)


@pytest.mark.parametrize(
    "url",
    [
        "https://www.alignmentforum.org/s/yivyHaCAmMJ3CqSyj",
        "https://www.alignmentforum.org/s/yivyHaCAmMJ3CqSyj/",
        "https://www.lesswrong.com/s/yivyHaCAmMJ3CqSyj",
    ],
)
def test_identify_lesswrong_sequence(url: str) -> None:
    assert identify(url) == _ids("lesswrong_sequence", "yivyHaCAmMJ3CqSyj")


@pytest.mark.parametrize(
    "url",
    [
        "https://ARXIV.org/abs/2310.01405",
        "HTTPS://WWW.ArXiv.Org/abs/2310.01405",
        "http://arxiv.org/abs/2310.01405",
        "https://arxiv.org./abs/2310.01405",
        "https://arxiv.org:443/abs/2310.01405",
    ],
)
def test_identify_compares_hosts_case_insensitively_with_or_without_www(url: str) -> None:
    assert identify(url) == _ids("arxiv", "2310.01405")


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/neelnanda-io",
        "https://github.com/neelnanda-io/",
        "https://github.com/orgs/openai/repositories",
        "https://github.com/topics/interpretability",
        "https://github.com/features/copilot",
        "https://github.com/sponsors/neelnanda-io",
        "https://github.com/",
        "https://neelnanda-io.github.io/TransformerLens/",
        "https://arxiv.org/",
        "https://arxiv.org/list/cs.CL/recent",
        "https://arxiv.org/abs/2310.0140",
        "https://arxiv.org/abs/2313.01405",
        "https://aclanthology.org/venues/blackboxnlp/",
        "https://aclanthology.org/volumes/2023.acl-long/",
        "https://openreview.net/group?id=ICLR.cc/2024/Conference",
        "https://openreview.net/forum",
        "https://doi.org/",
        "https://doi.org/not-a-doi",
        "https://dl.acm.org/profile/81100000000",
        "https://proceedings.mlr.press/v162/",
        "https://proceedings.neurips.cc/paper/2020",
        "https://papers.nips.cc/paper/7181-attention-is-all-you-need",
        "https://ieeexplore.ieee.org/Xplore/home.jsp",
        "https://scholar.google.com/scholar?q=interpretability",
        "https://scholar.google.com/citations?hl=en",
        "https://www.youtube.com/",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/playlist?list=PL123",
        "https://www.lesswrong.com/",
        "https://www.alignmentforum.org/",
        "https://www.lesswrong.com/posts/short/slug",
        "https://transformer-circuits.pub/2021/framework/index.html",
        "https://www.neelnanda.io/mechanistic-interpretability/othello",
        "ftp://arxiv.org/abs/2310.01405",
        "arxiv.org/abs/2310.01405",
        "arXiv:2310.01405",
    ],
)
def test_identify_finds_nothing_in_url_without_identifier(url: str) -> None:
    assert identify(url) == []


@pytest.mark.parametrize(
    "url",
    [
        "",
        "http://",
        "https://[::1",
        "http://[",
        "http://a@b@c/x",
        "https://arxiv.org:port/abs/2310.01405",
        ":::",
    ],
)
def test_identify_returns_empty_list_for_malformed_url(url: str) -> None:
    assert identify(url) == []


def test_identify_reads_repaired_nested_link() -> None:
    url = repair_target("%5B10.48550/arXiv.2305.13417%5D(http://arxiv.org/abs/2305.13417)").url
    assert url is not None
    assert identify(url) == _ids("arxiv", "2305.13417")


# ---------------------------------------------------------------------------------------------
# iri_safe
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://arxiv.org/abs/2310.01405",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
        "https://scholar.google.com/citations?hl=en&user=CYI6cKgAAAAJ",
        "https://example.com/a%20b?q=%26#frag",
        "https://example.com/caf\u00e9",
        "https://user:pw@example.com:8080/a;b=c/d@e?x=/y?z#/f?g",
        "http://[::1]:80/a",
    ],
)
def test_iri_safe_leaves_valid_url_unchanged(url: str) -> None:
    assert iri_safe(url) == url


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.com/a b", "https://example.com/a%20b"),
        ('https://example.com/<a>"b"', "https://example.com/%3Ca%3E%22b%22"),
        ("https://example.com/{a}|b\\c^d`e", "https://example.com/%7Ba%7D%7Cb%5Cc%5Ed%60e"),
        ("https://example.com/a\nb\x00c\x7fd", "https://example.com/a%0Ab%00c%7Fd"),
        ("https://example.com/[x]?q=[y]", "https://example.com/%5Bx%5D?q=%5By%5D"),
        ("https://example.com/a#b#c", "https://example.com/a#b%23c"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/%zz", "https://example.com/%25zz"),
        ("https://example.com/\ufffd", "https://example.com/%EF%BF%BD"),
        ("https://a@b@example.com/", "https://a%40b@example.com/"),
        ("https://exa mple.com/", "https://exa%20mple.com/"),
    ],
)
def test_iri_safe_percent_encodes_characters_an_iri_may_not_hold(url: str, safe: str) -> None:
    assert iri_safe(url) == safe


_FORBIDDEN_IN_NTRIPLES_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


@given(st.text())
def test_iri_safe_output_has_no_character_forbidden_in_ntriples(text: str) -> None:
    assert not _FORBIDDEN_IN_NTRIPLES_IRI.search(iri_safe(text))


@given(st.text())
def test_iri_safe_is_idempotent(text: str) -> None:
    once = iri_safe(text)
    assert iri_safe(once) == once


# ---------------------------------------------------------------------------------------------
# properties: never raise, stable output
# ---------------------------------------------------------------------------------------------

_HOSTS = [
    "arxiv.org",
    "doi.org",
    "dl.acm.org",
    "link.springer.com",
    "journals.plos.org",
    "openreview.net",
    "aclanthology.org",
    "github.com",
    "proceedings.mlr.press",
    "proceedings.neurips.cc",
    "ieeexplore.ieee.org",
    "scholar.google.com",
    "youtube.com",
    "youtu.be",
    "lesswrong.com",
    "www.alignmentforum.org",
    "example.com",
]
_URLISH = st.builds(
    lambda prefix, host, rest: prefix + host + rest,
    st.sampled_from(["https://", "http://", "HTTP://www.", "", "//", "https:/", "<https://", "[x](https://"]),
    st.sampled_from(_HOSTS),
    st.text(alphabet=st.sampled_from("/?#=&%20()[]{}<>@:. abcXYZ-_.v123456789\\|^`\"'\n\t\u00e9\ufffd")),
)


@given(st.text())
def test_repair_target_never_raises_on_arbitrary_text(text: str) -> None:
    result = repair_target(text)
    assert result.url is None or result.url.startswith(("http://", "https://"))


@given(_URLISH)
def test_repair_target_never_raises_on_url_like_text(text: str) -> None:
    result = repair_target(text)
    assert result.url is None or result.url.startswith(("http://", "https://"))


@given(st.one_of(st.text(), _URLISH))
def test_repair_target_accepts_its_own_output_as_clean(text: str) -> None:
    url = repair_target(text).url
    if url is not None:
        assert repair_target(url) == RepairedTarget(url, ())


@given(st.one_of(st.text(), _URLISH))
def test_repair_target_output_is_a_valid_iri(text: str) -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    url = repair_target(text).url
    if url is not None:
        pyoxigraph.NamedNode(url)


@given(st.text())
def test_identify_never_raises_on_arbitrary_text(text: str) -> None:
    assert isinstance(identify(text), list)


@given(_URLISH)
def test_identify_never_raises_on_url_like_text(text: str) -> None:
    ids = identify(text)
    assert all(isinstance(i, Identifier) for i in ids)
    assert len(set(ids)) == len(ids)
