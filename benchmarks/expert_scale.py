"""A judged set at scale: known experts planted in a large, noisy generated hub.

`generate_hub.generate` writes the noise (hundreds of random projects, people,
null results, discussions and lineage with Zipf-like reuse); this module plants,
among it, the people a team lead would name for a set of questions, each a case
the expert model must get right on a real hub (issue 23):

- volume vs recency: a track record on a topic, the latest two years old,
  against one recent project;
- the creator of a much-reused asset: the topic inherited from the producing
  project, from the asset's own tags, from its description (free text), and
  from its consumers' topics;
- stakeholders and sponsors who never did the work, against the person who did;
- alumni with old versions of a tool against current people with the newest
  (`latest <tool>`), and the alumni for the old version;
- self-declared skills without evidence, against the one person with evidence;
- null-result authors against reviewers and an old one-off lead;
- free text found only in project summaries and README bodies;
- one person with many projects on a topic among many one-off leads.

Every planted topic is also sprinkled over random noise projects (one-off leads),
and planted people do random unrelated work too. Each case family is planted
twice, with its own topic names and jittered dates (volume vs recency three times), so one lucky tie cannot
carry a figure. Written before the ranking was tuned (see docs/expert-ranking.md):
do not edit the judgements to fit the model.

    python benchmarks/expert_scale.py OUT_DIR [--projects 520] [--seed 23] [--per-query]

writes the hub, `OUT_DIR/judged.yml`, and prints P@1, P@3 and MRR for the model
and the baseline (reference date REFERENCE).
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_hub import TAGS, TEAMS, TOOLS, generate, paragraph, sentence

REFERENCE = date(2026, 12, 1)  # recency is measured from here (the evaluation's "today")


@dataclass
class Judged:
    query: str
    relevant: list[str]
    case: str
    why: str


@dataclass
class Planter:
    """Writes planted records into a generated hub's content/ and collects the judged queries."""

    content: Path
    rng: random.Random
    noise_people: list[str]
    noise_projects: list[str]
    queries: list[Judged] = field(default_factory=list)
    n: int = 0

    def ago(self, days: int, jitter: int = 20) -> date:
        return REFERENCE - timedelta(days=days + self.rng.randint(-jitter, jitter))

    def person(
        self,
        handle: str,
        name: str,
        title: str = "Data Scientist",
        skills: tuple[str, ...] = (),
        left: date | None = None,
        joined: date = date(2019, 3, 1),
    ) -> str:
        lines = [f"name: {name}", f"team: {self.rng.choice(TEAMS)}", f"title: {title}", f"joined: {joined}"]
        if skills:
            lines.append(f"skills: [{', '.join(skills)}]")
        if left:
            lines.append(f"left: {left}")
        (self.content / "people" / f"{handle}.yml").write_text("\n".join(lines) + "\n")
        # planted people do random, unrelated work too
        for _ in range(self.rng.randint(1, 2)):
            self.project(
                tags=self.rng.sample(TAGS, 2),
                people=[(self.rng.choice(self.noise_people), "lead"), (handle, "contributor")],
                started=self.ago(self.rng.randint(200, 1200)),
                status="delivered",
                ended_after=self.rng.randint(90, 200),
                until=left,
            )
        return handle

    def project(
        self,
        *,
        tags: list[str],
        people: list[tuple[str, str]],
        started: date,
        status: str = "delivered",
        ended_after: int | None = 180,
        tools: list[str] | None = None,
        summary: str | None = None,
        readme: str | None = None,
        consumes: list[str] | None = None,
        produces: list[str] | None = None,
        title: str | None = None,
        until: date | None = None,
    ) -> str:
        """One internal project; `until` caps its dates (an alumnus' work ends when they left)."""
        self.n += 1
        pid = f"planted-{self.n:04d}"
        pdir = self.content / "projects" / pid
        pdir.mkdir(parents=True)
        ended = None
        if status not in ("active", "backlog"):
            ended = started + timedelta(days=ended_after or 180)
            if until and ended > until:
                ended = until
            ended = min(ended, REFERENCE - timedelta(days=5))
        lines = [
            f"title: {title or sentence(self.rng, 4).rstrip('.')}",
            f"summary: {summary or paragraph(self.rng, 2)}",
            f"status: {status}",
        ]
        if status == "active":
            lines.append("stage: research")
        lines += [
            f"team: {self.rng.choice(TEAMS)}",
            f"tags: [{', '.join(dict.fromkeys(tags))}]",
            f"tools: [{', '.join(tools if tools is not None else self.rng.sample(TOOLS, 2))}]",
            f"started: {started}",
        ]
        if ended:
            lines.append(f"ended: {ended}")
        lines.append("people:")
        for handle, role in people:
            lines.append(f"  - {{person: {handle}, role: {role}}}")
        lines += ["stage_history:", f"  - {{stage: ideation, date: {started}}}", "visibility: internal"]
        (pdir / "project.yml").write_text("\n".join(lines) + "\n")
        if readme:
            (pdir / "README.md").write_text(f"# {pid}\n\n{readme}\n")
        if consumes or produces:
            (pdir / "lineage.yml").write_text(
                ("consumes:\n" + "".join(f"  - {c}\n" for c in consumes) if consumes else "")
                + ("produces:\n" + "".join(f"  - {p}\n" for p in produces) if produces else "")
            )
        return pid

    def one_offs(self, tag: str, count: int, *, recent: bool = False) -> list[str]:
        """Noise on a planted topic: projects by random people who each touch it once."""
        leads = self.rng.sample(self.noise_people, count)
        for lead in leads:
            days = self.rng.randint(60, 400) if recent else self.rng.randint(200, 1500)
            status = "active" if recent and self.rng.random() < 0.5 else "delivered"
            others = [
                (h, self.rng.choice(["contributor", "reviewer", "stakeholder"]))
                for h in self.rng.sample(self.noise_people, 2)
                if h != lead
            ]
            self.project(
                tags=[tag, *self.rng.sample(TAGS, 2)],
                people=[(lead, "lead"), *others],
                started=self.ago(days),
                status=status,
            )
        return leads

    def helpers(self, count: int = 2) -> list[tuple[str, str]]:
        return [(h, self.rng.choice(["contributor", "reviewer"])) for h in self.rng.sample(self.noise_people, count)]

    def judge(self, query: str, relevant: list[str], case: str, why: str) -> None:
        self.queries.append(Judged(query, relevant, case, why))

    def noise_tags(self) -> list[str]:
        return self.rng.sample(TAGS, 2)


# --------------------------------------------------------------------------- the cases


def volume_vs_recency(pl: Planter, k: int, tag: str, older: int = 0) -> None:
    """Led two projects and contributed to a third, the latest two years ago (`older`: days more); against one
    project begun last year (active in odd instances)."""
    veteran = pl.person(f"veteran-{k}", f"Vera Veteran{k}")
    newcomer = pl.person(f"newcomer-{k}", f"Noel Newcomer{k}")
    for days, role in ((1000, "lead"), (880, "contributor"), (900, "lead")):
        people = [(veteran, "lead")] if role == "lead" else [(pl.rng.choice(pl.noise_people), "lead"), (veteran, role)]
        pl.project(
            tags=[tag, *pl.noise_tags()], people=[*people, *pl.helpers()], started=pl.ago(days + older), ended_after=170
        )
    pl.project(
        tags=[tag, *pl.noise_tags()],
        people=[(newcomer, "lead"), *pl.helpers()],
        started=pl.ago(300),
        status="active" if k % 2 else "delivered",
        ended_after=200,
    )
    pl.one_offs(tag, 3)
    pl.judge(
        tag.replace("-", " "),
        [veteran],
        "volume vs recency",
        "led two projects and contributed to a third (latest two years ago) against one project from last year",
    )


def reused_creator(pl: Planter, k: int, tag: str, own_tag: str, phrase: str, consumer_tag: str) -> None:
    """The creator of much-reused assets, found four ways; each against a one-project lead on the topic."""
    # (a) topic inherited from the producing project
    creator = pl.person(f"creator-{k}", f"Cara Creator{k}")
    component = f"component:matcher-{k}"
    pl.project(
        tags=[tag, *pl.noise_tags()],
        people=[(creator, "lead"), *pl.helpers()],
        started=pl.ago(700),
        ended_after=200,
        produces=[component],
    )
    for _ in range(16):
        pl.project(
            tags=pl.noise_tags(),
            people=[(pl.rng.choice(pl.noise_people), "lead")],
            started=pl.ago(pl.rng.randint(60, 500)),
            consumes=[component],
        )
    rival = pl.person(f"rival-{k}", f"Rita Rival{k}")
    pl.project(
        tags=[tag, *pl.noise_tags()], people=[(rival, "lead"), *pl.helpers()], started=pl.ago(250), status="active"
    )
    pl.one_offs(tag, 2)
    pl.judge(
        tag.replace("-", " "),
        [creator],
        "reuse: producing project's topic",
        f"led the project producing {component}, consumed by 16 projects; the rival has one project",
    )

    # (b) the asset's own tags and description
    builder = pl.person(f"builder-{k}", f"Bo Builder{k}")
    parser = f"component:parser-{k}"
    (pl.content / "assets" / "component").mkdir(parents=True, exist_ok=True)
    (pl.content / "assets" / "component" / f"parser-{k}.yml").write_text(
        f"title: Parser {k}\ndescription: Wraps the {phrase} library used across the company\n"
        f"source: internal\ntags: [{own_tag}]\n"
    )
    pl.project(tags=pl.noise_tags(), people=[(builder, "lead"), *pl.helpers()], started=pl.ago(600), produces=[parser])
    for _ in range(12):
        pl.project(
            tags=pl.noise_tags(),
            people=[(pl.rng.choice(pl.noise_people), "lead")],
            started=pl.ago(pl.rng.randint(60, 500)),
            consumes=[parser],
        )
    other = pl.person(f"other-{k}", f"Olga Other{k}")
    pl.project(
        tags=[own_tag, *pl.noise_tags()],
        people=[(other, "lead"), *pl.helpers()],
        started=pl.ago(200),
        status="active",
        summary=f"{paragraph(pl.rng, 1)} Mentions {phrase.split()[0]} once.",
    )
    pl.judge(
        own_tag.replace("-", " "),
        [builder],
        "reuse: the asset's own tags",
        f"led the project producing {parser} (tagged {own_tag}), consumed by 12 projects",
    )
    pl.judge(
        phrase,
        [builder],
        "reuse: the asset's description (free text)",
        f"{parser}'s description names {phrase}; a rival's summary mentions a word of it once",
    )

    # (c) the consumers' topics: sixteen one-off projects on the topic all use what the creator built
    platform = pl.person(f"platform-{k}", f"Pavel Platform{k}")
    feature = f"feature:signals-{k}"
    pl.project(
        tags=pl.noise_tags(), people=[(platform, "lead"), *pl.helpers()], started=pl.ago(650), produces=[feature]
    )
    crowd = pl.rng.sample(pl.noise_people, 32)  # sixteen leads and sixteen helpers, each on one project only
    for lead, helper in zip(crowd[:16], crowd[16:]):
        pl.project(
            tags=[consumer_tag, *pl.noise_tags()],
            people=[(lead, "lead"), (helper, "contributor")],
            started=pl.ago(pl.rng.randint(60, 700)),
            consumes=[feature],
        )
    pl.judge(
        consumer_tag.replace("-", " "),
        [platform],
        "reuse: the consumers' topics",
        f"built {feature}, which all 16 projects on the topic consume; each of them has its own lead and helper",
    )


def stakeholders(pl: Planter, k: int, tag: str) -> None:
    """A stakeholder and sponsor on many projects against the person who did the work."""
    boss = pl.person(f"stakeholder-{k}", f"Stella Stakeholder{k}", title="Head of Operations")
    doer = pl.person(f"doer-{k}", f"Dmitri Doer{k}")
    for i in range(9):
        people = [(pl.rng.choice(pl.noise_people), "lead"), (boss, "sponsor" if i % 3 == 0 else "stakeholder")]
        if i < 2:
            people = [(doer, "lead"), (boss, "stakeholder")]
        elif i == 2:
            people.append((doer, "contributor"))
        pl.project(tags=[tag, *pl.noise_tags()], people=people, started=pl.ago(pl.rng.randint(100, 900)))
    pl.judge(
        tag.replace("-", " "),
        [doer],
        "stakeholders who never did the work",
        "led two and contributed to a third; the stakeholder sat on nine",
    )


def alumni_versions(pl: Planter, k: int, tool: str, old: tuple[str, str], new: tuple[str, str]) -> None:
    """An alumna with many projects on old versions; a current person with the newest."""
    left = REFERENCE - timedelta(days=700)
    alumna = pl.person(f"alumna-{k}", f"Alma Alumna{k}", left=left, joined=date(2018, 1, 1))
    current = pl.person(f"current-{k}", f"Cyrus Current{k}")
    for i in range(5):
        pl.project(
            tags=pl.noise_tags(),
            tools=[f"{tool}=={old[i % 2]}"],
            people=[(alumna, "lead"), *pl.helpers()],
            started=left - timedelta(days=300 + 150 * i),
            ended_after=200,
            until=left,
        )
    pl.project(
        tags=pl.noise_tags(),
        tools=[f"{tool}=={new[1]}"],
        people=[(current, "lead"), *pl.helpers()],
        started=pl.ago(150),
        status="active",
    )
    pl.project(
        tags=pl.noise_tags(),
        tools=[f"{tool}=={new[0]}"],
        people=[(pl.rng.choice(pl.noise_people), "lead"), (current, "contributor")],
        started=pl.ago(400),
    )
    for _ in range(3):  # one-offs with middle versions
        pl.project(
            tags=pl.noise_tags(),
            tools=[f"{tool}=={pl.rng.choice([old[1], new[0]])}"],
            people=[(pl.rng.choice(pl.noise_people), "lead")],
            started=pl.ago(pl.rng.randint(300, 900)),
        )
    pl.judge(
        f"latest {tool}",
        [current],
        "alumni with old versions vs current with new (latest)",
        f"{current} uses {tool} {new[1]}, the newest; the alumna only {old[0]} and {old[1]}",
    )
    pl.judge(
        f"{tool} {old[0]}",
        [alumna],
        "alumni with old versions (the old version asked for)",
        f"the alumna led three projects on {tool} {old[0]}",
    )


def declared_skills(pl: Planter, k: int, tag: str) -> None:
    """Three people declare the skill, one of them the Head of Data Science; one person has the evidence."""
    for i, title in enumerate(("Head of Data Science", "Principal Data Scientist", "Data Scientist")):
        pl.person(f"declarer-{k}-{i}", f"Dana Declarer{k}{i}", title=title, skills=(tag, *TAGS[:2]))
    real = pl.person(f"practitioner-{k}", f"Priya Practitioner{k}")
    pid = pl.project(
        tags=[tag, *pl.noise_tags()], people=[(real, "lead"), *pl.helpers(1)], started=pl.ago(420), ended_after=200
    )
    disc = pl.content / "projects" / pid / "discussions"
    disc.mkdir()
    msgs = "".join(f"## @{real} {pl.ago(300, 5) + timedelta(days=i)}\n\n{paragraph(pl.rng, 1)}\n\n" for i in range(3))
    (disc / "approach.md").write_text(f"---\ntitle: Which approach\nstatus: decided\n---\n\nContext.\n\n{msgs}")
    pl.judge(
        tag.replace("-", " "),
        [real],
        "self-declared skills without evidence",
        "three people declare the skill with no record behind it; one led a project on it and discussed it",
    )


def null_results(pl: Planter, k: int, tag: str) -> None:
    """The author of two null results (and a contribution) against reviewers and an old one-off lead."""
    author = pl.person(f"author-{k}", f"Nadia Nullauthor{k}")
    reviewer = pl.person(f"reviewer-{k}", f"Rex Reviewer{k}")
    pid = pl.project(
        tags=[tag, *pl.noise_tags()],
        people=[(pl.rng.choice(pl.noise_people), "lead"), (author, "contributor"), (reviewer, "reviewer")],
        started=pl.ago(700),
    )
    nr = pl.content / "projects" / pid / "null-results"
    nr.mkdir()
    for i, days in enumerate((300, 600)):
        (nr / f"nr-{pid}-{i}.md").write_text(
            f"---\ntitle: {sentence(pl.rng, 5)}\ndate: {pl.ago(days)}\nauthors: [{author}]\n"
            f"hypothesis: {sentence(pl.rng)}\noutcome: {sentence(pl.rng)}\nreason: no-signal\ntags: [{tag}]\n---\n\n"
            f"{paragraph(pl.rng, 3)}\n"
        )
    pl.project(
        tags=[tag, *pl.noise_tags()],
        people=[(pl.rng.choice(pl.noise_people), "lead"), (reviewer, "reviewer")],
        started=pl.ago(500),
    )
    pl.one_offs(tag, 2)
    pl.judge(
        tag.replace("-", " "),
        [author],
        "null-result authors",
        "wrote both null results on the topic and contributed; others reviewed or led one old project",
    )


def free_text(pl: Planter, k: int, phrase: str, where: str) -> None:
    """A phrase no tag carries, written only in summaries (or README bodies) of one person's projects."""
    owner = pl.person(f"writer-{k}", f"Wim Writer{k}")
    for days in (300, 600, 900):
        text = f"{paragraph(pl.rng, 1)} We built the {phrase} for finance. {paragraph(pl.rng, 1)} The {phrase} runs nightly."
        if where == "summary":
            pl.project(
                tags=pl.noise_tags(), people=[(owner, "lead"), *pl.helpers()], started=pl.ago(days), summary=text
            )
        else:
            pl.project(
                tags=pl.noise_tags(),
                people=[(owner, "lead"), *pl.helpers()],
                started=pl.ago(days),
                readme="\n\n".join((paragraph(pl.rng, 4), text, paragraph(pl.rng, 4))),
            )
    passer = pl.person(f"passer-{k}", f"Paz Passer{k}")
    pl.project(
        tags=pl.noise_tags(),
        people=[(passer, "lead"), *pl.helpers()],
        started=pl.ago(100),
        status="active",
        readme=f"{paragraph(pl.rng, 5)} Unlike the {phrase.split()[-1]} work elsewhere. {paragraph(pl.rng, 3)}",
    )
    pl.judge(
        phrase,
        [owner],
        f"free text only in {where}s",
        f"'{phrase}' is in three of the person's project {where}s and in no tag",
    )


def many_among_one_offs(pl: Planter, k: int, tag: str) -> None:
    """Nine projects on the topic over four years among twenty-five one-off leads."""
    mainstay = pl.person(f"mainstay-{k}", f"Mona Mainstay{k}")
    for i in range(9):
        role = "lead" if i % 2 == 0 else "contributor"
        people = (
            [(mainstay, "lead")]
            if role == "lead"
            else [(pl.rng.choice(pl.noise_people), "lead"), (mainstay, "contributor")]
        )
        pl.project(tags=[tag, *pl.noise_tags()], people=[*people, *pl.helpers()], started=pl.ago(200 + 150 * i))
    pl.one_offs(tag, 25, recent=True)
    pl.judge(
        tag.replace("-", " "),
        [mainstay],
        "one person with many projects among many one-offs",
        "nine projects on the topic; twenty-five others touched it once, some recently",
    )


def plant(out: Path, seed: int = 23) -> list[Judged]:
    """Plant every case (twice) into the hub generated at `out`; the judged queries."""
    content = out / "content"
    noise_people = sorted(p.stem for p in (content / "people").glob("*.yml"))
    noise_projects = sorted(p.name for p in (content / "projects").iterdir())
    pl = Planter(content, random.Random(seed), list(noise_people), noise_projects)
    volume_vs_recency(pl, 1, "conformal-prediction")
    volume_vs_recency(pl, 2, "queueing-models")
    volume_vs_recency(pl, 3, "spatial-statistics", older=120)
    reused_creator(pl, 1, "entity-resolution", "address-normalization", "libpostal geocoder", "loyalty-programmes")
    reused_creator(pl, 2, "record-linkage", "image-deduplication", "perceptual hashing", "dynamic-pricing")
    stakeholders(pl, 1, "supplier-risk")
    stakeholders(pl, 2, "workforce-scheduling")
    alumni_versions(pl, 1, "ortools", ("7.8", "8.2"), ("9.4", "9.10"))
    alumni_versions(pl, 2, "darts", ("0.21", "0.24"), ("0.28", "0.30"))
    declared_skills(pl, 1, "bandit-algorithms")
    declared_skills(pl, 2, "federated-learning")
    null_results(pl, 1, "synthetic-control")
    null_results(pl, 2, "knowledge-graphs")
    free_text(pl, 1, "kestrelbank ledger reconciliation", "summary")
    free_text(pl, 2, "halvorsen smoothing", "README")
    many_among_one_offs(pl, 1, "causal-forests")
    many_among_one_offs(pl, 2, "process-mining")
    (out / "judged.yml").write_text(
        yaml.safe_dump(
            {
                "audience": "internal",
                "reference_date": REFERENCE.isoformat(),
                "queries": [
                    {"query": q.query, "relevant": q.relevant, "case": q.case, "why": q.why} for q in pl.queries
                ],
            },
            sort_keys=False,
            allow_unicode=True,
        )
    )
    return pl.queries


def build(out: Path, projects: int = 520, seed: int = 23) -> list[Judged]:
    """Noise of `projects` random projects, then the planted cases (about 200 more projects)."""
    generate(out, projects, seed)
    return plant(out, seed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--projects", type=int, default=520, help="noise projects (planted ones come on top)")
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--per-query", action="store_true")
    args = ap.parse_args(argv)
    build(args.out, args.projects, args.seed)
    from benchmarks import expert_quality

    n = sum(1 for _ in (args.out / "content" / "projects").iterdir())
    print(f"hub: {n} projects, {sum(1 for _ in (args.out / 'content' / 'people').glob('*.yml'))} people")
    argv_q = ["--repo", str(args.out), "--judged", str(args.out / "judged.yml"), "--today", REFERENCE.isoformat()]
    return expert_quality.main(argv_q + (["--per-query"] if args.per_query else []))


if __name__ == "__main__":
    sys.exit(main())
