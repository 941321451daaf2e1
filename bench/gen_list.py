"""Generate a synthetic awesome-list of LLM-interpretability papers in the shape of the real one.

The output imitates ``data/awesome-llm-interpretability.md``: an H1 title and an intro, the
``## Tutorial``, ``## Code`` (``### Library``, ``### Codebase``), ``## Survey`` and ``## Video``
sections, then ``## Paper & Blog`` with ``### By Source`` (venues and authors) and ``### By Topic``,
whose ``####`` categories hold ``#####`` leaf topics of about 50 entries each (leaf names such as
"General" repeat under different categories).

Entries are bullets ``* **Title** [[label]](url)`` with a realistic mix of links: arXiv (most),
OpenReview, ACL Anthology, NeurIPS proceedings, ACM DOIs, LessWrong / Alignment Forum posts,
Transformer Circuits posts and GitHub repositories (some papers carry both a paper link and a
GitHub link); ~5% are starred with the glowing-star emoji, ~3% have a nested note bullet, ~2% have
a nested sub-entry with its own bold title, ~5% of the papers are listed again under a second topic
(same line, so the two occurrences merge into one work) and a few have no link at all.

Every other entry has its own identifiers and its own title, so the number of works a build
should find is known in advance: :func:`generate` returns it (``Stats``) and the command prints it.

Usage::

    python bench/gen_list.py 10000 -o bench/out/list-10k.md [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import string
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

STAR = "\N{GLOWING STAR}"


def _words(text: str) -> list[str]:
    """A vocabulary written as comma-separated text (kept compact, one list per paragraph)."""
    return [w.strip() for w in text.replace("\n", " ").split(",") if w.strip()]


# --------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------

_OPENERS = _words("""
Towards, Understanding, Interpreting, Dissecting, Locating, Explaining, Probing, Discovering,
Measuring, Editing, Steering, Decoding, Tracing, Characterizing, Revisiting, Analyzing,
Uncovering, Mapping, Scaling, Evaluating, Disentangling, Quantifying, Visualizing,
Reverse-Engineering, Identifying, Localizing, Compressing
""")
_ADJECTIVES = _words("""
Sparse, Linear, Causal, Mechanistic, Latent, Emergent, Interpretable, Faithful, Multilingual,
Factual, Contextual, Hierarchical, Distributed, Monosemantic, Polysemantic, Robust, Scalable,
Automated, Compositional, Hidden, Universal, Adversarial, Geometric, Temporal, Symbolic,
Truthful, Redundant, Modular
""")
_NOUNS = _words("""
Features, Circuits, Representations, Attention Heads, Neurons, Subspaces, Activations,
Embeddings, Mechanisms, Directions, Dictionaries, Knowledge, Superposition, Induction Heads,
Residual Streams, MLP Layers, Task Vectors, Concepts, Memories, World Models,
Sparse Autoencoders, Logit Lenses, Steering Vectors, Attribution Graphs, Probes, Skills,
Heuristics, Algorithms, Abstractions
""")
_MODELS = _words("""
Language Models, Large Language Models, Transformers, GPT-2 Small, Llama-2,
Vision-Language Models, Pretrained Transformers, Chat Models, Small Transformers,
Autoregressive Models, Multimodal Models, Instruction-Tuned Models, Code Models,
Mixture-of-Experts Models, State Space Models, Diffusion Transformers, BERT
""")
_PHRASES = _words("""
A Case Study, A Survey, Evidence from Toy Models, A Causal Perspective,
Beyond Activation Patching, An Information Flow Perspective, Metrics and Methods,
A Unifying Framework, Theory and Practice, Lessons from Grokking, An Empirical Study,
A Geometric View, Benchmarking and Analysis, Challenges and Opportunities, A Closer Look,
Where and How, What Changes During Fine-tuning, Limits and Pitfalls, From Neurons to Circuits,
With Sparse Dictionary Learning, At Scale, In the Wild
""")
_TASKS = _words("""
Arithmetic, In-Context Learning, Factual Recall, Multi-Hop Reasoning, Translation, Refusal,
Sentiment, Indirect Object Identification, Entity Tracking, Hallucination, Chain-of-Thought,
Code Generation, Toxicity, Truthfulness, Memorization, Grokking, Syntax, Negation, Retrieval,
Planning, Summarization, Deception, Sycophancy
""")
_QUESTIONS = [
    "Do {m} Know When They Are Lying?",
    "How Do {m} Perform {t}?",
    "Where Does {t} Happen in {m}?",
    "Can {m} Learn {t} Without Supervision?",
    "Is {t} Linearly Represented in {m}?",
    "What Do {n} Encode in {m}?",
    "Are {n} All You Need for {t}?",
]
_TEMPLATES = [
    "{o} {a} {n} in {m}",
    "{o} {a} {n} in {m}: {p}",
    "{o} the {a} {n} of {m}",
    "{a} {n} for {t} in {m}",
    "{o} {t} with {a} {n}",
    "{n} and {n2}: {o} {t} in {m}",
    "{q}",
    "{q} {p}",
    "On the Role of {a} {n} in {t}",
    "{o} {t}: {a} {n} in {m}",
    "The {a} {n} Hypothesis for {t}",
    "{a} {n} Explain {t} in {m}",
]

_CATEGORY_WORDS = _words("""
Tools, Techniques, Methods, Task Solving, Function, Ability, Component, Learning Dynamics,
Feature Representation, Probing-based, Application, Safety, Alignment, Theory, Training,
Evaluation, Benchmarks, Multimodality, Data, Architecture, Optimization, Robustness, Efficiency,
Reasoning, Memory, Knowledge, Agents, Vision, Speech, Science, Society, Privacy, Fairness,
Security, Control, Auditing, Oversight, Emergence, Scaling, Geometry, Dynamics
""")
_LEAF_NAMES = _words("""
Embedding Projection, Probing, Causal Intervention, Automation, Sparse Coding, Visualization,
Translation, Evaluation/Dataset/Benchmark, Reasoning, Function, Arithmetic Ability,
In-context Learning, Factual Knowledge, Multilingual/Crosslingual, Multimodal, Attention,
MLP/FFN, Neuron, Phase Transition/Grokking, Fine-tuning, Linearity, Inference-Time Intervention,
Knowledge/Model Editing, Hallucination, Pruning/Redundancy Analysis, Circuits, Superposition,
Steering, Attribution, Memorization, Self-repair, Training Dynamics, Tokenization,
Positional Encoding, Safety, Refusal, Deception, Theory, Scaling, Layer Analysis
""")
_FIRST_NAMES = _words("""
Neel, Chris, David, Jacob, Yonatan, Mor, Kevin, Arthur, Tom, Catherine, Nelson, Lee, Samuel,
Anna, Maria, Wei, Yuki, Priya, Omar, Sofia, Lucas, Hannah, Ravi, Elena, Jonas, Mei, Ahmed, Clara,
Diego, Ines
""")
_LAST_NAMES = _words("""
Nanda, Olah, Bau, Steinhardt, Belinkov, Geva, Meng, Conmy, Lieberum, Olsson, Elhage, Sharkey,
Marks, Tegmark, Chen, Wang, Tanaka, Patel, Hassan, Rossi, Silva, Schmidt, Kumar, Ivanova, Berg,
Li, Mansour, Dubois, Garcia, Costa
""")
_REPO_OWNERS = _words("""
neelnanda-io, stanfordnlp, davidbau, openai, anthropics, EleutherAI, jbloomAus, callummcdougall,
saprmarks, ArthurConmy, google-deepmind, TransformerLensOrg, apartresearch, kmeng01, evandez,
likenneth, huggingface, ndif-team, allenai
""")
_TOOL_WORDS = _words("""
lens, vis, probe, patch, scope, kit, trace, sae, circuit, graph, dict, steer, edit, attr, viz,
ablate, prism, lab, hub, bench, ray, flow
""")
_NOTES = [
    "A library for mechanistic interpretability of GPT-style language models",
    "Supports customizable interventions on a range of different PyTorch modules",
    "Contains some methods for tracing and editing internal activations in a network.",
    "Mechanistic Interpretability visualizations",
    "EMNLP 2023 best paper",
    "Highest scores at ICLR 2024: 10, 10, 8, 8.",
    "Follow-up work with larger models and more tasks.",
    "Code and data are released.",
    "See also the accompanying blog post and notebook.",
]
_ALNUM = string.ascii_letters + string.digits
_OPENREVIEW_CHARS = _ALNUM + "_-"
_HEX = "0123456789abcdef"


# --------------------------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------------------------


@dataclass
class Stats:
    """What a generated list contains, and what a build of it should find."""

    entries: int = 0
    bullets: int = 0
    notes: int = 0
    repeats: int = 0
    sub_entries: int = 0
    starred: int = 0
    no_link: int = 0
    sources: int = 0
    topics: int = 0
    leaf_topics: int = 0
    works: dict[str, int] = field(default_factory=lambda: {"paper": 0, "tool": 0, "tutorial": 0, "video": 0})
    links: dict[str, int] = field(default_factory=dict)

    @property
    def expected_works(self) -> int:
        """Distinct works a build should make (repeated papers merge with their first listing)."""
        return sum(self.works.values())


class _Generator:
    """Writes lines and keeps every identifier and title unique."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.lines: list[str] = []
        self.stats = Stats()
        self.titles: set[str] = set()
        self.ids: set[str] = set()
        self.acl_volumes: dict[str, int] = {}  # ACL Anthology ids drawn per volume (year and code)
        self.repos: list[str] = []  # GitHub repositories of the Code section (papers may link them)
        self.repeatable: list[tuple[int, str]] = []  # (leaf index, entry line) of papers with an id

    # -- unique values ---------------------------------------------------------------------------
    def _unique(self, make: Callable[[], str], prefix: str) -> str:
        while True:
            value = make()
            if f"{prefix}:{value}" not in self.ids:
                self.ids.add(f"{prefix}:{value}")
                return value

    def title(self) -> str:
        """A paper-like title whose normalised form (letters and digits, case-folded) is new."""
        r = self.rng
        while True:
            fill = {
                "o": r.choice(_OPENERS),
                "a": r.choice(_ADJECTIVES),
                "n": r.choice(_NOUNS),
                "n2": r.choice(_NOUNS),
                "m": r.choice(_MODELS),
                "p": r.choice(_PHRASES),
                "t": r.choice(_TASKS),
            }
            fill["q"] = r.choice(_QUESTIONS).format(**fill)
            text = r.choice(_TEMPLATES).format(**fill)
            if r.random() < 0.01:
                text = text.replace(" the ", " the Model\N{RIGHT SINGLE QUOTATION MARK}s ", 1)
            key = "".join(ch for ch in text.casefold() if ch.isalnum())
            if key not in self.titles:
                self.titles.add(key)
                return text

    def _token(self, n: int, chars: str = _ALNUM) -> str:
        return "".join(self.rng.choice(chars) for _ in range(n))

    def _slug(self, title: str) -> str:
        words = "".join(ch.lower() if ch.isalnum() else " " for ch in title).split()
        return "-".join(words[:8])

    # -- links -----------------------------------------------------------------------------------
    def _count(self, kind: str) -> None:
        self.stats.links[kind] = self.stats.links.get(kind, 0) + 1

    def arxiv(self) -> str:
        r = self.rng
        yymm = self._unique(
            lambda: f"{r.randint(20, 24):02d}{r.randint(1, 12):02d}.{r.randint(1, 29999):05d}", "arxiv"
        )
        scheme = "http" if r.random() < 0.45 else "https"
        label = f"arxiv {yymm[:4]}" if r.random() < 0.93 else "arxiv"
        self._count("arxiv")
        return f"[[{label}]]({scheme}://arxiv.org/abs/{yymm})"

    def openreview(self) -> str:
        r = self.rng
        forum = self._unique(lambda: self._token(10, _OPENREVIEW_CHARS), "openreview")
        label = r.choice(
            [
                "ICLR 2024",
                "ICLR 2024",
                "ICLR 2023",
                "openreview",
                "openreview",
                "ICLR 2024 spotlight",
                "ICLR 2024 oral",
                "ICML 2023",
                "TMLR 2023",
            ]
        )
        self._count("openreview")
        return f"[[{label}]](https://openreview.net/forum?id={forum})"

    def acl(self) -> str:
        r = self.rng
        venue, code = r.choice(
            [
                ("EMNLP", "emnlp-main"),
                ("EMNLP", "emnlp-main"),
                ("ACL", "acl-long"),
                ("EMNLP {} Findings", "findings-emnlp"),
                ("ACL {} Findings", "findings-acl"),
                ("NAACL", "naacl-long"),
                ("EACL", "eacl-main"),
                ("CoNLL", "conll-1"),
                ("TACL", "tacl-1"),
            ]
        )
        year = r.randint(2019, 2024)
        bucket = f"acl:{year}.{code}"
        # A volume holds 1,999 papers; beyond (lists of about 500k entries and more) its numbers
        # go on from 2,000 instead of the search for a free one never ending.
        full = self.acl_volumes.get(bucket, 0) >= 1999
        num = self._unique(lambda: str(r.randint(2000, 99_999) if full else r.randint(1, 1999)), bucket)
        self.acl_volumes[bucket] = self.acl_volumes.get(bucket, 0) + 1
        label = venue.format(year) if "{}" in venue else f"{venue} {year}"
        slash = "/" if r.random() < 0.1 else ""
        self._count("acl")
        return f"[[{label}]](https://aclanthology.org/{year}.{code}.{num}{slash})"

    def neurips(self) -> str:
        r = self.rng
        year = r.randint(2019, 2023)
        digest = self._unique(lambda: self._token(32, _HEX), "neurips")
        label = r.choice(["NIPS", "NIPS", "NeurIPS"]) + f" {year}"
        self._count("neurips")
        return (
            f"[[{label}]](https://proceedings.neurips.cc/paper_files/paper/{year}/hash/"
            f"{digest}-Abstract-Conference.html)"
        )

    def doi(self) -> str:
        r = self.rng
        suffix = self._unique(lambda: str(r.randint(3_000_000, 3_999_999)), "doi")
        label = r.choice(["TIST 2024", "TMLR 2023", "AAAI 2024", "IJCAI 2023"])
        self._count("doi")
        return f"[[{label}]](https://dl.acm.org/doi/10.1145/{suffix})"

    def forum(self, title: str) -> str:
        r = self.rng
        post = self._unique(lambda: self._token(17), "forum")
        if r.random() < 0.5:
            host, label = "www.lesswrong.com", r.choice(["Lesswrong 2020", "lesswrong", "LessWrong 2023"])
        else:
            host, label = (
                "www.alignmentforum.org",
                r.choice(["Alignment Forum", "AlignmentForum 2312", "AlignmentForum"]),
            )
        self._count("forum")
        return f"[[{label}]](https://{host}/posts/{post}/{self._slug(title)})"

    def circuits(self, title: str) -> str:
        r = self.rng
        self._count("transformer-circuits")
        return (
            f"[[Transformer Circuits Thread]](https://transformer-circuits.pub/{r.randint(2021, 2024)}/"
            f"{self._slug(title)}/index.html)"
        )

    def github(self, title: str, reuse: bool = False) -> str:
        r = self.rng
        self._count("github")
        if reuse and self.repos:
            return f"[[github]](https://github.com/{r.choice(self.repos)})"
        words = self._slug(title).split("-")
        repo = self._unique(
            lambda: (
                f"{r.choice(_REPO_OWNERS)}/{'-'.join(r.sample(words, min(2, len(words))))}"
                f"{r.choice(['', '-' + r.choice(_TOOL_WORDS)])}"
            ),
            "github-lower",
        )
        return f"[[github]](https://github.com/{repo})"

    def website(self, title: str) -> str:
        self._count("website")
        return f"[[website]](https://{self._slug(title)[:40].strip('-')}.github.io/)"

    def paper_links(self, title: str) -> tuple[str, bool]:
        """Links of one paper, and whether they carry a work identifier (so it merges if repeated)."""
        r = self.rng
        x = r.random()
        if x < 0.005:
            self.stats.no_link += 1
            return "", False
        if x < 0.015:  # a GitHub link only: the build counts it as a tool
            return self.github(title), False
        if x < 0.58:
            links = [self.arxiv()]
        elif x < 0.75:
            links = [self.openreview()]
        elif x < 0.86:
            links = [self.acl()]
        elif x < 0.91:
            links = [self.neurips()]
        elif x < 0.92:
            links = [self.doi(), self.arxiv()]
        elif x < 0.97:
            links = [self.forum(title)]
        else:
            links = [self.circuits(title)]
        has_id = not links[0].startswith("[[Transformer Circuits")
        y = r.random()
        if y < 0.03 and "arxiv.org" in links[0]:
            links.append(self.openreview())
        elif y < 0.09:
            links.append(self.github(title, reuse=r.random() < 0.3))
        elif y < 0.10:
            links.append(self.website(title))
        return " ".join(links), has_id

    # -- lines -----------------------------------------------------------------------------------
    def emit(self, line: str = "") -> None:
        self.lines.append(line)

    def heading(self, level: int, title: str) -> None:
        if self.lines and self.lines[-1] != "":
            self.emit()
        self.emit(f"{'#' * level} {title}")
        self.emit()
        if level > 1:
            self.stats.topics += 1

    def bullet(
        self, title: str, links: str, *, indent: str = "", star: bool | None = None, alias: bool = False
    ) -> str:
        r = self.rng
        if star is None:
            star = r.random() < 0.05
        self.stats.entries += 1
        self.stats.bullets += 1
        self.stats.starred += star
        text = f"{STAR if star else ''}**{title}**"
        if alias:
            text += f" (*{''.join(w[0] for w in title.split() if w[:1].isupper())[:6] or 'X'}*)"
        line = f"{indent}* {text}{' ' + links if links else ''}"
        self.emit(line)
        return line

    def note(self, text: str) -> None:
        self.stats.bullets += 1
        self.stats.notes += 1
        self.emit(f"  * {text}")

    def maybe_blank(self) -> None:
        if self.rng.random() < 0.03:
            self.emit()

    # -- sections --------------------------------------------------------------------------------
    def tutorials(self, n: int) -> None:
        self.heading(2, "Tutorial")
        for _ in range(n):
            title = self.title()
            pick = self.rng.randrange(3)
            if pick == 0:
                links = f"[[Neel Nanda's blog]](https://www.neelnanda.io/mechanistic-interpretability/{self._slug(title)})"
            else:
                links = self.website(title) if pick == 1 else self.forum(title)
            self.bullet(title, links, star=False)
            self.stats.works["tutorial"] += 1

    def code(self, n_library: int, n_codebase: int) -> None:
        self.heading(2, "Code")
        for name, n in (("Library", n_library), ("Codebase", n_codebase)):
            self.heading(3, name)
            for _ in range(n):
                r = self.rng
                words = r.sample(_TOOL_WORDS, r.randint(1, 3))
                base = r.choice(["", "Transformer", "SAE", "Circuit", "Neuron", "Probe"]) + "".join(
                    w.capitalize() for w in words
                )
                title = base
                while "".join(ch for ch in title.casefold() if ch.isalnum()) in self.titles:
                    title = f"{base} {r.choice(_TOOL_WORDS)}{r.choice(_TOOL_WORDS)}"
                    base = title
                self.titles.add("".join(ch for ch in title.casefold() if ch.isalnum()))
                link = self.github(title)
                self.repos.append(link.split("github.com/", 1)[1].rstrip(")"))
                self.bullet(title, link, star=False)
                self.stats.works["tool"] += 1
                for text in r.sample(_NOTES, r.choice([0, 0, 1, 1, 2]) if name == "Library" else 0):
                    self.note(text)

    def survey(self, n: int) -> None:
        self.heading(2, "Survey")
        for i in range(n):
            self.paper(leaf=-1)
            if i == n // 2:
                self.emit()
                self.emit(
                    "*Note: These Alignment surveys discuss the relation between Interpretability and "
                    "LLM Alignment.*"
                )
                self.emit()
            self.maybe_blank()

    def videos(self, n: int) -> None:
        self.heading(2, "Video")
        for _ in range(n):
            title = self.title()
            vid = self._unique(lambda: self._token(11, _OPENREVIEW_CHARS), "youtube")
            self.bullet(title, f"[[Youtube]](https://www.youtube.com/watch?v={vid})", star=False)
            self._count("youtube")
            self.stats.works["video"] += 1

    def by_source(self, n: int) -> None:
        self.heading(3, "By Source")
        fixed = [
            "* **Transformer Circuits Thread** [[blog]](https://transformer-circuits.pub/)",
            "* **BlackboxNLP: Analyzing and Interpreting Neural Networks for NLP** "
            "[[workshop]](https://aclanthology.org/venues/blackboxnlp/)",
            "* **AI Alignment Forum** [[forum]](https://www.alignmentforum.org/)",
            "* **Lesswrong** [[forum]](https://www.lesswrong.com/)",
        ]
        for line in fixed[: min(n, len(fixed))]:
            self.emit(line)
            self.stats.entries += 1
            self.stats.bullets += 1
            self.stats.sources += 1
        names: set[str] = set()
        for _ in range(n - min(n, len(fixed))):
            r = self.rng
            name = f"{r.choice(_FIRST_NAMES)} {r.choice(_LAST_NAMES)}"
            while name in names:
                name = f"{r.choice(_FIRST_NAMES)} {r.choice(string.ascii_uppercase)}. {r.choice(_LAST_NAMES)}"
            names.add(name)
            user = self._unique(lambda: self._token(12, _OPENREVIEW_CHARS), "scholar")
            self.emit(f"* **{name}** [[google scholar]](https://scholar.google.com/citations?user={user})")
            self.stats.entries += 1
            self.stats.bullets += 1
            self.stats.sources += 1

    def paper(self, leaf: int) -> None:
        """One paper entry, perhaps with a note or a sub-entry; ``leaf`` < 0 means not repeatable."""
        r = self.rng
        title = self.title()
        links, has_id = self.paper_links(title)
        kind = "tool" if links.startswith("[[github]]") else "paper"
        line = self.bullet(title, links, alias=r.random() < 0.01)
        self.stats.works[kind] += 1
        if has_id and leaf >= 0:
            self.repeatable.append((leaf, line))
        x = r.random()
        if x < 0.012:
            self.note(r.choice(_NOTES))
        elif x < 0.034:
            sub = self.title()
            sub_links, _ = self.paper_links(sub)
            self.bullet(sub, sub_links, indent="  ", star=False)
            self.stats.sub_entries += 1
            self.stats.works["tool" if sub_links.startswith("[[github]]") else "paper"] += 1

    def repeat(self, leaf: int) -> bool:
        """List an earlier paper of another leaf topic again (it merges with the first listing)."""
        for _ in range(8):
            if not self.repeatable:
                return False
            other, line = self.repeatable[self.rng.randrange(len(self.repeatable))]
            if other != leaf:
                self.emit(line)
                self.stats.entries += 1
                self.stats.bullets += 1
                self.stats.repeats += 1
                return True
        return False

    def topics(self, n: int) -> None:
        """``### By Topic``: ``####`` categories of ``#####`` leaves of ~50 entries, ``n`` entries in all."""
        r = self.rng
        self.heading(3, "By Topic")
        categories: set[str] = set()
        leaf = 0
        while n > 0:
            cat = "/".join(r.sample(_CATEGORY_WORDS, r.choice([1, 2, 2, 3])))
            while cat in categories:
                cat = "/".join(r.sample(_CATEGORY_WORDS, 3))
            categories.add(cat)
            self.heading(4, cat)
            if n >= 3 and r.random() < 0.15:  # an entry right under the category, before its first leaf
                before = self.stats.entries
                self.paper(leaf=-1)
                n -= self.stats.entries - before
            names = ["General", *r.sample(_LEAF_NAMES, r.randint(3, 9))]
            if r.random() < 0.2:
                names = names[1:]
            for name in names:
                if n <= 0:
                    break
                leaf += 1
                self.stats.leaf_topics += 1
                self.heading(5, name)
                size = min(n, r.randint(20, 80))
                before = self.stats.entries
                while self.stats.entries - before < size:
                    left = size - (self.stats.entries - before)
                    if r.random() < 0.05 and self.repeat(leaf):
                        continue
                    if left == 1:  # a sub-entry would overshoot: a plain entry
                        title = self.title()
                        links, has_id = self.paper_links(title)
                        line = self.bullet(title, links)
                        self.stats.works["tool" if links.startswith("[[github]]") else "paper"] += 1
                        if has_id:
                            self.repeatable.append((leaf, line))
                    else:
                        self.paper(leaf)
                    self.maybe_blank()
                n -= self.stats.entries - before


def generate(n: int, seed: int = 0) -> tuple[str, Stats]:
    """The text of a list with exactly ``n`` entries (bullets with a bold title), and its stats."""
    if n < 100:
        raise ValueError("n must be at least 100")
    g = _Generator(seed)
    g.emit("# Awesome-LLM-Interpretability")
    g.emit()
    g.emit("A curated list of LLM Interpretability related material.")
    n_tutorial = max(5, n // 100)
    n_library, n_codebase = max(7, n // 40), max(1, n // 200)
    n_survey = max(7, n // 50)
    n_video = max(4, n // 100)
    n_source = max(9, n // 100)
    g.tutorials(n_tutorial)
    g.code(n_library, n_codebase)
    g.survey(n_survey)
    g.videos(n_video)
    g.heading(2, "Paper & Blog")
    g.by_source(n_source)
    g.topics(n - g.stats.entries)
    if g.stats.entries != n:
        raise AssertionError(f"generated {g.stats.entries} entries, wanted {n}")
    return "\n".join(g.lines) + "\n", g.stats


def write_list(n: int, out: Path, seed: int = 0) -> Stats:
    """Generate a list of ``n`` entries and write it to ``out`` (UTF-8, LF newlines)."""
    text, stats = generate(n, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    return stats


def ensure_list(n: int, out: Path, seed: int = 0) -> Stats:
    """:func:`write_list`, unless ``out`` was written by it before: its stats are kept beside it
    (``out`` + ``.stats.json``) and read back when the list is unchanged (a 1M-entry list takes
    about 15 minutes to generate)."""
    sidecar = out.with_name(out.name + ".stats.json")
    if out.exists() and sidecar.exists():
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        if data.get("n") == n and data.get("seed") == seed and data.get("bytes") == out.stat().st_size:
            return Stats(**data["stats"])
    stats = write_list(n, out, seed)
    record = {"n": n, "seed": seed, "bytes": out.stat().st_size, "stats": asdict(stats)}
    sidecar.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    """Command line: ``gen_list.py N -o FILE [--seed S]``; prints the list's stats as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of entries (bullets with a bold title), at least 100")
    ap.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    ap.add_argument("--seed", type=int, default=0, help="random seed (same seed, same list)")
    args = ap.parse_args(argv)
    if args.n < 100:
        ap.error("N must be at least 100 (the fixed sections alone take about 50 entries)")
    stats = write_list(args.n, args.output, args.seed)
    summary = {**asdict(stats), "expected_works": stats.expected_works}
    json.dump(summary, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
