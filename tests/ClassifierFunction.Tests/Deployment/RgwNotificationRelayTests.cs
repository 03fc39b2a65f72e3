using System.Text.Json.Nodes;
using Mic.ClassifierFunction.S3Events;

namespace Mic.ClassifierFunction.Tests.Deployment;

public sealed class RgwNotificationRelayTests
{
    // A record as radosgw 16.2 pushed it for `aws s3 cp x "s3://journey1/uploads/my photo+1.jpg"` (shortened ids).
    private const string Rgw = """
        {"Records":[{"eventVersion":"2.2","eventSource":"ceph:s3","awsRegion":"","eventTime":"2026-12-03T17:17:37.058841Z",
        "eventName":"ObjectCreated:Put","userIdentity":{"principalId":"mic-test"},"requestParameters":{"sourceIPAddress":""},
        "responseElements":{"x-amz-request-id":"eb146562.4108","x-amz-id-2":"100c-default-default"},"s3":{"s3SchemaVersion":"1.0",
        "configurationId":"classify-uploads","bucket":{"name":"journey1","ownerIdentity":{"principalId":"mic-test"},
        "arn":"arn:aws:s3:::journey1","id":"eb146562.4110.1"},"object":{"key":"uploads/my photo+1 ü.jpg","size":3,
        "eTag":"764efa883dda1e11db47671c4a3bbd9e","versionId":"","sequencer":"31A4116BBD6BD603",
        "metadata":[{"key":"x-amz-date","val":"20261203T171736Z"}],"tags":[]}},"eventId":"1796318257.064383","opaqueData":""}]}
        """;

    [Fact]
    public void AsS3Sends_RgwRecord_BecomesWhatS3SendsAndParsesBackToTheKey()
    {
        var converted = RgwNotificationRelay.AsS3Sends(JsonNode.Parse(Rgw)!.AsObject(), "us-east-1");

        var record = converted["Records"]![0]!;
        Assert.Equal("aws:s3", record["eventSource"]!.GetValue<string>());
        Assert.Equal("us-east-1", record["awsRegion"]!.GetValue<string>());
        Assert.Equal("uploads/my+photo%2B1+%C3%BC.jpg", record["s3"]!["object"]!["key"]!.GetValue<string>());
        Assert.Null(record["s3"]!["object"]!["versionId"]);
        Assert.Equal(("journey1", "uploads/my photo+1 ü.jpg"), Assert.Single(S3Notification.CreatedObjects(converted.ToJsonString())));
    }
}
