using System.Text.Json.Nodes;

namespace Mic.ClassifierFunction.Tests.Template;

/// <summary>The least-privilege check finds each kind of over-broad grant in a deployed template.</summary>
[Collection(SamCheckCollection.Name)]
public sealed class S3AccessCheckTests(SamCheckFixture fixture)
{
    private const string Combination = "NONE-no-origins-x86_64";
    private const string Bucket = ResolvedTemplate.DefaultBucket;
    private const string BucketArn = "arn:${AWS::Partition}:s3:::${BucketNamePrefix}-images-${AWS::AccountId}-${AWS::Region}";

    [Theory]
    [InlineData("function writes models", "ClassifierFunctionRole: a function may not write the model store")]
    [InlineData("grant outside the row", "UploadClassifierFunctionRole: s3:DeleteObject on uploads/* is not in its S3AccessRules row")]
    [InlineData("everything", "ClassifierFunctionRole: s3:GetObject on * is not in its S3AccessRules row")]
    [InlineData("not action", "ClassifierFunctionRole Broad: NotAction/NotResource")]
    [InlineData("managed policy", "UploadClassifierFunctionRole: managed policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess")]
    [InlineData("other bucket", "ClassifierFunctionRole Broad: S3 access to arn:aws:s3:::someone-elses-bucket/*, outside the images bucket")]
    [InlineData("role without a row", "TrainerRole: has S3 access")]
    [InlineData("model writer reads uploads", "TrainerRole: writes the model store and also touches uploads/")]
    public void FindViolations_BroadGrant_IsNamed(string mutation, string expected)
    {
        var template = fixture.Check.Translated(Combination);
        var resources = template["Resources"]!.AsObject();
        var api = Statements(resources, "ClassifierFunctionRole");
        var upload = Statements(resources, "UploadClassifierFunctionRole");
        switch (mutation)
        {
            case "function writes models":
                api.Add(Statement("s3:PutObject", new JsonObject { ["Fn::Sub"] = BucketArn + "/models/*" }));
                break;
            case "grant outside the row":
                upload.Add(Statement("s3:DeleteObject", new JsonObject { ["Fn::Sub"] = BucketArn + "/uploads/*" }));
                break;
            case "everything":
                api.Add(Statement("s3:GetObject", "*"));
                break;
            case "not action":
                api.Add(new JsonObject { ["Sid"] = "Broad", ["Effect"] = "Allow", ["NotAction"] = "iam:*", ["Resource"] = "*" });
                break;
            case "managed policy":
                resources["UploadClassifierFunctionRole"]!["Properties"]!["ManagedPolicyArns"]!.AsArray().Add("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess");
                break;
            case "other bucket":
                api.Add(Statement("s3:GetObject", "arn:aws:s3:::someone-elses-bucket/*"));
                break;
            case "role without a row" or "model writer reads uploads":
                resources["TrainerRole"] = new JsonObject
                {
                    ["Type"] = "AWS::IAM::Role",
                    ["Properties"] = new JsonObject
                    {
                        ["Policies"] = new JsonArray(new JsonObject
                        {
                            ["PolicyDocument"] = new JsonObject
                            {
                                ["Statement"] = new JsonArray(
                                    Statement("s3:PutObject", new JsonObject { ["Fn::Sub"] = BucketArn + "/models/*" }),
                                    Statement("s3:GetObject", new JsonObject { ["Fn::Sub"] = BucketArn + "/uploads/*" })),
                            },
                        }),
                    },
                };
                break;
        }

        var violations = S3AccessCheck.FindViolations(SamCheck.Resolve(template, Combination), Bucket);

        Assert.Contains(violations, v => v.StartsWith(expected, StringComparison.Ordinal));
    }

    private static JsonArray Statements(JsonObject resources, string role) =>
        resources[role]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();

    private static JsonObject Statement(string action, JsonNode resource) =>
        new() { ["Sid"] = "Broad", ["Effect"] = "Allow", ["Action"] = action, ["Resource"] = resource };
}
