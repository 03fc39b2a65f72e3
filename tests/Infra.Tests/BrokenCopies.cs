namespace Mic.Infra.Tests;

/// <summary>
/// Broken copies of infra/training.yaml that still deploy, so cfn-lint passes them, and the finding the project's own
/// checks must report for each. The first occurrence of <c>Find</c> is replaced.
/// </summary>
internal static class BrokenCopies
{
    public static IReadOnlyList<BrokenCopy> ForChecks { get; } =
    [
        new("Default: g4dn.xlarge,g4dn.2xlarge", "Default: g4dn.xlarge,p3.2xlarge", "instance type 'p3.2xlarge' is not a g4dn size"),
        new("ImageType: ECS_AL2023_NVIDIA", "ImageType: ECS_AL2_NVIDIA", "SpotComputeEnvironment: Ec2Configuration ImageType is [ECS_AL2_NVIDIA]"),
        new("AllocationStrategy: BEST_FIT_PROGRESSIVE\n        MinvCpus: 0", "AllocationStrategy: BEST_FIT_PROGRESSIVE\n        MinvCpus: 1",
            "OnDemandComputeEnvironment: MinvCpus is 1"),
        new("        - - Order: 1\n            ComputeEnvironment: !Ref SpotComputeEnvironment", "        - - Order: 3\n            ComputeEnvironment: !Ref SpotComputeEnvironment", "JobQueue: compute environments in order [EC2, SPOT]"),
        new("          - OnReason: \"*\"\n            Action: EXIT", "          - OnReason: \"*\"\n            Action: RETRY", "does not end with an EXIT rule"),
        new("          - OnStatusReason: Host EC2*", "          - OnStatusReason: \"*\"", "retries something other than host loss"),
        new("            Value: \"14336\"", "            Value: \"16384\"", "does not fit a g4dn.xlarge"),
        new("          - Ref::force\n", "          - Ref::force\n          - Ref::seed\n", "placeholder Ref::seed has no default"),
        new("\"JobQueue\": \"${JobQueue}\"", "\"JobQueue\": \"${OnDemandComputeEnvironment}\"", "Schedule: Input names queue '<ref OnDemandComputeEnvironment>'"),
        new("\"force\": \"false\"}}", "\"force\": \"false\"}", "Schedule: Input is not JSON"),
        new("\"Parameters\": {\"dataset\"", "\"Parameters\": {\"data\"", "Input sets parameter 'data', which the job definition does not declare"),
        new("${ImagesBucketName}/checkpoints/*", "${ImagesBucketName}/uploads/*", "JobRole: s3:DeleteObject on uploads/* is not in its job role row"),
        new("Action: s3:GetObject\n                Resource: !Sub \"arn:${AWS::Partition}:s3:::${ImagesBucketName}/datasets/*\"",
            "Action: [s3:GetObject, s3:DeleteObject]\n                Resource: !Sub \"arn:${AWS::Partition}:s3:::${ImagesBucketName}/datasets/*\"", "JobRole: s3:DeleteObject on datasets/* is not in its job role row"),
        new("s3:prefix: [datasets/*, feedback/*, models/*, checkpoints/*]", "s3:prefix: [datasets/*, uploads/*]", "ListOwnPrefixes: s3:ListBucket on the bucket is not a listing limited to"),
    ];

    public static TheoryData<int> Indexes() => [.. Enumerable.Range(0, ForChecks.Count)];

    /// <summary>The template text with the first occurrence of <paramref name="find"/> replaced.</summary>
    public static string Apply(string text, string find, string replace)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        if (at < 0)
        {
            throw new InvalidOperationException($"infra/training.yaml no longer contains the text this mutation changes: {find}");
        }

        return string.Concat(text.AsSpan(0, at), replace, text.AsSpan(at + find.Length));
    }
}
