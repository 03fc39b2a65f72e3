using System.Text.Json.Nodes;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>template.yaml against the CloudFormation/SAM resource specification from npm @aws-cdk/aws-service-spec.</summary>
public sealed class TemplateTests(SpecificationFixture fixture) : IClassFixture<SpecificationFixture>
{
    private readonly TemplateValidator _validator = new(fixture.Specification);

    [Fact]
    public void Template_AsWritten_ConformsToTheSpecification()
    {
        var errors = _validator.Validate(Template());

        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Theory]
    [InlineData("unknown property", "Resources.ClassifierFunction.Properties.MemorySzie: unknown property")]
    [InlineData("unknown nested property", "Resources.ImagesBucket.Properties.PublicAccessBlockConfiguration.BlockPublicAcl: unknown property")]
    [InlineData("wrong type", "Resources.ClassifierFunction.Properties.Timeout: expected a number, found a list")]
    [InlineData("wrong nested type", "Resources.ImagesBucket.Properties.PublicAccessBlockConfiguration.BlockPublicAcls: expected a boolean, found a map")]
    [InlineData("wrong type in a branch", "Resources.Api.Properties.Auth.EnableIamAuthorizer: expected a boolean, found string \"sometimes\"")]
    [InlineData("missing required", "Resources.ClassifierFunction.Properties.Events.Upload.Properties.Bucket: missing required property")]
    [InlineData("disallowed value", "Resources.ImagesBucket.Properties.AccessControl: 'Open' is not one of")]
    [InlineData("unknown type", "Resources.FailedEventsQueue: unknown resource type AWS::SQS::Queueue")]
    [InlineData("dangling ref", "Ref to MemorySizeMb, which is no parameter")]
    public void Validate_BrokenTemplate_NamesTheMistake(string mutation, string expected)
    {
        var template = Template();
        var function = template["Resources"]!["ClassifierFunction"]!["Properties"]!.AsObject();
        var bucket = template["Resources"]!["ImagesBucket"]!["Properties"]!.AsObject();
        switch (mutation)
        {
            case "unknown property":
                function["MemorySzie"] = 1024;
                break;
            case "unknown nested property":
                bucket["PublicAccessBlockConfiguration"]!["BlockPublicAcl"] = true;
                break;
            case "wrong type":
                function["Timeout"] = new JsonArray(30);
                break;
            case "wrong nested type":
                bucket["PublicAccessBlockConfiguration"]!["BlockPublicAcls"] = new JsonObject { ["yes"] = true };
                break;
            case "wrong type in a branch":
                template["Resources"]!["Api"]!["Properties"]!["Auth"]!["Fn::If"]![2]!["Fn::If"]![1]!["EnableIamAuthorizer"] = "sometimes";
                break;
            case "missing required":
                function["Events"]!["Upload"]!["Properties"]!.AsObject().Remove("Bucket");
                break;
            case "disallowed value":
                bucket["AccessControl"] = "Open";
                break;
            case "unknown type":
                template["Resources"]!["FailedEventsQueue"]!["Type"] = "AWS::SQS::Queueue";
                break;
            case "dangling ref":
                function["MemorySize"] = new JsonObject { ["Ref"] = "MemorySizeMb" };
                break;
        }

        var errors = _validator.Validate(template);

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Template_Policies_GrantNoS3ActionOnEverything()
    {
        var findings = S3GrantCheck.FindWildcardGrants(Template());

        Assert.True(findings.Count == 0, string.Join('\n', findings));
    }

    [Theory]
    [InlineData("statement")]
    [InlineData("managed policy")]
    [InlineData("not action")]
    public void FindWildcardGrants_BroadGrant_IsFound(string grant)
    {
        var template = Template();
        var policies = template["Resources"]!["ClassifierFunction"]!["Properties"]!["Policies"]!.AsArray();
        var statements = policies[0]!["Statement"]!.AsArray();
        switch (grant)
        {
            case "statement":
                statements.Add(new JsonObject { ["Effect"] = "Allow", ["Action"] = new JsonArray("s3:GetObject"), ["Resource"] = "*" });
                break;
            case "managed policy":
                policies.Add("AmazonS3ReadOnlyAccess");
                break;
            case "not action":
                statements.Add(new JsonObject { ["Effect"] = "Allow", ["NotAction"] = "iam:*", ["Resource"] = new JsonObject { ["Fn::Sub"] = "arn:${AWS::Partition}:s3:::*" } });
                break;
        }

        Assert.Single(S3GrantCheck.FindWildcardGrants(template));
    }

    [Fact]
    public void Template_Bucket_IsPrivateEncryptedAndTlsOnly()
    {
        var bucket = Template()["Resources"]!["ImagesBucket"]!["Properties"]!;

        var block = bucket["PublicAccessBlockConfiguration"]!.AsObject();
        Assert.All(["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"], k => Assert.True(block[k]!.GetValue<bool>()));
        Assert.NotNull(bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        var policy = Template()["Resources"]!["ImagesBucketPolicy"]!["Properties"]!["PolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("Deny", policy["Effect"]!.GetValue<string>());
        Assert.Equal("false", policy["Condition"]!["Bool"]!["aws:SecureTransport"]!.GetValue<string>());
    }

    [Fact]
    public void Template_Function_IsTriggeredOnlyByUploadsAndRoutedForEveryEndpoint()
    {
        var events = Template()["Resources"]!["ClassifierFunction"]!["Properties"]!["Events"]!.AsObject();

        var upload = events["Upload"]!["Properties"]!;
        Assert.Equal("uploads/", upload["Filter"]!["S3Key"]!["Rules"]![0]!["Value"]!.GetValue<string>());
        var routes = events.Where(e => e.Value!["Type"]!.GetValue<string>() == "HttpApi")
            .Select(e => $"{e.Value!["Properties"]!["Method"]} {e.Value!["Properties"]!["Path"]}").Order();
        Assert.Equal(["GET /", "GET /healthz", "GET /model", "GET /results/{key+}", "GET /uploads", "POST /classify", "POST /uploads"], routes);
    }

    [Fact]
    public void Template_Cost_IsBoundedByReservedConcurrencyThrottlingAndRetries()
    {
        var template = Template();
        var function = template["Resources"]!["ClassifierFunction"]!["Properties"]!;
        var api = template["Resources"]!["Api"]!["Properties"]!;

        Assert.Equal("ReservedConcurrency", function["ReservedConcurrentExecutions"]!["Ref"]!.GetValue<string>());
        Assert.Equal("ApiThrottlingRateLimit", api["DefaultRouteSettings"]!["ThrottlingRateLimit"]!["Ref"]!.GetValue<string>());
        Assert.Equal("ApiThrottlingBurstLimit", api["DefaultRouteSettings"]!["ThrottlingBurstLimit"]!["Ref"]!.GetValue<string>());
        Assert.Equal("SQS", function["EventInvokeConfig"]!["DestinationConfig"]!["OnFailure"]!["Type"]!.GetValue<string>());
        Assert.Equal("2", template["Parameters"]!["MaxRetryAttempts"]!["MaxValue"]!.ToString());
    }

    private static JsonObject Template() => CloudFormationYaml.Load(SpecificationFixture.TemplatePath);
}
