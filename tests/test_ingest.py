import json

import pytest

from pipeline.errors import InputNotFound, UnsupportedFormat
from pipeline.ingest import (
    article_from_text,
    decode_bytes,
    expand_paths,
    iter_articles,
    parse_html,
    parse_markdown,
    sniff_format,
)


def test_markdown_links_keep_offsets_and_headings_are_blocks():
    md = "# Sleep Aids\n\nValerian [may help](https://example.org/v) some people.\n- item one\n"
    text, links, blocks = parse_markdown(md)
    assert "[" not in text and "](" not in text
    assert [text[ln.start:ln.end] for ln in links] == ["may help"]
    assert links[0].url == "https://example.org/v"
    kinds = {text[b.start:b.end]: b.kind for b in blocks}
    assert kinds["Sleep Aids"] == "heading"
    assert kinds["- item one"] == "list_item"


def test_markdown_reference_links_resolve():
    md = "See [the trial][1] for details.\n\n[1]: https://doi.org/10.1000/x\n"
    text, links, _ = parse_markdown(md)
    assert text.strip() == "See the trial for details."
    assert links[0].url == "https://doi.org/10.1000/x"


def test_html_drops_scripts_styles_and_keeps_links_and_headings():
    html = ("<html><head><title>T</title><style>p{color:red}</style></head><body><h1>CBD Oil</h1>"
            "<p>CBD <a href='https://x.org/a'>may ease</a> anxiety.</p><script>var dose='Take 50 mg';</script>"
            "<ul><li>First item</li></ul></body></html>")
    text, links, blocks, title = parse_html(html)
    assert "Take 50 mg" not in text and "color" not in text
    assert title == "T"
    assert [text[ln.start:ln.end] for ln in links] == ["may ease"]
    assert ("CBD Oil", "heading") in [(text[b.start:b.end], b.kind) for b in blocks]
    assert "First item" in [text[b.start:b.end] for b in blocks if b.kind == "list_item"]


def test_html_javascript_links_are_not_citations():
    text, links, _, _ = parse_html("<p>Click <a href='javascript:alert(1)'>here</a> now.</p>")
    assert links == []
    assert "here" in text


def test_decode_utf16_bom_and_latin1():
    text, notes = decode_bytes("Kava may help.".encode("utf-16"))
    assert text == "Kava may help."
    assert notes["encoding"] == "utf-16"
    text, notes = decode_bytes("Café au lait — naïve".encode("cp1252"))
    assert "Caf" in text and "decode_note" in notes


def test_sniff_format():
    assert sniff_format("<p>Hello</p><div>x</div>") == "html"
    assert sniff_format("# Title\n\nText") == "markdown"
    assert sniff_format("Plain text only.") == "text"


def test_jsonl_bad_line_becomes_error_row_and_rest_is_read(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(json.dumps({"id": "1", "text": "Take 500 mg daily."}) + "\n{broken\n"
                 + json.dumps({"id": "3", "body": "Another article."}) + "\n" + json.dumps({"id": "4"}) + "\n")
    arts = list(iter_articles([p]))
    assert [a.id for a in arts] == ["1", "a:2", "3", "4"]
    assert arts[0].error is None and arts[2].error is None
    assert arts[1].error["code"] == "bad_record" and "line 2" in arts[1].error["message"]
    assert arts[3].error["code"] == "bad_record" and "no text field" in arts[3].error["message"]


def test_csv_and_parquet_inputs(tmp_path):
    import pandas as pd

    df = pd.DataFrame({"id": ["x", "y"], "text": ["Take two capsules daily.", "Zinc may shorten colds."]})
    df.to_csv(tmp_path / "a.csv", index=False)
    df.to_parquet(tmp_path / "b.parquet")
    arts = list(iter_articles([tmp_path]))
    assert sorted(a.id for a in arts) == ["x", "x", "y", "y"]
    assert all(a.error is None for a in arts)


def test_missing_path_and_unsupported_type(tmp_path):
    with pytest.raises(InputNotFound):
        expand_paths([tmp_path / "nope.txt"])
    bad = tmp_path / "x.docx"
    bad.write_bytes(b"PK")
    with pytest.raises(UnsupportedFormat):
        expand_paths([bad])


def test_binary_text_file_is_an_error_row(tmp_path):
    p = tmp_path / "bin.txt"
    p.write_bytes(bytes(range(256)) * 40)
    (art,) = list(iter_articles([p]))
    assert art.error is not None and art.error["code"] == "decode_error"


def test_article_from_text_markdown_meta():
    art = article_from_text("# T\n\nBody.", id="a", fmt="markdown")
    assert art.meta["format"] == "markdown" and art.text.startswith("T")


def test_hf_dataset_saved_to_disk_is_an_input(tmp_path):
    import datasets

    datasets.Dataset.from_dict({"id": ["h1"], "text": ["Take 2 g daily."]}).save_to_disk(str(tmp_path / "ds"))
    (art,) = list(iter_articles([tmp_path / "ds"]))
    assert art.id == "h1" and art.error is None


def test_format_field_aliases_and_unknown_values():
    from pipeline.ingest import article_from_text

    md = "# Title\n\nSee [the trial](https://example.org/t).\n"
    assert article_from_text(md, id="a", fmt="md").meta["format"] == "markdown"
    assert article_from_text(md, id="a", fmt="MD").links
    assert article_from_text("<p>Hi <a href='https://x.org'>there</a></p>", id="b", fmt="htm").meta["format"] == "html"
    assert article_from_text(md, id="c", fmt="blog-post").meta["format"] == "markdown"  # unknown: guessed
    assert article_from_text(md, id="d", fmt="txt").meta["format"] == "text"


def test_iter_records_reads_an_hf_dataset_lazily_and_marks_bad_rows(tmp_path):
    import datasets

    from pipeline.ingest import iter_records

    src = tmp_path / "pages.jsonl"
    src.write_text('{"url": "u1", "body": "Take 2 g daily."}\n{"url": "u2", "body": null}\n', encoding="utf-8")
    ds = datasets.load_dataset("json", data_files=str(src), split="train")
    arts = list(iter_records(ds, source="pages", text_col="body", id_col="url"))
    assert [a.id for a in arts] == ["u1", "u2"]
    assert arts[0].error is None and arts[0].text.startswith("Take 2 g")
    assert arts[1].error["code"] == "bad_record"
    odd = list(iter_records([{"text": "ok"}, "not a dict"]))
    assert odd[0].error is None and odd[1].error["code"] == "bad_record"


WRAPPED = """NeuroVita Launches a Nootropic for Focus

BOSTON -- NeuroVita Labs today announced the launch of FocusPrime, a
nootropic supplement that combines 200 mg of L-theanine with 100 mg of
caffeine per capsule. In an internal study of 40 adults, participants
reported sharper focus within 30 minutes, the company said.

Adults should take one capsule in the morning with food and should not
exceed two capsules per day.

Key points:
Lowers stress
Sharpens focus
- take it with food, and never more than two capsules in one day, please
- keep it away from children and pets, and store it somewhere cool & dry
"""


def test_hard_wrapped_paragraphs_are_joined_with_offsets_kept():
    from pipeline.ingest import unwrap_lines

    out = unwrap_lines(WRAPPED)
    assert len(out) == len(WRAPPED)
    assert "launch of FocusPrime, a nootropic supplement" in out
    assert "should not exceed two capsules per day." in out
    assert "NeuroVita Launches a Nootropic for Focus\n" in out  # a title stays its own line
    assert "Key points:\nLowers stress\nSharpens focus\n- take" in out  # colon, short lines, list items
    assert "one day, please\n- keep" in out
    changed = [i for i, (x, y) in enumerate(zip(WRAPPED, out, strict=True)) if x != y]
    assert changed and all(WRAPPED[i] == "\n" and out[i] == " " for i in changed)


def test_unwrapped_text_is_left_alone():
    from pipeline.ingest import unwrap_lines

    long_lines = "\n".join(["Magnesium glycinate is a well absorbed form of magnesium that many people take "
                            "in the evening because it is gentle on the stomach and may help with sleep."] * 4)
    assert unwrap_lines(long_lines) == long_lines
    short = "Lowers blood sugar\nImproves cholesterol\nSupports healthy weight\nFights fatigue"
    assert unwrap_lines(short) == short


def test_markdown_headings_and_list_items_keep_their_breaks():
    md = ("# A heading that is fairly long and has many words in it here\n"
          "Some text that follows the heading and is also long enough to\n"
          "wrap onto the next line of the paragraph, as wrapped markdown does\n"
          "in many files that people write by hand in their editors.\n\n"
          "- a list item that is also quite long and goes on and on and on\n"
          "- another list item that is also quite long and goes on and on\n")
    art = article_from_text(md, id="m", fmt="markdown")
    assert art.text.startswith("A heading that is fairly long and has many words in it here\nSome text")
    assert "enough to wrap onto the next line of the paragraph, as wrapped markdown does in many" in art.text
    assert "on and on and on\n- another list item" in art.text


def test_wrapped_sentence_is_one_unit_end_to_end(checker):
    res = checker.check(WRAPPED, id="w")
    texts = [u.text for u in res.units]
    assert "Adults should take one capsule in the morning with food and should not exceed two capsules per day." in texts
    assert all(res.text[u.start:u.end] == u.text for u in res.units)


def test_character_references_in_plain_text_are_decoded(checker):
    from pipeline.ingest import decode_char_refs

    assert decode_char_refs("300&nbsp;mg &amp; don&#39;t &#x2019; &bogus; AT&T") == "300 mg & don't ’ &bogus; AT&T"
    art = article_from_text("Ashwagandha&nbsp;may lower cortisol. Take 300&nbsp;mg twice daily.", id="e", fmt="text")
    assert "&" not in art.text
    res = checker.check("Ashwagandha&nbsp;may lower cortisol in stressed adults. Take 300&nbsp;mg twice daily.", id="e")
    hedged, dosed = res.units
    assert hedged.hedging and [d["amount_low"] for d in dosed.doses] == [300.0]
    assert all(res.text[u.start:u.end] == u.text for u in res.units)


def test_invisible_characters_inside_words_are_removed(checker):
    from pipeline.ingest import strip_invisible

    assert strip_invisible("Mel\u200batonin ashwa\u00adgandha \ufeffzinc") == "Melatonin ashwagandha zinc"
    family = "\U0001F468\u200d\U0001F469"  # a joiner inside an emoji sequence is part of the character
    assert strip_invisible(family) == family
    html = article_from_text("<p>Mel&#8203;atonin is not approved in the UK. Ashwa&shy;gandha may help.</p>",
                             id="h", fmt="html")
    assert "Melatonin" in html.text and "Ashwagandha" in html.text
    res = checker.check("Mel\u200batonin 3\u00ad mg at bedtime may help you sleep.", id="z")
    assert "melatonin" in {s["id"] for s in res.substances}
    (unit,) = res.units
    assert "dosing" in unit.labels and unit.hedging and unit.doses and res.text[unit.start:unit.end] == unit.text
