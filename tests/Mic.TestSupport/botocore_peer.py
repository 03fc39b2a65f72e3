"""botocore, the AWS SDK for Python, as the independent peer of MIC's AWS clients in tests.

  sign REQUEST  REQUEST = JSON {method, url, headers, body_base64, access_key, secret_key, token, region, service, time}
                -> {"authorization": ..., "x-amz-date": ...}: botocore's SigV4 for that request at that time
  seed-batch    ENDPOINT QUEUE DEFINITION -> creates a compute environment, the queue and a job definition in
                moto; prints {"queue_arn", "definition_arn"}
  describe-job  ENDPOINT JOB_ID -> the job as botocore reads it from DescribeJobs
  put-logs      ENDPOINT GROUP STREAM COUNT -> writes COUNT events "line <i>" to a new stream
  put-lines     ENDPOINT GROUP STREAM LINE... -> writes the lines as events to a new stream (the group is made if missing)
"""
import base64
import datetime
import json
import sys

try:
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials
    import botocore.session
except ImportError as error:  # the tests name this message when the pyenv Python is not the one running
    sys.exit(f"botocore is not importable by {sys.executable} ({error}); use the pyenv Python (~/.pyenv/shims/python3)")

REGION = "us-east-1"


def client(service, endpoint):
    session = botocore.session.get_session()
    return session.create_client(service, region_name=REGION, endpoint_url=endpoint,
                                 aws_access_key_id="AKIDMICTEST", aws_secret_access_key="mic-test-secret")


def sign(request):
    at = datetime.datetime.strptime(request["time"], "%Y%m%dT%H%M%SZ")
    botocore.auth.get_current_datetime = lambda remove_tzinfo=True: at  # the fixed signing time
    credentials = botocore.credentials.Credentials(request["access_key"], request["secret_key"], request.get("token"))
    aws_request = botocore.awsrequest.AWSRequest(method=request["method"], url=request["url"],
                                                 data=base64.b64decode(request["body_base64"]),
                                                 headers=request["headers"])
    botocore.auth.SigV4Auth(credentials, request["service"], request["region"]).add_auth(aws_request)
    return {"authorization": aws_request.headers["Authorization"], "x-amz-date": aws_request.headers["X-Amz-Date"]}


def seed_batch(endpoint, queue, definition):
    iam = client("iam", endpoint)
    role = iam.create_role(RoleName=f"{queue}-service", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    batch = client("batch", endpoint)
    environment = batch.create_compute_environment(computeEnvironmentName=f"{queue}-ce", type="UNMANAGED",
                                                   state="ENABLED", serviceRole=role)
    created = batch.create_job_queue(jobQueueName=queue, state="ENABLED", priority=1, computeEnvironmentOrder=[
        {"order": 1, "computeEnvironment": environment["computeEnvironmentArn"]}])
    registered = batch.register_job_definition(
        jobDefinitionName=definition, type="container",
        parameters={"dataset": "main", "epochs": "4", "imageSize": "224", "force": "false"},
        containerProperties={
            "image": "mic-trainer:latest",
            "command": ["retrain", "--dataset", "Ref::dataset", "--epochs", "Ref::epochs"],
            "resourceRequirements": [{"type": "VCPU", "value": "4"}, {"type": "MEMORY", "value": "14336"}],
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/mic/training"}},
        })
    return {"queue_arn": created["jobQueueArn"], "definition_arn": registered["jobDefinitionArn"]}


def describe_job(endpoint, job_id):
    return client("batch", endpoint).describe_jobs(jobs=[job_id])["jobs"][0]


def put_logs(endpoint, group, stream, count):
    logs = client("logs", endpoint)
    logs.create_log_group(logGroupName=group)
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    start = 1_796_000_000_000
    events = [{"timestamp": start + i * 1000, "message": f"line {i}"} for i in range(count)]
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)
    return {"first_timestamp": start}


def put_lines(endpoint, group, stream, lines):
    logs = client("logs", endpoint)
    try:
        logs.create_log_group(logGroupName=group)
    except logs.exceptions.ResourceAlreadyExistsException:
        pass
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    start = 1_796_000_000_000
    events = [{"timestamp": start + i * 1000, "message": line} for i, line in enumerate(lines)]
    logs.put_log_events(logGroupName=group, logStreamName=stream, logEvents=events)
    return {"first_timestamp": start}


def main(argv):
    command, arguments = argv[1], argv[2:]
    if command == "sign":
        result = sign(json.loads(arguments[0]))
    elif command == "seed-batch":
        result = seed_batch(*arguments)
    elif command == "describe-job":
        result = describe_job(*arguments)
    elif command == "put-logs":
        result = put_logs(arguments[0], arguments[1], arguments[2], int(arguments[3]))
    elif command == "put-lines":
        result = put_lines(arguments[0], arguments[1], arguments[2], arguments[3:])
    else:
        sys.exit(f"unknown command {command}")
    json.dump(result, sys.stdout, default=str)


if __name__ == "__main__":
    main(sys.argv)
