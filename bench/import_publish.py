"""Issue 2: import and publish a 500-item XLSForm. Aim: under 2 s on the project machine.

Baseline measured in the same run: pyxform's own reading and validation of the same
workbook (what ODK tooling does before anything is stored), so the ratio shows what
HowGood's checks and database writes add on top.
"""

from __future__ import annotations

from _setup import django_ready, timed


def main() -> None:
    django_ready()
    import tempfile
    from pathlib import Path

    from pyxform.xls2json import parse_file_to_json

    from howgood.partnerships.models import Partnership
    from howgood.questionnaires.examples import large_form
    from howgood.questionnaires.services import questionnaire_import, version_publish

    data = large_form(500)
    partnership, _ = Partnership.objects.get_or_create(name="Bench partnership", slug="bench")

    def howgood() -> None:
        version = questionnaire_import(
            partnership=partnership, files={"big.xlsx": data}, actor=None
        )
        version_publish(version=version, actor=None)

    path = Path(tempfile.mkdtemp(prefix="howgood-bench-")) / "big.xlsx"
    path.write_bytes(data)

    def baseline() -> None:
        parse_file_to_json(str(path))

    ours, runs = timed(howgood)
    base, _ = timed(baseline)
    print("Import and publish a 500-item XLSForm (median of 5)")
    print(
        f"  HowGood import + publish : {ours:.3f} s   (runs: {', '.join(f'{r:.3f}' for r in runs)})"
    )
    print(f"  baseline, pyxform parse  : {base:.3f} s")
    print(f"  ratio                    : {ours / base:.2f}x the baseline")
    print(f"  target                   : under 2 s -> {'met' if ours < 2 else 'NOT met'}")


if __name__ == "__main__":
    main()
