"""ClaimChecker: wires the stages for one text or a stream of articles."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline import fastchar, fastlinear
from pipeline.attribution import quest_attribution_grade, sourcing_for_units, unit_sourcing
from pipeline.classify import (
    EXPLAINS,
    MODEL_CLAIM_P,
    NUMERIC_FEATURES,
    RULE_FEATURES,
    ClaimModel,
    SpanIndex,
    TokenView,
    docs_features,
    span_features,
)
from pipeline.config import CUES_KEY, LABELS, PIPE_BATCH_SIZE, SUBSTANCES_KEY, UNITS_KEY
from pipeline.doses import extract_doses
from pipeline.errors import ClaimcheckError, EmptyText, ModelLoadError, UnsupportedLanguage, VectorsMissing
from pipeline.ingest import article_from_text, error_article, looks_english, sniff_format
from pipeline.nlp import CLASSIFY_DISABLE, SENTENCES, build_nlp
from pipeline.regulatory import KnowledgeBase, regulatory_context
from pipeline.schema import Article, ArticleResult, Claim, Cue, articles_frame, claims_frame
from pipeline.score import Weights, build_flags, score_article
from pipeline.segment import TEXT_KEY

CHUNK_CHARS = 25_000  # longer articles are processed in chunks cut at paragraph boundaries
PIPE_BATCH_CHARS = 25_000  # at most about this many characters go through spaCy at once
_SHOWN_CUES = {"CITATION", "ATTR_NAMED", "ATTR_VAGUE", "REG_CONTEXT"}


class ClaimChecker:
    """Checks health articles. Build with :func:`pipeline.load`."""

    def __init__(self, nlp: Language, model: ClaimModel, kb: KnowledgeBase, weights: Weights) -> None:
        self.nlp = nlp
        self.model = model
        self.kb = kb
        self.weights = weights
        self.load_args: dict | None = None  # how pipeline.load() built it (spawned workers rebuild it so)
        tagger = nlp.get_pipe("hc_cues")
        self.generic_rules = tagger.generic
        self.cue_tags = (tagger.generic, tagger.weak, tagger.decisive)

    # ------------------------------------------------------------------ public API
    def check(self, text: str, id: str | None = None, *, fmt: str = "auto", source: str = "") -> ArticleResult:
        """Check one article given as text, markdown or HTML (``fmt='auto'`` guesses)."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        art = article_from_text(text, id=id or "article", source=source, fmt=fmt if fmt != "auto" else sniff_format(text))
        return next(self.check_articles([art]))

    def check_articles(self, articles: Iterable[Article], *, batch_size: int = 16) -> Iterator[ArticleResult]:
        """Results in input order; a failing article yields a result with ``error`` set, never an exception."""
        it = iter(articles)
        while True:
            batch = list(islice(it, batch_size))
            if not batch:
                return
            yield from self._check_batch(batch)

    def classify(self, texts: list[str]) -> pd.DataFrame:
        """One row per text (each taken as one unit): labels, probabilities and sourcing."""
        texts = ["" if t is None else str(t) for t in texts]
        docs = list(self.nlp.pipe(texts, batch_size=256, disable=list(CLASSIFY_DISABLE)))
        X = docs_features(self.nlp, docs)
        probs = self.model.predict_proba(X)
        dec = self.model.decide(probs)
        sourcing = [unit_sourcing(d, d[:], [])[0] if len(d) else "none" for d in docs]
        out = pd.DataFrame({"text": texts})
        for lab in LABELS:
            out[lab] = dec[lab].to_numpy().astype(bool)
        for lab in LABELS:
            out[f"p_{lab}"] = probs[f"p_{lab}"].to_numpy().astype(float).round(4)
        out["sourcing"] = [s if c else "none" for s, c in zip(sourcing, out["is_claim"], strict=True)]
        return out

    def score_frame(self, df: pd.DataFrame, text_col: str = "text", id_col: str = "id", *,
                    n_process: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Score a DataFrame of articles: (one row per article, one row per claim). ``n_process`` > 1
        checks batches in worker processes (same results)."""
        from pipeline.parallel import check_parallel

        arts = frame_articles(df, text_col, id_col)
        results = list(check_parallel(self, arts, n_process=n_process))
        return articles_frame(results), claims_frame(results)

    # ------------------------------------------------------------------ internals
    def make_docs(self, art: Article) -> list[Doc]:
        chunks = _chunks(art.text, CHUNK_CHARS)
        docs = []
        for start, end in chunks:
            d = self.nlp.make_doc(art.text[start:end])
            d.user_data[TEXT_KEY] = art.text[start:end]  # hc_ components read it instead of rebuilding Doc.text
            d._.hc_blocks = [b.__class__(b.start - start, b.end - start, b.kind) for b in art.blocks
                             if start <= b.start < end]
            docs.append(d)
        return docs

    def pipe_docs(self, docs: list[Doc]) -> list[Doc]:
        """The spaCy pass over made docs, in batches of at most ~PIPE_BATCH_CHARS characters (memory)."""
        longest = max((d[-1].idx + len(d[-1]) if len(d) else 0 for d in docs), default=1)  # chars; d.text is slow
        bs = max(1, min(PIPE_BATCH_SIZE, PIPE_BATCH_CHARS // max(1, longest)))
        return list(self.nlp.pipe(docs, batch_size=bs))

    def _check_batch(self, batch: list[Article]) -> list[ArticleResult]:
        results: list[ArticleResult | None] = [None] * len(batch)
        work: list[tuple[int, Article, list[Doc]]] = []
        for i, art in enumerate(batch):
            if art.error is not None:
                results[i] = ArticleResult(id=art.id, source=art.source, error=art.error, meta=art.meta)
            elif not art.text.strip():
                results[i] = ArticleResult(id=art.id, source=art.source, meta=art.meta,
                                           error={"code": EmptyText.code, "message": str(
                                               EmptyText(f"{art.source or art.id}: no text"
                                                         + (" (HTML with no visible text)" if art.meta.get("format") == "html" else "")))})
            elif not (lang := looks_english(art.text))[0]:
                results[i] = ArticleResult(id=art.id, source=art.source, meta=art.meta, error={
                    "code": UnsupportedLanguage.code,
                    "message": str(UnsupportedLanguage(f"{art.source or art.id}: not English ({lang[1]})"))})
            else:
                try:
                    work.append((i, art, self.make_docs(art)))
                except Exception as exc:  # noqa: BLE001 - one bad article must not cost the batch
                    results[i] = _error_result(art, exc)
        flat = [d for _, _, docs in work for d in docs]
        try:
            processed = self.pipe_docs(flat)
        except Exception:  # noqa: BLE001 - isolate the article that broke the batch
            processed = []
            for d in flat:
                try:
                    processed.append(self.nlp(d))
                except Exception:  # noqa: BLE001
                    processed.append(None)
        pos = 0
        prepared = []
        for i, art, docs in work:
            parts = processed[pos:pos + len(docs)]
            pos += len(docs)
            if any(p is None for p in parts):
                results[i] = _error_result(art, RuntimeError("spaCy failed on this article"))
                continue
            if len(parts) == 1:
                doc = parts[0]
            else:
                for p in parts:  # each chunk's own text (from_docs cannot merge it; the article text is known)
                    p.user_data.pop(TEXT_KEY, None)
                with warnings.catch_warnings():  # W101: hc_blocks (used by hc_segment only) is not merged
                    warnings.filterwarnings("ignore", message=r"\[W101\]")
                    doc = Doc.from_docs(parts, ensure_whitespace=False)
            # spans are read from the doc once (a SpanGroup makes new Span objects on every read); the chunks
            # tile the text, so doc.text == art.text
            try:
                prepared.append((i, art, doc, _DocParts(doc, art.text)))
            except Exception as exc:  # noqa: BLE001
                results[i] = _error_result(art, exc)
        # classify every unit of the batch in one call
        rows = []
        for _i, _art, _doc, parts in prepared:
            for j, u in enumerate(parts.units):
                rows.append(span_features(u, parts.cues.within(u.start, u.end), self.cue_tags, u.label_, first=j == 0,
                                          view=parts.view))
        if rows:
            X = pd.DataFrame(rows, columns=["text", "kind", *NUMERIC_FEATURES, *RULE_FEATURES])
            probs = self.model.predict_proba(X)
            dec = self.model.decide(probs)
            # rows as plain dicts (DataFrame.to_dict("records") boxes every value: several times slower)
            prob_rows = [dict(zip(probs.columns, row, strict=True)) for row in probs.to_numpy().tolist()]
            dec_rows = [dict(zip(dec.columns, row, strict=True)) for row in dec.to_numpy().tolist()]
        else:
            prob_rows, dec_rows = [], []
        k = 0
        for i, art, doc, parts in prepared:
            n = len(parts.units)
            try:
                results[i] = self._assemble(art, doc, prob_rows[k:k + n], dec_rows[k:k + n], parts)
            except Exception as exc:  # noqa: BLE001
                results[i] = _error_result(art, exc)
            k += n
        return results  # type: ignore[return-value]

    def _assemble(self, art: Article, doc: Doc, probs: list[dict], decs: list[dict], parts: _DocParts) -> ArticleResult:
        units, subs, cue_index, view = parts.units, parts.subs, parts.cues, parts.view
        vt = view.text  # slices of it are the spans' texts (Span.text makes a Token per token)
        counts = Counter(s.id_ for s in subs)
        main = None
        if counts:
            top, n = counts.most_common(1)[0]
            main = top if n / sum(counts.values()) >= 0.4 else None
        sub_index = SpanIndex(subs)
        sourcing = sourcing_for_units(doc, units, art.links, cue_index, text=view.text)
        claims: list[Claim] = []
        recent: list[tuple[int, str]] = []  # (unit position, substance) of recent mentions
        claim_of_unit: dict[int, int] = {}
        specific_safety: set[int] = set()
        n_claims = 0
        for j, (u, p, d) in enumerate(zip(units, probs, decs, strict=True)):
            in_unit = sub_index.within(u.start, u.end)
            taken = [s for s in in_unit if not _comparator(s, view)]
            named = list(dict.fromkeys(s.id_ for s in taken))
            labels = [lab for lab in ("dosing", "efficacy", "safety") if d[lab]]
            about = named
            # the substance in context: the article's main one if it was named lately, else the first one
            # named in the last unit that named any (its subject: "Ostarine is the best SARM ..." -> ostarine)
            near = [(pos_, sid) for pos_, sid in recent if j - pos_ <= 3]
            wider = {sid for pos_, sid in recent if j - pos_ <= 8}
            context = [main] if main in wider else (
                [next(sid for pos_, sid in near if pos_ == near[-1][0])] if near else ([main] if main else []))
            if not about and labels:
                about = context
            if named:
                recent.extend((j, s) for s in named)
            ucues = cue_index.within(u.start, u.end)
            shown_labels = set(_SHOWN_CUES)
            for lab in labels + (["hedging"] if d["hedging"] else []):
                shown_labels.update(EXPLAINS[lab])
            claim = Claim(
                index=n_claims if d["is_claim"] else -1, text=vt[u.start_char:u.end_char], start=u.start_char, end=u.end_char,
                kind=u.label_, is_claim=bool(d["is_claim"]), labels=labels, hedging=bool(d["hedging"]),
                probs={lab: float(p[f"p_{lab}"]) for lab in LABELS},
                claim_p_model=float(p.get(MODEL_CLAIM_P, p["p_is_claim"])),
                sourcing=sourcing[j][0] if d["is_claim"] else "none",
                sourcing_evidence=sourcing[j][1] if d["is_claim"] else None,
                cues=[Cue(c.label_, vt[c.start_char:c.end_char], c.start_char, c.end_char, c.id_) for c in ucues
                      if c.label_ in shown_labels],
                substances=about,
            )
            if claim.is_claim:
                claim_of_unit[j] = n_claims
                n_claims += 1
                if "dosing" in labels:
                    claim.doses = extract_doses(u, ucues, about[0] if about else None,
                                                mentions=taken,
                                                context=context[0] if context else None)
                    for d in claim.doses:  # "Stack 10-20 mg a day with ostarine": the dose is the context's
                        if d.get("substance") and d["substance"] not in claim.substances and not d.get("is_limit"):
                            claim.substances.append(d["substance"])
                if "safety" in labels and any(_names_a_risk(c, self.generic_rules) for c in ucues):
                    specific_safety.add(claim.index)
            claims.append(claim)
        _add_table_doses(units, claims, sub_index, cue_index)
        unit_index = {id(u): j for j, u in enumerate(units)}
        reg = regulatory_context(doc, units, main, cue_index, sub_index)
        reg_idx = {sid: [unit_index[id(u)] for u in us] for sid, us in reg.items()}
        result = ArticleResult(id=art.id, source=art.source, text=art.text, units=claims, meta=dict(art.meta))
        if art.meta.get("decode_note"):
            result.warnings.append(art.meta["decode_note"])
        if art.meta.get("duplicate_of"):
            result.warnings.append(f"duplicate id {art.id!r}: also at {art.meta['duplicate_of']}")
        result.flags = build_flags(result, self.kb, reg_context=reg_idx, specific_safety=specific_safety,
                                   conditional_types=self.model.conditional_types)
        result.score, result.grade, result.breakdown = score_article(result.flags, self.weights)
        result.sourcing_grade = quest_attribution_grade([c.sourcing for c in result.claims])
        result.substances = [
            {"id": sid, "name": self.kb[sid].name if sid in self.kb else sid, "mentions": n,
             "regulatory_context": [units[j].text for j in reg_idx.get(sid, [])][:3],
             "notable": bool(sid in self.kb and self.kb[sid].notable)}
            for sid, n in counts.most_common()
        ]
        return result


class _DocParts:
    """What the claim logic reads of one processed doc, read once."""

    __slots__ = ("units", "subs", "cues", "view")

    def __init__(self, doc: Doc, text: str) -> None:
        self.units: list[Span] = list(doc.spans[UNITS_KEY])
        self.subs: list[Span] = list(doc.spans.get(SUBSTANCES_KEY, []))
        self.cues = SpanIndex(doc.spans.get(CUES_KEY, []))
        self.view = TokenView(doc, text)


_COMPARATORS = frozenset({"as", "than", "like", "to", "vs", "versus", "unlike"})


_EFFECT_BEFORE = frozenset({"boost", "boosts", "boosting", "raise", "raises", "raising", "lower", "lowers", "lowering",
                            "low", "blood", "free", "serum", "natural", "own", "of"})
_EFFECT_AFTER = frozenset({"deficiency", "levels", "level", "production", "receptor", "receptors"})


def _comparator(mention: Span, view: TokenView) -> bool:
    """A substance named only as a yardstick ("as strong as codeine", "more potent than piracetam"), or as
    what an effect acts on rather than what is taken ("raises free testosterone", "blood calcium",
    "copper deficiency", "your own melatonin production")."""
    prev = view.lower(mention.start - 2, mention.start)
    nxt = (view.lower(mention.end, mention.end + 1) or [""])[0]
    if nxt in _EFFECT_AFTER or (prev and prev[-1] in _EFFECT_BEFORE and prev[-1] != "of") or prev[-2:] == ["levels", "of"]:
        return True
    if prev[-2:] in (["not", "a"], ["not", "an"]):
        return True  # "Technically not a SARM, cardarine is ...": a class the substance is said not to be
    return bool(prev) and (prev[-1] in _COMPARATORS and prev[-1] != "to" or prev[-2:] == ["similar", "to"]
                           or prev[-2:] == ["compared", "to"] or prev[-2:] == ["compared", "with"])


_NEGATORS = frozenset({"no", "not", "without", "free", "never", "zero", "non", "nor", "n't"})


def _names_a_risk(cue: Span, generic: set[str]) -> bool:
    """A SAFETY cue that names a specific risk ("liver injury", "interactions") and is not negated
    ("without the drowsiness", "no side effects")."""
    if cue.label_ != "SAFETY" or cue.id_ in generic:
        return False
    doc = cue.doc
    start = lo = max(0, cue.start - 3)  # the three tokens before, not crossing a sentence start
    if doc.has_annotation("SENT_START"):  # (Span.sent walks back to the sentence start: slow)
        start = next((i for i in range(cue.start, lo, -1) if doc[i].is_sent_start), lo)
    window = doc[start:cue.start]
    return not any(t.lower_ in _NEGATORS or t.lower_.startswith("non-") for t in window)


_SERVING_NOUNS = (r"(?:servings?|scoops?|gumm(?:y|ies)|capsules?|caps|tablets?|softgels?|caplets?|shots?|sachets?|sticks?|"
                  r"packets?|lozenges?|chews?|drops?|droppers?(?:ful)?|tsp|teaspoons?|tbsp|tablespoons?|pills?)")
# "Per scoop (12 g)", "Each serving (2 gummies) provides:", "Amount per serving", "Serving size: 2 capsules"
_SERVING_HEAD = re.compile(rf"\b(?:per|each|every|one|1)\s+({_SERVING_NOUNS})\b(?:\s*\(\s*(\d+|one|two|three|four)\s+"
                           rf"({_SERVING_NOUNS})\s*\))?|\bserving size\b[:\s]*(\d+|one|two|three|four)?\s*({_SERVING_NOUNS})?",
                           re.I)
_ROW_AMOUNT = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mg|g|mcg|µg|μg|IU)\b", re.I)
_COUNT_OF = re.compile(rf"\b(\d+(?:\.\d+)?|one|two|three|four|five|six|half a|half|a|an|single)(?:\s*(?:to|or|-|–)\s*"
                       rf"(\d+(?:\.\d+)?|one|two|three|four|five|six))?\s+(?:level |heaped |heaping |full |whole )?"
                       rf"({_SERVING_NOUNS})\b", re.I)
_TABLE_KINDS = ("list_fragment", "list_item", "sentence", "heading")


def _add_table_doses(units: list[Span], claims: list[Claim], sub_index: SpanIndex, cue_index: SpanIndex) -> None:
    """Per-serving tables (a "Per scoop" / "Each serving (2 gummies) provides:" line followed by rows such
    as "Zinc (as zinc citrate): 15 mg") and the directions that count servings ("chew one serving up to
    three times a day", "take up to two scoops"): each direction doses every substance of the table, at
    the row's amount times the count, with the direction's frequency. The head and rows of a table are a
    product label's composition, not advice: they become kind ``table_row``, keep no doses of their own and
    get no sourcing flags, whether or not the classifier took them for (dosing) claims."""
    from pipeline.doses import _num, _singular, per_day

    def composition(c: Claim) -> bool:  # a non-claim, or a claim whose only label is dosing
        return not c.is_claim or set(c.labels) <= {"dosing"}

    tables: list[tuple[int, str, str | None, float, list[tuple[str, float, str, Span]]]] = []
    for j in range(len(units)):
        if not composition(claims[j]):
            continue
        m = _SERVING_HEAD.search(claims[j].text)
        if not m or len(claims[j].text) > 80:
            continue
        noun = m.group(1) or m.group(5) or "serving"
        alt, alt_n = (m.group(3), _num(m.group(2))) if m.group(3) else (None, 1.0)
        if m.group(5) and m.group(4):
            noun, alt, alt_n = "serving", m.group(5), _num(m.group(4))
        rows = []
        for k in range(j + 1, min(len(units), j + 25)):
            v = units[k]
            subs = [s for s in sub_index.within(v.start, v.end)]
            amt = _ROW_AMOUNT.search(claims[k].text)
            if (v.label_ not in _TABLE_KINDS or not composition(claims[k]) or not amt or not subs
                    or len(claims[k].text) > 90):
                break
            unit = {"µg": "mcg", "μg": "mcg", "iu": "IU"}.get(amt.group(2).lower(), amt.group(2).lower()
                                                              if amt.group(2).lower() != "iu" else "IU")
            rows.append((subs[0].id_, float(amt.group(1).replace(",", "")), unit, v))
        if rows:
            tables.append((j, _singular(noun), _singular(alt) if alt else None, alt_n, rows))
            for k in range(j, j + 1 + len(rows)):
                claims[k].kind = "table_row"
                claims[k].doses = []
    if not tables:
        return
    for j, c in enumerate(claims):
        if not c.is_claim or "dosing" not in c.labels or c.kind == "table_row":
            continue
        table = next((t for t in reversed(tables) if t[0] < j), None)
        if table is None:
            continue
        _, noun, alt, alt_n, rows = table
        m = next((m for m in _COUNT_OF.finditer(c.text) if _singular(m.group(3)) in (noun, alt)), None)
        if m is None:
            continue
        count = _num(m.group(2) or m.group(1))
        if _singular(m.group(3)) != noun:
            count = count / alt_n  # "one gummy" of a two-gummy serving
        freq = next((d.get("frequency") for d in c.doses if d.get("frequency")), None) or next(
            (cue.text for cue in c.cues if cue.label == "DOSE_FREQ"), None)
        if freq is None:
            u = units[j]
            freq = next((cue.text for cue in cue_index.within(u.start, u.end) if cue.label_ == "DOSE_FREQ"), None)
        for sid, amount, unit, row in rows:
            c.doses.append({
                "text": m.group(0), "start": c.start + m.start(), "end": c.start + m.end(), "amount_low": amount,
                "amount_high": amount, "unit": unit, "frequency": freq, "per_day": per_day(freq) if freq else None,
                "timing": None, "duration": None, "substance": sid, "is_limit": False, "count": count,
                "per_unit": noun, "from_table": row.text})
            if sid not in c.substances:
                c.substances.append(sid)


def _chunks(text: str, limit: int) -> list[tuple[int, int]]:
    """(start, end) pieces of at most ~limit chars, cut after a blank line, else a newline, else a space."""
    if len(text) <= limit:
        return [(0, len(text))]
    out = []
    start = 0
    while len(text) - start > limit:
        window = text[start:start + limit]
        cut = window.rfind("\n\n")
        if cut < limit // 4:
            cut = window.rfind("\n")
        if cut < limit // 4:
            cut = window.rfind(" ")
        cut = limit if cut < limit // 4 else cut + 1
        out.append((start, start + cut))
        start += cut
    out.append((start, len(text)))
    return out


def frame_articles(df: pd.DataFrame, text_col: str = "text", id_col: str = "id") -> list[Article]:
    """DataFrame rows as Articles (the index is the id when there is no id column); a row with no text
    becomes an error article."""
    if text_col not in df.columns:
        raise KeyError(f"no column {text_col!r}; columns are {list(df.columns)}")
    ids = df[id_col].astype(str).tolist() if id_col in df.columns else [str(i) for i in df.index]
    arts = []
    for rid, text in zip(ids, df[text_col].tolist(), strict=True):
        if not isinstance(text, str):
            what = "missing" if text is None or (pd.api.types.is_scalar(text) and pd.isna(text)) else f"a {type(text).__name__}, not a string"
            arts.append(error_article(rid, "dataframe", EmptyText(f"article {rid}: text is {what}")))
            continue
        try:
            arts.append(article_from_text(text, id=rid, source="dataframe", fmt="auto"))
        except ClaimcheckError as exc:
            arts.append(error_article(rid, "dataframe", exc))
    return arts


def _error_result(art: Article, exc: BaseException) -> ArticleResult:
    err = error_article(art.id, art.source, exc).error
    return ArticleResult(id=art.id, source=art.source, error=err, meta=art.meta)


def load(model: str | Path | None = None, *, kb_paths: list[Path] | None = None,
         weights: str | Path | None = None, spacy_model: str | None = None,
         sentences: str = SENTENCES) -> ClaimChecker:
    """A ready ClaimChecker. ``model``: a model directory or name under models/, ``"rules"`` for the cue
    rules alone, or None for the bundled trained model (the rules when none is installed).
    ``sentences``: "senter" (default, the sentence recogniser) or "parser" (the dependency parser:
    slightly better sentence boundaries, 1.4× slower; see the README)."""
    kb = KnowledgeBase.default(kb_paths)
    nlp = build_nlp(kb, model=spacy_model, sentences=sentences)
    if model == "rules":
        claim_model = ClaimModel.rules()
    else:
        claim_model = _load_claim_model(model)
    w = Weights.load(weights) if weights else Weights.load()
    checker = ClaimChecker(nlp, claim_model, kb, w)
    checker.load_args = {"model": model, "kb_paths": kb_paths, "weights": weights, "spacy_model": spacy_model,
                         "sentences": sentences}
    return checker


def _load_claim_model(model: str | Path | None) -> ClaimModel:
    """The named model; for None the newest bundled one whose word vectors are installed (with a warning
    when an older one stands in), or the cue rules when no model is installed at all."""
    from pipeline.persist import load_model, model_dirs

    try:
        directories = model_dirs(model)
    except ModelLoadError:
        if model is not None:
            raise
        return ClaimModel.rules()
    for n, directory in enumerate(directories):
        try:
            est, meta = load_model(directory)
        except VectorsMissing as exc:
            if model is not None or n == len(directories) - 1:
                raise
            warnings.warn(f"{directory.name} not loaded: {exc}; using an older model", stacklevel=3)
            continue
        fastchar.speed_up(est)  # exact, vectorised char n-gram counts for prediction
        claim_model = ClaimModel(est, thresholds=meta.get("thresholds"), name=directory.name, meta=meta)
        claim_model.predictor = fastlinear.speed_up(est)  # no stacking of the feature blocks
        return claim_model
    raise AssertionError("unreachable")
