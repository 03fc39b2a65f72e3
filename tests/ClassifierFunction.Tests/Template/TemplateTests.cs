using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>
/// template.yaml through the tools a user's deploy runs (cfn-lint, SAM's transform for every parameter combination),
/// then the deployed templates against what those tools cannot know: least privilege per prefix, the bucket's
/// protection, and the settings that must agree across resources.
/// </summary>
[Collection(SamCheckCollection.Name)]
public sealed class TemplateTests(SamCheckFixture fixture)
{
    private const string Default = "NONE-no-origins-x86_64";
    private const string Bucket = ResolvedTemplate.DefaultBucket;
    private const string ApiOrigin = "https://{Api}.execute-api." + ResolvedTemplate.Region + ".amazonaws.com";

    private readonly SamCheck _check = fixture.Check;

    [Fact]
    public void CfnLint_Template_PrintsNothing()
    {
        Assert.True(_check.Lint.ExitCode == 0 && _check.Lint.Stdout.Trim().Length == 0, _check.Lint.ToString());
    }

    [Fact]
    public void SamTransform_EveryParameterCombination_Succeeds()
    {
        Assert.Equal(SamCheck.Combinations().Count, _check.Translations.Count);
        Assert.All(_check.Translations, t => Assert.True(t.Value!.ToString() == "ok", $"{t.Key}: {t.Value}"));
    }

    [Theory]
    [MemberData(nameof(SamCheck.Combinations), MemberType = typeof(SamCheck))]
    public void S3Access_EveryPrincipal_KeepsToItsPrefixes(string combination)
    {
        var violations = S3AccessCheck.FindViolations(_check.Resolved(combination), Bucket);

        Assert.True(violations.Count == 0, string.Join('\n', violations));
    }

    [Theory]
    [MemberData(nameof(SamCheck.Combinations), MemberType = typeof(SamCheck))]
    public void Api_EveryRoute_RequiresWhatApiAuthSays(string combination)
    {
        var template = _check.Resolved(combination);
        var body = template.Properties("Api")["Body"]!;
        var expected = combination.Split('-')[0] switch
        {
            "JWT" => "jwt",
            "AWS_IAM" => "sigv4",
            _ => null,
        };

        var operations = body["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Route: $"{o.Key} {p.Key}", Operation: o.Value!))).ToList();
        Assert.Equal(8, operations.Count);
        Assert.Contains(operations, o => o.Route == "post /feedback");
        foreach (var (route, operation) in operations)
        {
            Assert.NotNull(operation["x-amazon-apigateway-integration"]);
            var schemes = operation["security"]?.AsArray().SelectMany(s => s!.AsObject().Select(p => p.Key)).ToList() ?? [];
            Assert.True(expected is null ? schemes.Count == 0 : schemes.SequenceEqual([expected]), $"{route}: security [{string.Join(", ", schemes)}]");
        }

        var jwt = body["components"]!["securitySchemes"]!["jwt"];
        Assert.Equal(expected == "jwt", jwt is not null);
        if (jwt is not null)
        {
            var configuration = jwt["x-amazon-apigateway-authorizer"]!["jwtConfiguration"]!;
            Assert.Equal("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example", configuration["issuer"]!.GetValue<string>());
            Assert.Equal("example-client-id", configuration["audience"]![0]!.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(SamCheck.Combinations), MemberType = typeof(SamCheck))]
    public void Cors_PageAndAllowedOrigins_MayPostUploadsAndOnlyAllowedOriginsCallTheApi(string combination)
    {
        var template = _check.Resolved(combination);
        var others = !combination.Contains("-no-origins-", StringComparison.Ordinal) ? new[] { "https://example.com", "http://localhost:5000" } : [];

        var rule = template.Properties("ImagesBucket")["CorsConfiguration"]!["CorsRules"]!.AsArray().Single()!;
        Assert.Equal<string>([ApiOrigin, .. others], rule["AllowedOrigins"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal<string>(["POST"], rule["AllowedMethods"]!.AsArray().Select(m => m!.GetValue<string>()));
        var apiCors = template.Properties("Api")["Body"]!["x-amazon-apigateway-cors"];
        Assert.Equal<string>(others, apiCors?["allowOrigins"]!.AsArray().Select(o => o!.GetValue<string>()) ?? []);
    }

    [Fact]
    public void Bucket_IsPrivateEncryptedTlsOnlyVersionedAndRetained()
    {
        var template = _check.Resolved(Default);
        var bucket = template.Resources["ImagesBucket"]!;
        var properties = bucket["Properties"]!;

        Assert.Equal(Bucket, properties["BucketName"]!.GetValue<string>());
        var block = properties["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.All(["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], k => Assert.True(block[k]!.GetValue<bool>()));
        Assert.Equal("AES256", properties["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]!.GetValue<string>());
        Assert.Equal("Enabled", properties["VersioningConfiguration"]!["Status"]!.GetValue<string>());
        var rules = properties["LifecycleConfiguration"]!["Rules"]!.AsArray();
        Assert.Contains(rules, r => r!["NoncurrentVersionExpiration"]?["NoncurrentDays"]?.GetValue<long>() == 30);
        Assert.DoesNotContain(rules, r => r!["Prefix"]?.GetValue<string>() is { } prefix && "models/".StartsWith(prefix, StringComparison.Ordinal));
        Assert.Equal("Retain", bucket["DeletionPolicy"]!.GetValue<string>());
        Assert.Equal("Retain", bucket["UpdateReplacePolicy"]!.GetValue<string>());

        var tls = template.Properties("ImagesBucketPolicy")["PolicyDocument"]!["Statement"]!.AsArray().Single()!;
        Assert.Equal("Deny", tls["Effect"]!.GetValue<string>());
        Assert.Equal("false", tls["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>());
        Assert.Equal<string>([$"arn:aws:s3:::{Bucket}", $"arn:aws:s3:::{Bucket}/*"], tls["Resource"]!.AsArray().Select(r => r!.GetValue<string>()));
    }

    [Fact]
    public void ModelStoreOutput_IsTheStoreBothFunctionsRead()
    {
        var template = _check.Resolved(Default);

        var store = template.Output("ModelStore");
        Assert.Equal($"s3://{Bucket}", store);
        Assert.Equal(store, Environment(template, "ClassifierFunction")["Mic__ModelStore"]!.GetValue<string>());
        Assert.Equal(store, Environment(template, "UploadClassifierFunction")["Mic__ModelStore"]!.GetValue<string>());
        Assert.Equal(Bucket, template.Output("ImagesBucketName"));
    }

    [Fact]
    public void Uploads_NotificationQueueAndUploadClassifier_Agree()
    {
        var template = _check.Resolved(Default);
        var notification = template.Properties("ImagesBucket")["NotificationConfiguration"]!["QueueConfigurations"]!.AsArray().Single()!;
        var prefix = notification["Filter"]!["S3Key"]!["Rules"]![0]!["Value"]!.GetValue<string>();
        var upload = Environment(template, "UploadClassifierFunction");
        var api = Environment(template, "ClassifierFunction");

        Assert.Equal("{UploadsQueue.Arn}", notification["Queue"]!.GetValue<string>());
        Assert.Equal(prefix, upload["Mic__S3Events__UploadPrefix"]!.GetValue<string>());
        Assert.Equal(prefix, api["Mic__S3Events__UploadPrefix"]!.GetValue<string>());
        Assert.Equal(Bucket, upload["Mic__S3Events__Bucket"]!.GetValue<string>());
        Assert.Equal(Bucket, api["Mic__Uploads__Bucket"]!.GetValue<string>());
        var results = upload["Mic__S3Events__ResultsPrefix"]!.GetValue<string>();
        Assert.False(results.StartsWith(prefix, StringComparison.Ordinal), "results would trigger classifications");

        // The only invocations of the upload classifier: the queue, with a concurrency cap and per-message failures.
        var mapping = template.OfType("AWS::Lambda::EventSourceMapping").Single().Resource["Properties"]!;
        Assert.Equal("{UploadsQueue.Arn}", mapping["EventSourceArn"]!.GetValue<string>());
        Assert.Equal("{UploadClassifierFunction}", mapping["FunctionName"]!.GetValue<string>());
        Assert.Equal(2, mapping["ScalingConfig"]!["MaximumConcurrency"]!.GetValue<long>());
        Assert.Equal("ReportBatchItemFailures", mapping["FunctionResponseTypes"]![0]!.GetValue<string>());
        Assert.DoesNotContain(template.OfType("AWS::Lambda::Permission"), p => p.Resource["Properties"]!["Principal"]!.ToString() == "s3.amazonaws.com");

        var queue = template.Properties("UploadsQueue");
        Assert.True(queue["VisibilityTimeout"]!.GetValue<long>() >= 6 * template.Properties("UploadClassifierFunction")["Timeout"]!.GetValue<long>());
        Assert.Equal("{FailedEventsQueue.Arn}", queue["RedrivePolicy"]!["deadLetterTargetArn"]!.GetValue<string>());
        var sender = template.Properties("UploadsQueuePolicy")["PolicyDocument"]!["Statement"]![0]!;
        Assert.Equal($"arn:aws:s3:::{Bucket}", sender["Condition"]!["ArnEquals"]!["aws:SourceArn"]!.GetValue<string>());
    }

    [Fact]
    public void UncertaintyThreshold_ReachesTheUploadClassifier()
    {
        var unset = SamCheck.Resolve(_check.Translated(Default), Default);
        var set = new ResolvedTemplate(_check.Translated(Default), new Dictionary<string, JsonNode?> { ["UncertaintyThreshold"] = "0.3" });

        Assert.Equal("0.5", Environment(unset, "UploadClassifierFunction")["Mic__Feedback__UncertaintyThreshold"]!.ToString());
        Assert.Equal("0.3", Environment(set, "UploadClassifierFunction")["Mic__Feedback__UncertaintyThreshold"]!.ToString());
    }

    [Fact]
    public void ReservedConcurrency_ByDefault_IsNotReserved()
    {
        var unset = SamCheck.Resolve(_check.Translated(Default), Default);
        var set = new ResolvedTemplate(_check.Translated(Default), new Dictionary<string, JsonNode?> { ["ReservedConcurrency"] = "7" });

        Assert.False(unset.Properties("ClassifierFunction").ContainsKey("ReservedConcurrentExecutions"));
        Assert.Equal("7", set.Properties("ClassifierFunction")["ReservedConcurrentExecutions"]!.GetValue<string>());
        Assert.False(unset.Properties("UploadClassifierFunction").ContainsKey("ReservedConcurrentExecutions"));
    }

    [Fact]
    public void TrainingStack_EveryPassedParameterExistsAndTheOperatorsSettingsArePassed()
    {
        var template = SamCheck.Resolve(_check.Translated(Default), Default);
        var passed = template.Properties("Training")["Parameters"]!.AsObject().Select(p => p.Key).ToList();
        // infra/training.yaml's parameter names: the two-space keys between "Parameters:" and the next section.
        var nested = File.ReadAllText(Path.Combine(TestAssets.RepositoryRoot, "infra", "training.yaml"));
        var section = nested[nested.IndexOf("\nParameters:\n", StringComparison.Ordinal)..];
        section = section[..Regex.Match(section[1..], @"\n[A-Za-z]+:\n").Index];
        var declared = Regex.Matches(section, @"^  ([A-Za-z0-9]+):$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.Contains("InstanceTypes", declared);
        Assert.All(passed, name => Assert.Contains(name, declared));
        Assert.Superset(
            new HashSet<string> { "ImagesBucketName", "DatasetName", "ImageSize", "Epochs", "InstanceTypes", "MaxvCpus", "UseSpot", "Subnets",
                "SecurityGroupIds", "ScheduleState", "ScheduleExpression", "NotificationEmail" },
            passed.ToHashSet());
    }

    private static JsonObject Environment(ResolvedTemplate template, string function) =>
        template.Properties(function)["Environment"]!["Variables"]!.AsObject();
}
