"""Seeded generator of realistic health articles for benchmarks (JSONL: id, text, format).

    .venv/bin/python benchmarks/corpus.py --n 1000 --seed 7 --out out/bench/corpus-1000.jsonl

Articles mix genres (SEO guide in markdown with lists and links, news story, forum thread, HTML
product page with script and footer), substances from the bundled KB, doses written in many ways, hedges, vague and
named attribution, citations, links, headings, lists and questions; lengths from ~60 to ~1,900 words (mean ~420).
The same --n and --seed always give the same file.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from pipeline.regulatory import KnowledgeBase

HEDGES = ["may", "might", "could", "can", "appears to", "seems to", "is thought to", "is believed to", "is likely to"]
BENEFITS = ["ease joint pain", "improve sleep quality", "lower anxiety", "support healthy digestion",
            "boost energy levels", "reduce inflammation", "sharpen focus", "help with weight loss",
            "lower blood pressure", "support immune function", "relieve muscle cramps", "improve mood",
            "reduce cravings", "speed up recovery after exercise", "balance blood sugar", "calm the nerves"]
RISKS = ["liver damage", "nausea", "headaches", "dizziness", "dependence", "withdrawal symptoms",
         "interactions with blood thinners", "low blood pressure", "stomach upset", "drowsiness",
         "serotonin syndrome when combined with antidepressants", "heart palpitations"]
AMOUNTS = ["{a} mg", "{a}mg", "{a}-{b} mg", "{a} to {b} mg", "{g} g", "{g}-{g2} grams", "one capsule", "two capsules",
           "1-2 tablets", "half a teaspoon", "a heaped teaspoon", "{a} mcg", "{iu} IU", "{drops} drops", "10 ml"]
FREQS = ["once a day", "twice daily", "once or twice daily", "every 4-6 hours", "three times a day", "daily",
         "at bedtime", "with meals", "in the morning", "before workouts", "as needed", "every other day"]
VAGUE = ["Studies show that", "Research suggests that", "Experts say", "Many users report that", "It is believed that",
         "Scientists have found that", "Some doctors recommend that", "Evidence indicates that"]
NAMED = ["According to the NIH,", "The FDA notes that", "The WHO says", "Mayo Clinic advises that",
         "Dr. Jane Holloway, a pharmacist at Leeds General Infirmary, says", "The NHS website states that",
         "Health Canada reports that"]
JOURNALS = ["JAMA", "BMJ", "the Lancet", "Nutrients", "Phytotherapy Research", "the Journal of Clinical Sleep Medicine"]
PEOPLE = ["women over 50", "older adults", "athletes", "people with arthritis", "shift workers", "students",
          "new mothers", "anyone with trouble sleeping"]
FORUM = ["honestly", "tbh", "lol", "idk", "fwiw", "imo", "ngl"]
TOPICS = ["Sleep", "Stress", "Joint Health", "Energy", "Weight Loss", "Focus", "Immunity", "Recovery", "Gut Health"]


class Writer:
    """Builds one article from a seeded random generator."""

    def __init__(self, rng: random.Random, names: list[str]) -> None:
        self.rng = rng
        self.names = names

    def pick(self, seq):
        return self.rng.choice(seq)

    def amount(self) -> str:
        r = self.rng
        a = r.choice([5, 10, 25, 50, 100, 200, 250, 300, 400, 500, 600, 750, 1000, 1500, 2000, 3000])
        return self.pick(AMOUNTS).format(a=a, b=a * 2, g=r.choice([1, 2, 3, 5]), g2=r.choice([6, 8, 10]),
                                         iu=r.choice([400, 1000, 2000, 5000]), drops=r.choice([2, 5, 10, 20]))

    def efficacy(self, s: str) -> str:
        r = self.rng
        if r.random() < 0.5:
            return f"{s.capitalize() if s[0].islower() else s} {self.pick(HEDGES)} {self.pick(BENEFITS)}."
        return f"{s} helps {self.pick(PEOPLE)} {self.pick(BENEFITS)} within {r.choice([2, 3, 4, 6, 8])} weeks."

    def dosing(self, s: str) -> str:
        r = self.rng
        forms = [f"Take {self.amount()} of {s} {self.pick(FREQS)}.",
                 f"Most people start with {self.amount()} {self.pick(FREQS)} and work up slowly.",
                 f"The usual dose of {s} is {self.amount()} {self.pick(FREQS)}, though some take more.",
                 f"For {self.pick(BENEFITS).split()[-1]}, try {self.amount()} {self.pick(FREQS)} for {r.choice([2, 4, 8])} weeks."]
        return self.pick(forms)

    def safety(self, s: str) -> str:
        forms = [f"{s} can cause {self.pick(RISKS)} in some people.",
                 f"Talk to your doctor before taking {s} if you are pregnant or on medication.",
                 f"High doses of {s} have been linked to {self.pick(RISKS)}.",
                 f"{s} is generally considered safe and side effects are rare."]
        return self.pick(forms)

    def attributed(self, sentence: str) -> str:
        r = self.rng.random()
        body = sentence[0].lower() + sentence[1:]
        if r < 0.3:
            return f"{self.pick(VAGUE)} {body}"
        if r < 0.45:
            return f"{self.pick(NAMED)} {body}"
        if r < 0.6:
            year = self.rng.randint(2005, 2025)
            return f"{sentence[:-1]} (published in {self.pick(JOURNALS)}, {year}) [{self.rng.randint(1, 12)}]."
        return sentence

    def paragraph(self, s: str, n: int) -> str:
        makers = [self.efficacy, self.efficacy, self.dosing, self.safety]
        out = []
        for _ in range(n):
            sent = self.pick(makers)(s)
            out.append(self.attributed(sent))
            if self.rng.random() < 0.15:
                out.append(f"Many readers ask whether {s} works for {self.pick(PEOPLE)}.")
        return " ".join(out)

    def seo(self, s: str, k: int) -> tuple[str, str]:
        lines = [f"# {s}: Benefits, Dosage and Side Effects ({self.rng.randint(2021, 2026)} Guide)", ""]
        for section in range(k):
            lines += [f"## {self.pick(['What Is', 'Benefits of', 'How to Take', 'Is It Safe?', 'Where to Buy'])} "
                      f"{s}" if section % 2 == 0 else f"## {self.pick(TOPICS)} and {s}", ""]
            lines += [self.paragraph(s, self.rng.randint(4, 9)), ""]
            if self.rng.random() < 0.5:
                lines += [f"- {self.dosing(s)}", f"- {self.efficacy(s)}", f"- [See the evidence](https://example.org/{s.lower().replace(' ', '-')})", ""]
        lines += ["*This article is for information only and is not medical advice.*"]
        return "\n".join(lines), "md"

    def news(self, s: str, k: int) -> tuple[str, str]:
        city = self.pick(["LONDON", "BOSTON", "SYDNEY", "TORONTO", "CHICAGO"])
        paras = [f"{city} — A new study of {self.rng.randint(40, 4000)} adults suggests that {s.lower()} "
                 f"{self.pick(HEDGES)} {self.pick(BENEFITS)}, researchers reported on "
                 f"{self.pick(['Monday', 'Tuesday', 'Friday'])}."]
        paras += [self.paragraph(s, self.rng.randint(2, 5)) for _ in range(k)]
        paras.append(f"\"We still need larger trials,\" said {self.pick(['Dr. Ana Ruiz', 'Prof. Mark Oduya', 'Dr. Lee Chen'])}, "
                     f"who was not involved in the work.")
        return "\n\n".join(paras), "txt"

    def forum(self, s: str, k: int) -> tuple[str, str]:
        posts = []
        for _ in range(k):
            posts.append(f"{self.pick(FORUM)} i've been on {s.lower()} for {self.rng.randint(2, 30)} days. "
                         f"{self.dosing(s)} {self.efficacy(s)} anyone else get {self.pick(RISKS)}?")
        return "\n\n".join(posts), "txt"

    def product(self, s: str, k: int) -> tuple[str, str]:
        items = "".join(f"<li>{self.efficacy(s)}</li>" for _ in range(k))
        body = (f"<html><head><title>{s} Capsules</title><script>var x = 1;</script></head><body>"
                f"<h1>Premium {s} Extract – {self.rng.choice([60, 90, 120])} Capsules</h1>"
                f"<p>{self.paragraph(s, 3)}</p><ul>{items}</ul>"
                f"<h2>Directions</h2><p>{self.dosing(s)}</p>"
                f"<p>See <a href=\"https://pubmed.ncbi.nlm.nih.gov/{self.rng.randint(10**7, 4 * 10**7)}/\">this trial</a>.</p>"
                f"<footer>© Wellness Co.</footer></body></html>")
        return body, "html"

    def article(self, i: int) -> dict:
        s = self.pick(self.names)
        k = self.rng.choice([2, 3, 4, 5, 7, 10, 16])
        genre = self.pick(["seo", "seo", "news", "forum", "product"])
        text, fmt = getattr(self, genre)(s, k)
        return {"id": f"bench-{i:07d}", "genre": genre, "format": fmt, "text": text}


def generate(n: int, seed: int = 7):
    """Yield n article records; deterministic for (n, seed)."""
    kb = KnowledgeBase.default()
    names = sorted(s.name for s in kb.by_id.values())
    rng = random.Random(seed)
    writer = Writer(rng, names)
    for i in range(n):
        yield writer.article(i)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    words = 0
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in generate(args.n, args.seed):
            words += len(rec["text"].split())
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"{args.n} articles, {words} words -> {args.out}")


if __name__ == "__main__":
    main()
