"""AWS SAM's own translator (aws-sam-translator), as `sam deploy` and CloudFormation's transform run it.

  sam_transform.py JOBS   JOBS = JSON [{"template": PATH, "parameters": {NAME: VALUE}}]
  -> JSON [{"template": <the CloudFormation template SAM makes>} or {"error": "<why SAM refused it>"}]
"""
import json
import os
import sys

try:
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.translator.transform import transform
    from samtranslator.yaml_helper import yaml_parse
except ImportError as error:
    sys.exit(f"aws-sam-translator is not importable by {sys.executable} ({error}); use the pyenv Python (~/.pyenv/shims/python3)")

# The translator fills AWS::Region into ARNs it makes; any region does.
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")


class NoManagedPolicies:
    """SAM looks up managed policy names only for AWS::Serverless::Function Policies; the template has none."""

    def load(self):
        return {}


def run(job):
    with open(job["template"], encoding="utf-8") as source:
        template = yaml_parse(source.read())
    try:
        return {"template": transform(template, job["parameters"], NoManagedPolicies())}
    except InvalidDocumentException as error:
        return {"error": "; ".join(cause.message for cause in error.causes)}


if __name__ == "__main__":
    json.dump([run(job) for job in json.loads(sys.argv[1])], sys.stdout)
