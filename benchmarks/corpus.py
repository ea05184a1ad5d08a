"""The synthetic corpus the benchmarks share: review-like documents built from the seed reviews and SciFact.

Reviews of ~10 sections ("Background", "Family Circumstances", "Learning", "The Findings", "Recommendations", ...)
with distinct subjects ("Young Person QK4") and titles, whose section bodies recombine bullets and sentences of
the seed reviews (read from corpus/ at run time, subjects swapped, wording varied) with sentences of the SciFact
abstracts (read at run time from the folder --scifact names, not copied into the repository). Every section fits
in one chunk.

Vectors. Encoding 100k chunks with the real model would take hours on two cores, so search benchmarks encode a
base set of real section texts with the real model and give each generated chunk the vector of the base text
it was derived from plus Gaussian noise, re-normalised (DerivedEmbedder). Texts it does not know (the seed
reviews' chunks, the theme descriptions ingest tags with) go to the real model. The ingest benchmark writes the
same reviews to files and encodes them with the real model.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from common import REPO_ROOT

from core.models import Review, ReviewMeta, Section
from core.settings import Settings
from ingest.catalog import Catalog
from ingest.chunking import chunk_review, estimate_tokens
from ingest.embedding import Embedder
from ingest.loaders import load
from ingest.normalise import build_review
from ingest.pipeline import index_reviews
from ingest.pipeline import ingest as run_ingest

NOISE = 0.02  # per-dimension sigma added to a base text's vector
SEED = 11

SEEDS = sorted((REPO_ROOT / "corpus").glob("*.txt"))
SEED_SUBJECTS = ("Young Person F", "Child M", "Person F")
HEADINGS = (
    "Background",
    "Family Circumstances",
    "Safeguarding Concerns",
    "The Incident",
    "Health",
    "Education",
    "Voice of the Child",
    "Multi-agency Working",
    "The Findings",
    "Learning",
    "Recommendations",
    "Implementing Change",
    "The Review",
)
BULLETED = {"The Findings", "Learning", "Recommendations", "Multi-agency Working"}
REVIEW_TYPES = ("Serious Case Review", "Rapid Review", "Child Safeguarding Practice Review", "Local Review")
SUBJECT_KINDS = ("Child", "Young Person", "Baby", "Sibling", "Infant")
PLACES = ("Northshire", "Eastbrook", "Westmere", "Southvale", "Highfield", "Lowmoor", "Kingsford", "Ashdown")
REWORDINGS = (
    ("Professionals", "Practitioners"),
    ("professionals", "practitioners"),
    ("family", "household"),
    ("school", "college"),
    ("Police", "The police"),
    ("assault", "attack"),
    ("risk", "danger"),
    ("behaviour", "conduct"),
    ("support", "help"),
    ("concerns", "worries"),
    ("children", "young people"),
    ("patients", "children"),
    ("participants", "children"),
)
SECTION_TOKENS = 160  # a body stays under the chunker's 200-token window, with room for subject names
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_LABEL = re.compile(r"^(?:[A-Z]{4,}\b[ :]*)+(?=[A-Z][a-z])")  # "CONCLUSIONS " heading a SciFact sentence

QUESTIONS = (
    "What are the common recommendations about trauma-informed practice?",
    "How should professionals respond to children at risk of criminal exploitation?",
    "What learning is there about engaging parents who do not speak English?",
    "When should an interpreter be offered to parents?",
    "What do reviews say about school exclusion as a risk indicator?",
    "How should agencies escalate disagreement with a children's social care decision?",
    "What findings relate to poor multi-agency working?",
    "Why was the child's voice missing from child protection conferences?",
    "What are the risks of stepping down from Early Help too early?",
    "How should emotional harm linked to violence outside the home be assessed?",
    "What do reviews recommend about disrupting perpetrator activity?",
    "How can trusted relationships with practitioners help exploited young people?",
    "What support do families need to manage risk outside the home?",
    "Which reviews discuss children going missing from home?",
    "What are the signs of grooming for sexual exploitation?",
    "How was police intelligence used in risk assessments?",
    "What should happen after a strategy meeting?",
    "How should practitioners work with parents who are guarded about sharing information?",
    "What role does the school play in identifying safeguarding concerns?",
    "What did reviews find about the handling of referrals to children's social care?",
    "How should children who commit offences be viewed by agencies?",
    "What are the barriers to engaging mothers in child protection planning?",
    "What learning is there about critical thinking and professional curiosity?",
    "How should the child protection plan be reviewed and updated?",
    "What is the role of the designated safeguarding lead?",
    "When is a rapid review carried out?",
    "What criteria lead to a serious case review?",
    "What do reviews say about neglect and low levels of supervision?",
    "How can practitioners recognise sibling involvement in offending?",
    "What recommendations concern information sharing between agencies?",
    "What are the findings about health visitor involvement with the family?",
    "How did substance misuse affect parenting capacity?",
    "What learning is there about domestic abuse and its impact on children?",
    "What should practitioners do when a young person fears reprisals?",
    "How are practitioner learning events used to disseminate lessons?",
    "What do reviews say about bruising in non-mobile babies?",
    "How should the mental health needs of adolescents be addressed?",
    "What is recommended about intervening at critical moments such as arrests or injuries?",
    "What findings concern the use of weapons by young people?",
    "How did agencies respond to repeated violent assaults in the community?",
    "What is the learning about cultural and language barriers in assessments?",
    "When should a case move from child protection to child in need?",
    "How should practitioners record the wishes and feelings of children?",
    "Which reviews mention custodial sentences for young people?",
    "What recommendations were made about workforce training?",
    "What did reviews find about the quality of assessments?",
    "How can early intervention prevent escalation of harm?",
    "What happens when a parent declines support services?",
    "What do reviews say about the impact of the pandemic on services?",
    "How were hospital attendances and injuries followed up?",
    "What evidence links adverse childhood experiences to later outcomes?",
    "What health risks in infancy are discussed in the reviews?",
    "Were risk factors such as obesity or diabetes considered for the child?",
    "What do the reviews say about vaccination and missed health appointments?",
    "How did agencies share concerns about a child's development?",
    "What was the outcome of the multi-agency risk assessment?",
    "How should practitioners respond when a child discloses abuse?",
    "What went well in the partnership's response?",
    "Was the significant harm recognised by those in contact with the child?",
    "What do the reviews teach about parental boundaries?",
    "How did the family respond to offers of help from a local charity?",
    "Why was the decision to step down from Early Help premature?",
    "What were the main concerns of the parents?",
    "Which agencies were involved before the incident?",
    "What is the learning about bereavement and the early death of a parent?",
    "What did the reviews say about the child's behaviour at school?",
    # questions naming the seed reviews' children (indexed in every corpus)
    "What happened to Child M?",
    "What sentence did Child M receive?",
    "Why was Child M made subject to a child protection plan?",
    "What did the Child M review find about multi-agency working?",
    "What are the recommendations of the Child M serious case review?",
    "How many times did the police refer Young Person F to children's social care?",
    "What does the Young Person F review say about trusted relationships with children?",
    "Who acted as interpreter for Young Person F's mum?",
    "When was Young Person F's family stepped down from Early Help?",
    "What learning came from the Young Person F rapid review?",
    # exact acronyms, names and terms
    "MSET",
    "MSET framework",
    "CSC referral",
    "NSCP escalation guidance",
    "Section 18 assault",
    "grievous bodily harm",
    "GBH",
    "CAMHS",
    "MASH",
    "LADO",
    "CSE",
    "MRI",
    "HIV",
    "BMI",
    "Early Help",
    "Child Protection Plan",
)
GENERATED_QUESTIONS = (  # {s}: a generated review's subject (the first reviews exist at every size)
    "What did the review of {s} recommend?",
    "What were the findings in the {s} review?",
    "{s} background",
    "What learning came from the review of {s}?",
)
WARMUP = (
    "safeguarding practice review learning",
    "What went wrong in this case?",
    "parental engagement and interpreters",
    "How did schools share information?",
    "police referrals",
    "What should agencies do differently?",
    "child protection conference attendance",
    "risk outside the home",
)


# -- corpus generation ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BaseText:
    """A section body built once and embedded with the real model; generated sections are variants of it."""

    heading: str
    lines: tuple[str, ...]  # with "{S}" where the subject's name goes

    def embed_text(self) -> str:
        return f"Review: Child X. {self.heading}.\n{self.render('Child X', ())}"

    def render(self, subject: str, swaps: tuple[tuple[str, str], ...], order: list[int] | None = None) -> str:
        lines = [self.lines[i] for i in order] if order else list(self.lines)
        bullet = "- " if self.heading in BULLETED else ""
        text = "\n".join(bullet + line for line in lines).replace("{S}", subject)
        for old, new in swaps:
            text = text.replace(old, new)
        return text


def seed_units() -> dict[str, list[str]]:
    """Bullets and sentences of the seed reviews by section name, subjects replaced by '{S}'."""
    units: dict[str, list[str]] = {}
    for path in SEEDS:
        review, sections = build_review(path, load(path, 10**8))
        for section in sections:
            body = re.sub(r"</?u>", "", review.text[section.start : section.end])
            for line in re.sub(r"\n (?=\S)", " ", body).split("\n"):
                line = line.strip().lstrip("-•* ").strip()
                for sentence in _SENTENCE.split(line) if estimate_tokens(line) > 60 else [line]:
                    for name in SEED_SUBJECTS:
                        sentence = sentence.replace(name, "{S}")
                    if len(sentence) > 25:
                        units.setdefault(section.name, []).append(sentence)
    return units


def scifact_sentences(path: Path, limit: int, rng: random.Random) -> list[str]:
    """Sentences of the SciFact abstracts, 50-260 characters, a random `limit` of them."""
    if not path.is_file():
        sys.exit(f"SciFact corpus {path} not found; pass --scifact FOLDER (BEIR format)")
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                text = json.loads(line).get("text") or ""
                sentences = (_LABEL.sub("", s.strip()) for s in _SENTENCE.split(text))
                out += [s for s in sentences if 50 <= len(s) <= 260]
    rng.shuffle(out)
    return out[:limit]


def base_texts(count: int, scifact: Path, seed: int) -> list[BaseText]:
    """`count` section bodies: 1-3 seed units (of the same section name where the seeds have one) plus
    1-3 sentences of the abstracts in the SciFact folder `scifact`, shuffled, kept within one chunk."""
    rng = random.Random(seed)
    seeds = seed_units()
    everything = [u for group in seeds.values() for u in group]
    science = scifact_sentences(scifact / "corpus.jsonl", count * 3, rng)
    out = []
    for number in range(count):
        heading = HEADINGS[number % len(HEADINGS)]
        pool = seeds.get(heading, everything)
        picked = rng.sample(pool, k=min(len(pool), rng.randint(1, 3))) + [
            science[(number * 3 + i) % len(science)] for i in range(rng.randint(1, 3))
        ]
        rng.shuffle(picked)
        lines: list[str] = []
        for unit in picked:
            if estimate_tokens("\n".join([*lines, unit])) <= SECTION_TOKENS:
                lines.append(unit)
        out.append(BaseText(heading, tuple(lines or [picked[0][:300]])))
    return out


def subjects(rng: random.Random) -> list[str]:
    """Distinct subject names that Casewise recognises as children's names ('Sibling QK4')."""
    letters = [chr(c) for c in range(65, 91)]
    codes = letters + [a + b for a in letters for b in letters]
    digits = ("", *"123456789")
    names = [f"{kind} {code}{digit}" for kind in SUBJECT_KINDS for code in codes for digit in digits]
    names = [n for n in names if n not in ("Child M", "Young Person F")]
    rng.shuffle(names)
    return names


@dataclass
class Generated:
    """Reviews built in memory, with which base text each section body came from."""

    derived_from: dict[int, int]  # hash(section body) -> base index
    subjects: list[str]


def generated_reviews(
    chunks: int, bases: list[BaseText], seed: int, out: Generated
) -> Iterator[tuple[Review, tuple[Section, ...]]]:
    """Reviews of ~10 sections, one chunk each, until `chunks` sections exist; prefix-stable across sizes."""
    rng = random.Random(seed)
    names = subjects(rng)
    by_heading: dict[str, list[int]] = {}
    for index, base in enumerate(bases):
        by_heading.setdefault(base.heading, []).append(index)
    made = 0
    number = 0
    while made < chunks:
        subject = names[number]
        kind = rng.choice(REVIEW_TYPES)
        headings = sorted(rng.sample(HEADINGS, k=rng.randint(8, 12)), key=HEADINGS.index)
        headings = headings[: chunks - made]
        swaps = tuple(rng.sample(REWORDINGS, k=3))
        title = f"{kind}: {subject}"
        text = f"# {title}\n\n"
        sections = []
        for ordinal, heading in enumerate(headings, start=1):
            index = rng.choice(by_heading[heading])
            base = bases[index]
            order = list(range(len(base.lines)))
            rng.shuffle(order)
            body = base.render(subject, swaps, order)
            text += f"## {heading}\n\n"
            sections.append(
                Section(
                    path=(heading,),
                    label=heading,
                    ordinal=ordinal,
                    start=len(text),
                    end=len(text) + len(body),
                )
            )
            text += body + "\n\n"
            out.derived_from[hash(body)] = index
        meta = ReviewMeta(
            title=title,
            subject=subject,
            review_type=kind.lower(),
            partnership=f"{rng.choice(PLACES)} Safeguarding Children Partnership",
            year=rng.randint(2014, 2024),
        )
        review = Review(
            review_id=f"gen-{number:05d}",
            meta=meta,
            source_path=f"generated:{number}",
            text=text.rstrip() + "\n",
        )
        out.subjects.append(subject)
        made += len(sections)
        number += 1
        yield review, tuple(sections)


class DerivedEmbedder:
    """Embedder protocol: a generated chunk gets its base text's real vector plus Gaussian noise,
    re-normalised; any other text (the seed reviews' chunks, every unit of a chunk) is encoded by the real model,
    each distinct text once."""

    def __init__(
        self, real: Embedder, base_vectors: np.ndarray, derived_from: dict[int, int], noise: float, seed: int
    ) -> None:
        self.name = f"{real.name} (derived)"
        self.dimension = real.dimension
        self.real_encoded = 0
        self._real = real
        self._base = base_vectors
        self._derived_from = derived_from
        self._noise = noise
        self._rng = np.random.default_rng(seed)
        self._memo: dict[str, np.ndarray] = {}  # real vectors of texts met before (units recur across reviews)

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [self._derived_from.get(hash(t.split("\n", 1)[-1])) for t in texts]
        known = [i for i, k in enumerate(keys) if k is not None]
        unknown = [i for i, k in enumerate(keys) if k is None]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if known:
            vectors = self._base[[keys[i] for i in known]]
            vectors = vectors + self._rng.normal(0.0, self._noise, vectors.shape).astype(np.float32)
            out[known] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        fresh = list(dict.fromkeys(texts[i] for i in unknown if texts[i] not in self._memo))
        if fresh:
            self._memo.update(zip(fresh, self._real.encode(fresh), strict=True))
            self.real_encoded += len(fresh)
        for i in unknown:
            out[i] = self._memo[texts[i]]
        return out


# -- building -----------------------------------------------------------------------------------------------
def seed_items() -> list[tuple[Review, tuple[Section, ...]]]:
    return [build_review(path, load(path, 10**8)) for path in SEEDS]


def build_generated(
    home: Path,
    chunks: int,
    bases: list[BaseText],
    base_vectors: np.ndarray,
    model: Embedder,
    noise: float = NOISE,
    seed: int = SEED,
) -> dict[str, float | int | list[str]]:
    """Index the seed reviews plus generated reviews up to `chunks` chunks in all; returns build figures."""
    settings = Settings.from_env(env={}, home=home)
    generated = Generated({}, [])
    embedder = DerivedEmbedder(model, base_vectors, generated.derived_from, noise, seed)
    seeds = seed_items()
    seed_chunks = 0
    for review, sections in seeds:  # the seed reviews count towards the size
        seed_chunks += len(chunk_review(review, sections))

    def items() -> Iterator[tuple[Review, tuple[Section, ...]]]:
        yield from seeds
        yield from generated_reviews(chunks - seed_chunks, bases, seed, generated)

    started = time.perf_counter()
    total = index_reviews(items(), settings, embedder)
    build_s = time.perf_counter() - started
    return {
        "build_s": build_s,
        "chunks_built": total,
        "reviews": len(generated.subjects) + len(seeds),
        "real_encoded": embedder.real_encoded,
        "subjects": generated.subjects[:4],
    }


def build_seed(home: Path, model: Embedder) -> dict[str, float | int | list[str]]:
    """The baseline: the seed corpus through the real ingest pipeline and the real model."""
    settings = Settings.from_env(env={}, home=home)
    started = time.perf_counter()
    report = run_ingest([REPO_ROOT / "corpus"], settings, lambda: model)
    if report.failed:
        sys.exit(f"seed ingest failed: {report.failed[0].message}")
    return {
        "build_s": time.perf_counter() - started,
        "chunks_built": Catalog(settings.db_path).chunk_count(),
        "reviews": report.count("added"),
        "real_encoded": -1,
        "subjects": [],
    }


def write_reviews(folder: Path, reviews: int, scifact: Path, base: int = 600, seed: int = SEED) -> int:
    """Write `reviews` generated reviews as markdown files under `folder`; returns their sections (= chunks)."""
    bases = base_texts(base, scifact, seed)
    sections = 0
    for review, parts in generated_reviews(reviews * 10, bases, seed, Generated({}, [])):
        (folder / f"{review.review_id}.md").write_text(review.text, encoding="utf-8")
        sections += len(parts)
        if int(review.review_id.split("-")[1]) + 1 >= reviews:
            break
    return sections
