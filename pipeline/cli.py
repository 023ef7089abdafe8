"""The `claimcheck` command line: score, classify, train, evaluate."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from pipeline.errors import ClaimcheckError, UsageError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Check claims in online health articles.")


def _fail(exc: ClaimcheckError, code: int = 2) -> None:
    typer.echo(f"claimcheck: error: {exc}", err=True)
    raise typer.Exit(code)


ModelOpt = Annotated[str | None, typer.Option("--model", help="model directory or name under models/; 'rules' for cue rules only")]
KbOpt = Annotated[list[Path] | None, typer.Option("--kb", help="extra substance KB file (JSONL), merged over the bundled one by id")]


@app.command()
def score(
    inputs: Annotated[list[str], typer.Argument(help="files or folders: .txt .md .html .jsonl .csv .parquet, or '-' for JSONL on stdin")],
    out: Annotated[Path, typer.Option("--out", "-o", help="articles JSONL output ('-' for stdout)")] = Path("out/articles.jsonl"),
    claims_out: Annotated[Path | None, typer.Option("--claims-out", help="claims table: .csv, .jsonl or .parquet")] = None,
    text_col: Annotated[str | None, typer.Option("--text-col", help="text field of table inputs (default: text)")] = None,
    id_col: Annotated[str | None, typer.Option("--id-col", help="id field of table inputs (default: id)")] = None,
    model: ModelOpt = None,
    kb: KbOpt = None,
    weights: Annotated[Path | None, typer.Option("--weights", help="scoring weights TOML (default data/scoring.toml)")] = None,
    with_text: Annotated[bool, typer.Option("--with-text", help="include each article's plain text in the output")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="articles per batch")] = 16,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="no progress bar or summary")] = False,
    html_dir: Annotated[Path | None, typer.Option("--html-dir", help="also write an HTML report: one page per article plus index.html")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="keep the articles an interrupted run already wrote to --out and score the rest")] = False,
    n_process: Annotated[int | None, typer.Option("--n-process", "-j", min=1, help="worker processes (default: CPU count); output is the same for any value")] = None,
    engine: Annotated[str, typer.Option("--engine", help="'local' (processes on this machine) or 'dask' (a Dask cluster)")] = "local",
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786); default: a LocalCluster of --n-process workers")] = None,
    sentences: Annotated[str, typer.Option("--sentences", help="'senter' (default: sentence recogniser) or 'parser' (dependency parser: slightly better sentence boundaries, 1.4x slower; see README)")] = "senter",
) -> None:
    """Score articles: one JSON line per article with claims, flags, score and grade."""
    from pipeline import load
    from pipeline.batch import score_articles
    from pipeline.ingest import expand_paths, iter_articles
    from pipeline.parallel import cpu_count
    from pipeline.report import HtmlReportWriter

    html = None
    index_path = None
    dask = None
    try:
        if engine not in ("local", "dask"):
            raise UsageError(f"--engine must be 'local' or 'dask', not {engine!r}")
        if scheduler and engine != "dask":
            raise UsageError("--scheduler needs --engine dask")
        expand_paths(inputs)  # fail fast on missing paths and unsupported types
        checker, load_args = None, None
        if engine == "dask":
            from pipeline.distributed import DaskEngine, check_load_args

            load_args = check_load_args(model, kb, weights, sentences)  # fail here, not on the workers
            dask = DaskEngine(scheduler=scheduler, n_workers=n_process)
        else:
            if sentences not in ("parser", "senter"):
                raise UsageError(f"--sentences must be 'parser' or 'senter', not {sentences!r}")
            checker = load(model, kb_paths=kb, weights=weights, sentences=sentences)
        html = HtmlReportWriter(html_dir, resume=resume) if html_dir else None
        try:
            summary = score_articles(checker, iter_articles(inputs, text_col=text_col, id_col=id_col),
                                     out=None if str(out) == "-" else out, claims_out=claims_out, quiet=quiet,
                                     with_text=with_text, batch_size=batch_size, resume=resume,
                                     n_process=n_process or cpu_count(), engine=dask, load_args=load_args,
                                     on_result=None if html is None else html.add)
        finally:
            if html is not None:
                index_path = html.close()
            if dask is not None:
                dask.close()
    except ClaimcheckError as exc:
        _fail(exc)
    except OSError as exc:
        _fail(UsageError(f"cannot write output: {exc}"))
    if not quiet:
        typer.echo(summary.table(), err=str(out) == "-")
        if index_path:
            typer.echo(f"HTML report: {index_path}", err=str(out) == "-")
    raise typer.Exit(1 if summary.errors else 0)


@app.command()
def classify(
    input: Annotated[str, typer.Argument(help="JSONL with {\"id\", \"text\"} per line, or '-' for stdin")],
    out: Annotated[str, typer.Option("--out", "-o", help="JSONL output, or '-' for stdout")] = "-",
    model: ModelOpt = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 1024,
) -> None:
    """Classify single sentences: each input line comes back with labels, probabilities and sourcing."""
    from itertools import islice

    from pipeline import load

    try:
        checker = load(model)
        fin = sys.stdin if input == "-" else open(input, encoding="utf-8")  # noqa: SIM115
    except (ClaimcheckError, OSError) as exc:
        _fail(exc if isinstance(exc, ClaimcheckError) else UsageError(str(exc)))
    fout = sys.stdout if out == "-" else open(out, "w", encoding="utf-8")  # noqa: SIM115
    failed = 0
    with fin, fout if out != "-" else _nullctx():
        lines = (ln for ln in fin if ln.strip())
        while chunk := list(islice(lines, batch_size)):
            recs = []
            for ln in chunk:
                try:
                    rec = json.loads(ln)
                    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                        raise ValueError("needs an object with a string 'text'")
                    recs.append(rec)
                except ValueError as exc:
                    failed += 1
                    recs.append({"error": f"bad line: {exc}", "line": ln.strip()[:200]})
            good = [r for r in recs if "error" not in r]
            df = checker.classify([r["text"] for r in good])
            rows = iter(df.drop(columns=["text"]).to_dict("records"))
            for r in recs:
                if "error" not in r:
                    r.update(next(rows))
                fout.write(json.dumps(r, ensure_ascii=False) + "\n")
    raise typer.Exit(1 if failed else 0)


class _nullctx:
    def __enter__(self):
        return None

    def __exit__(self, *a):
        return False


@app.command()
def train(
    out_dir: Annotated[Path | None, typer.Option("--out", help="model directory (default models/claim-clf-v<version>)")] = None,
    seed: Annotated[int, typer.Option(help="random seed")] = 13,
) -> None:
    """Rebuild the shipped model from data/annotations alone (deterministic)."""
    from pipeline.train import train_and_save

    try:
        path, report = train_and_save(out_dir=out_dir, seed=seed)
    except ClaimcheckError as exc:
        _fail(exc)
    typer.echo(report)
    typer.echo(f"saved {path}")


@app.command()
def evaluate(
    data: Annotated[Path, typer.Argument(help="labelled JSONL (annotation schema) to evaluate on")],
    model: ModelOpt = None,
) -> None:
    """Per-label precision / recall / F1 and a confusion summary on labelled units."""
    from pipeline.train import evaluate_file

    try:
        typer.echo(evaluate_file(data, model=model))
    except ClaimcheckError as exc:
        _fail(exc)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
