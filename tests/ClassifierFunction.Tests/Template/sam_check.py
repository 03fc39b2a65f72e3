"""Runs the AWS tools a user's `sam validate --lint` and `sam deploy` run on a template, and reports as JSON.

    python3 sam_check.py TEMPLATE [--output DIR]

1. cfn-lint (its Python API, the same rules as the `cfn-lint` command): every match, with rule, level and line.
2. SAM's own transform (aws-sam-translator, the code CloudFormation runs for `Transform: AWS::Serverless-2016-10-31`)
   once per combination of ApiAuth x AllowedOrigins x Architecture, as `sam deploy --parameter-overrides` passes them.
   With --output, each translated template is written to DIR/<ApiAuth>-<origins>-<Architecture>.json.

Prints {"lint": [...], "translations": {"<name>": "ok" | "<error>"}} and exits 0 when nothing was found, 1 otherwise.
Needs cfn-lint and aws-sam-translator (pip install cfn-lint aws-sam-translator).
"""

import argparse
import copy
import itertools
import json
import os
import pathlib
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import cfnlint.api  # noqa: E402
import cfnlint.decode  # noqa: E402
from cfnlint.data import Serverless  # noqa: E402
from cfnlint.helpers import load_resource  # noqa: E402
from samtranslator.model.exceptions import InvalidDocumentException  # noqa: E402
from samtranslator.parser import parser  # noqa: E402
from samtranslator.translator.translator import Translator  # noqa: E402

# Where `sam deploy` would put the image it pushed; the translator only needs some ECR URI.
IMAGE_URI = "123456789012.dkr.ecr.us-east-1.amazonaws.com/mic-classifier:latest"

MATRIX = {
    "ApiAuth": ["NONE", "AWS_IAM", "JWT"],
    "AllowedOrigins": [[], ["https://example.com", "http://localhost:5000"]],
    "Architecture": ["x86_64", "arm64"],
}


def lint(template: pathlib.Path) -> list:
    return [
        {
            "rule": match.rule.id,
            "level": match.rule.severity,
            "line": match.linenumber,
            "message": match.message,
        }
        for match in cfnlint.api.lint_file(template)
    ]


def parameters(combination: dict) -> dict:
    values = dict(combination)
    if values["ApiAuth"] == "JWT":
        values["JwtIssuer"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
        values["JwtAudience"] = ["example-client-id"]
    return values


def name(combination: dict) -> str:
    origins = "origins" if combination["AllowedOrigins"] else "no-origins"
    return f"{combination['ApiAuth']}-{origins}-{combination['Architecture']}"


def translate(template: dict, values: dict) -> dict:
    document = copy.deepcopy(template)
    for resource in document.get("Resources", {}).values():
        properties = resource.get("Properties") if isinstance(resource, dict) else None
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(properties, dict):
            if properties.get("PackageType") == "Image":
                properties["ImageUri"] = IMAGE_URI
    translator = Translator(
        managed_policy_map=load_resource(Serverless, "ManagedPolicies.json"),
        sam_parser=parser.Parser(),
    )
    return translator.translate(sam_template=document, parameter_values=values)


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("template", type=pathlib.Path)
    arguments.add_argument("--output", type=pathlib.Path)
    options = arguments.parse_args()

    report = {"lint": lint(options.template), "translations": {}}
    template, errors = cfnlint.decode.decode(str(options.template))
    if errors or template is None:
        report["translations"]["(template)"] = "; ".join(e.message for e in errors) or "unreadable"
    else:
        if options.output:
            options.output.mkdir(parents=True, exist_ok=True)
            (options.output / "template.json").write_text(json.dumps(template, indent=1, default=str))
        keys = list(MATRIX)
        for values in itertools.product(*(MATRIX[k] for k in keys)):
            combination = dict(zip(keys, values))
            try:
                translated = translate(template, parameters(combination))
            except InvalidDocumentException as error:
                report["translations"][name(combination)] = "; ".join(c.message for c in error.causes)
                continue
            except Exception as error:  # the translator's other failures are template errors too
                report["translations"][name(combination)] = f"{type(error).__name__}: {error}"
                continue
            report["translations"][name(combination)] = "ok"
            if options.output:
                (options.output / f"{name(combination)}.json").write_text(json.dumps(translated, indent=1, default=str))

    json.dump(report, sys.stdout, indent=1)
    sys.stdout.write("\n")
    clean = not report["lint"] and all(v == "ok" for v in report["translations"].values())
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
